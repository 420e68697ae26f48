/*
 * scenario-from-input for fuzz_session_server.c: after a `handshake`, each record (decoded by
 * fuzz_next of fuzz/fuzz_session_input.h) becomes `send raw BODY msg_id=now±N seqno=S` with its
 * salt and session flags, and what the server engine (set up as the target sets it up: virtual
 * clock, DRBG seed 42, the echo RPC) answered becomes `expect` steps.
 */
#include <inttypes.h>
#include <string.h>

#include "common/err.h"
#include "fuzz/fuzz_session_input.h"
#include "harness/fuzz_rig.h"
#include "harness/sfi.h"

/* Answers that every run has and scenarios skip anyway. */
static int routine(const char *name)
{
    return strcmp(name, "msgs_ack") == 0 || strcmp(name, "new_session_created") == 0;
}

static void expect_out(sfi *s, const sess_out *o)
{
    for (size_t i = 0; i < o->n; i++) {
        const mt_msg *m = &o->msgs[i];
        const char *name = sfi_ctor_name(m->body, m->len);
        if (!name)
            sfi_note(s, "the engine answered %zu bytes the schema does not name", m->len);
        else if (strcmp(name, "bad_msg_notification") == 0 && m->len >= 20)
            sfi_step(s, "expect  bad_msg %d", (int)ld32le(m->body + 16));
        else if (strcmp(name, "bad_server_salt") == 0)
            sfi_step(s, "expect  bad_server_salt");
        else if (!routine(name))
            sfi_step(s, "expect  %s", name);
    }
}

static void send_record(sfi *s, const fuzz_rec *r, const uint8_t *body)
{
    if (r->advance)
        sfi_step(s, "wait    %ums", (unsigned)r->advance * 100u);
    if (r->flags & 8)
        sfi_note(s, "the fuzz target ticks the engine here");
    int64_t off = (int64_t)(r->delta >> 2) * 4096 + (r->delta & 3);
    char suffix[128];
    snprintf(suffix, sizeof suffix, "msg_id=now%+" PRId64 " seqno=%" PRIu32 "%s%s", off, r->seqno,
             (r->flags & 1) ? " salt=bad" : "", (r->flags & 2) ? " session=2" : "");
    if (r->len == 0)
        sfi_note(s,
                 "TODO: an empty message (msg_id=now%+" PRId64 " seqno=%" PRIu32
                 "): `send raw` needs bytes",
                 off, r->seqno);
    else
        sfi_send_hex(s, "raw", body, r->len, suffix);
}

int sfi_session_server(sfi *s, const uint8_t *data, size_t size)
{
    static sess_server srv;
    static uint8_t work[1u << 16], obuf[1u << 20], body[1u << 16];
    static mt_msg omsgs[4096];
    mt_vclock vc;
    mt_drbg d;
    int err = fuzz_rig_session_server(&srv, &vc, &d, work, sizeof work);
    if (err)
        return err;
    sess_out out;
    sess_out_init(&out, obuf, sizeof obuf, omsgs, sizeof omsgs / sizeof omsgs[0]);
    const uint8_t *p = data, *end = data + size;
    fuzz_rec r;
    while (fuzz_next(&p, end, &r)) {
        if (s->n_steps == 0)
            sfi_step(s, "handshake");
        vclock_advance(&vc, (uint64_t)r.advance * (NS_PER_S / 10));
        uint64_t id = fuzz_msg_id(vc.ns, r.delta);
        memcpy(body, r.body, r.len);
        if ((r.flags & 4) && r.len >= 12 && out.n) {
            st64le(body + 4, out.msgs[out.n - 1].msg_id);
            sfi_note(s, "bytes 4..12 are the engine's last msg_id in the fuzz run (TODO: recv)");
        }
        int64_t salt = sess_server_salt(&srv) ^ (r.flags & 1);
        uint64_t sid = (r.flags & 2) ? 2 : 1;
        sess_out_clear(&out);
        if ((r.flags & 8) && (err = sess_server_tick(&srv, &out)) != MT_OK)
            sfi_note(s, "the tick failed: %s", mt_err_name(err));
        send_record(s, &r, body);
        mt_msg m = {id, r.seqno, body, r.len};
        err = sess_server_feed(&srv, salt, sid, &m, &out);
        if (err && mt_err_is_rule(err)) {
            sfi_saw(s, err);
            sfi_note(s, "refused: %s", mt_err_name(err));
        }
        expect_out(s, &out);
    }
    if (p < end && s->n_steps)
        sfi_note(s, "%zu trailing bytes: no whole record, ignored as the target does",
                 (size_t)(end - p));
    return MT_OK;
}
