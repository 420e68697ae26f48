/*
 * Target: decode_run_packet and decode_run_transport (harness/cmd_decode_packet.c, the engine of
 * `mtproof decode --as packet|transport` as used from harness/cmd_decode.c) on untrusted captures:
 * unencrypted and encrypted packets (with and without a key to decrypt), transport streams of
 * every framing found by the detector.
 * Input: byte 0 picks the mode (bit 0: transport, else packet), whether a key is given (bit 1)
 * and x (bit 2: 8, else 0); the rest is the capture. JSON output (stdout is sent to /dev/null).
 * Property: never crashes, leaks or reads out of bounds; the result is MT_OK or an error code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "harness/decode.h"
#include "proto/tl_mtp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!freopen("/dev/null", "w", stdout))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1 << 20))
        return 0;
    decode_opts o;
    memset(&o, 0, sizeof o);
    o.schema = &mtp_schema;
    o.json = true;
    o.have_key = (data[0] & 2) != 0;
    o.x = (data[0] & 4) ? 8 : 0;
    for (size_t i = 0; i < sizeof o.auth_key; i++)
        o.auth_key[i] = (uint8_t)(i * 7 + 1); /* a fixed test key */
    int err = (data[0] & 1) ? decode_run_transport(&o, data + 1, size - 1)
                            : decode_run_packet(&o, data + 1, size - 1);
    if (err < 0 || err >= MT_E__COUNT)
        abort();
    return 0;
}
