/*
 * Target: replay_handshake_keys (harness/replay.c) with replay_client_phase, replay_server_phase
 * (harness/replay_client.c, replay_server.c), replay_check_names, replay_random, replay_drbg,
 * replay_check_expects (replay_setup.c) and the client and server handshake engines beneath them,
 * after transcript_parse (harness/transcript_parse*.c).
 * Input: a transcript text (docs/transcripts.md); one that parses as `records handshake` with
 * `layer packet` is replayed by both sides' engines with the test key
 * vectors/keys/test_rsa2048.pem (embedded: no key files are read, whatever `rsa-key` says).
 * Bounded: at most 64 KiB of text and 16 frames. Seeds: vectors/transcripts/.
 * Property: no crash or leak; a replay that runs has a result, and a divergence says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/drbg.h"
#include "fuzz_records.h"
#include "harness/replay_internal.h"
#include "harness/transcript.h"

#define MAX_TEXT   (64u << 10)
#define MAX_FRAMES 16u

static void replay_both(const mt_transcript *t, const replay_keys *keys)
{
    for (unsigned side = TR_CLIENT; side <= TR_SERVER; side++) {
        replay_report r;
        memset(&r, 0, sizeof r);
        r.side = side;
        int err = replay_handshake_keys(t, keys, side, &r);
        if (err == MT_OK && !r.result[0])
            abort(); /* a replay that ran says how the side ended */
        if (r.diverged && !r.why[0])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rsa_private key;
    if (size > MAX_TEXT)
        return 0;
    if (key.pub.bytes == 0) {
        mt_drbg d;
        drbg_init_u64(&d, 1);
        if (rsa_private_load_pem(&key, FUZZ_TEST_KEY_PEM, sizeof FUZZ_TEST_KEY_PEM - 1, &d.rng,
                                 NULL, NULL) != 0)
            abort();
    }
    char *text = malloc(size ? size : 1); /* exact size: no NUL to lean on */
    if (!text)
        return 0;
    memcpy(text, data, size);
    mt_transcript t;
    tr_error e;
    if (transcript_parse(text, size, &t, &e) == MT_OK && t.records &&
        strcmp(t.records, "handshake") == 0 && t.layer == TR_LAYER_PACKET &&
        t.frames.n <= MAX_FRAMES) {
        replay_keys keys = {.n = 1};
        keys.priv[0] = &key;
        keys.pub[0] = &key.pub;
        replay_both(&t, &keys);
    }
    transcript_free(&t);
    free(text);
    return 0;
}
