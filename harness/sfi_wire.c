/*
 * scenario-from-input for the targets fed raw messages or bytes: fuzz_handshake_server.c (each
 * record one unencrypted packet: `send frame`) and fuzz_relay_conn.c (each record bytes on a
 * connection: `send wire`). The engines are set up exactly as the targets set them up (the same
 * key, DRBG seed and virtual clock), so the `expect` steps are what the target saw.
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/err.h"
#include "common/rules.h"
#include "fuzz/fuzz_records.h"
#include "harness/fuzz_rig.h"
#include "harness/sfi.h"

/* The refusal of a rule as an expect step; false when the rule ends the connection. */
static int expect_refusal(sfi *s, int err)
{
    const mt_rule *r = mt_rule_of(err);
    sfi_saw(s, err);
    if (!r) {
        sfi_note(s, "the engine failed: %s", mt_err_name(err));
        return 0;
    }
    sfi_note(s, "refused: %s", r->id);
    if (r->reaction == RX_TRANSPORT_ERROR) {
        sfi_step(s, "expect  transport_error %d", r->code ? r->code : -404);
        return 0;
    }
    if (r->reaction == RX_CLOSE) {
        sfi_step(s, "expect  close");
        return 0;
    }
    return 1;
}

/* The unencrypted answer: auth_key_id 0 | msg_id | length | body. */
static void expect_plain(sfi *s, const uint8_t *pkt, size_t n)
{
    const char *name = n >= 24 ? sfi_ctor_name(pkt + 20, n - 20) : NULL;
    if (name)
        sfi_step(s, "expect  plain %s", name);
    else
        sfi_note(s, "the engine answered %zu bytes the schema does not name", n);
}

int sfi_handshake_server(sfi *s, const uint8_t *data, size_t size)
{
    static hss server;
    static uint8_t out[HS_PACKET_MAX];
    mt_drbg drbg;
    mt_vclock clock;
    int err = fuzz_rig_hss(&server, &clock, &drbg);
    if (err)
        return err;
    s->extra = "the server's nonces differ from the fuzz run's: only the first refusal is exact";
    const uint8_t *p = data, *end = data + size, *rec;
    size_t n, i = 0;
    while (fuzz_hs_next(&p, end, &rec, &n)) {
        if (n % 4) {
            /* Every transport carries whole 4-byte words (TRANSPORT_LENGTH_NOT_ALIGNED). */
            sfi_note(s, "TODO: a %zu-byte message no transport can carry; the rest is left out", n);
            break;
        }
        if (i++)
            sfi_step(s, "wait    1s");
        sfi_send_hex(s, "frame", rec, n, "");
        size_t out_len = 0;
        err = hss_feed(&server, rec, n, out, sizeof out, &out_len);
        vclock_advance(&clock, NS_PER_S);
        if (err) {
            expect_refusal(s, err);
            sfi_step(s, "expect  close");
            if (p < end)
                sfi_note(s, "%zu more bytes of input: the server has closed", (size_t)(end - p));
            break;
        }
        expect_plain(s, out, out_len);
    }
    hss_wipe(&server);
    return MT_OK;
}

static void relay_record(sfi *s, relay *r, uint32_t c, uint8_t flags, const uint8_t *rec,
                         size_t len, mt_vclock *vc)
{
    if (flags & FUZZ_RELAY_CONN1)
        sfi_note(s, "TODO: the fuzz target sends this on a second connection");
    sfi_send_hex(s, "wire", rec, len, "");
    int err = relay_feed(r, c, rec, len);
    if (err && mt_err_is_rule(err))
        expect_refusal(s, err);
    size_t n = 0;
    if (relay_output(r, c, &n) && n)
        sfi_note(s, "the relay has %zu bytes of output for this connection", n);
    if (flags & FUZZ_RELAY_TICK) {
        sfi_step(s, "wait    10s");
        vclock_advance(vc, 10 * NS_PER_S);
        (void)relay_tick(r);
    }
    if ((flags & FUZZ_RELAY_DRAIN) && relay_output(r, c, &n))
        relay_output_done(r, c, n);
}

int sfi_relay_conn(sfi *s, const uint8_t *data, size_t size)
{
    if (size < 1)
        return MT_E_truncated;
    mt_vclock vc;
    mt_drbg d;
    relay *r;
    uint32_t conn[2];
    relay_conn_kind kind = (data[0] & FUZZ_RELAY_HTTP) ? RELAY_CONN_HTTP : RELAY_CONN_TCP;
    if (kind == RELAY_CONN_HTTP)
        s->extra = "TODO: the fuzz target's connections are HTTP ones; scenarios speak TCP";
    int err = fuzz_rig_relay(&r, &vc, &d, kind, conn);
    if (err)
        return err;
    const uint8_t *p = data + 1, *end = data + size, *rec;
    uint8_t flags;
    size_t len;
    while (fuzz_relay_next(&p, end, &flags, &rec, &len)) {
        uint32_t c = conn[flags & FUZZ_RELAY_CONN1];
        relay_record(s, r, c, flags, rec, len, &vc);
        if (relay_closing(r, c)) {
            sfi_step(s, "expect  close");
            break;
        }
    }
    relay_free(r);
    return MT_OK;
}
