/*
 * Target: mt_transport_feed and the full framing's parser and writer (proto/transport.c,
 * proto/transport_send.c, proto/transport_*.c) on a connection whose tag is behind us.
 * Input: byte 0 picks the role (bit 0: client, reading server packets) and the chunking; the rest
 * is the stream. Properties: the events and the final error do not depend on how the stream is
 * split; every frame a server reads re-frames to exactly the bytes it came from; for the first
 * four frames (fz_reply in fuzz/transport_fuzz.h), a server's quick ack (full: refused) and
 * transport error are read back by a client engine, and the payload sent by a client with its tag
 * is read back by an AUTO server (mt_transport_frame, mt_transport_quick_ack, mt_transport_error of
 * proto/transport_send.c against the reading side).
 */
#include "fuzz/transport_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_check(FZ_PLAIN, MT_TRANSPORT_FULL, data, size);
    return 0;
}
