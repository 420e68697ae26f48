/*
 * Target: sess_client_feed, sess_client_send, sess_client_ping, sess_client_tick,
 * sess_client_salt (proto/session_client.c, session_client_feed.c, session.c) with the checks,
 * containers and gzip beneath them: a client engine that has sent a few queries and pings is fed
 * a sequence of server messages (fuzz/fuzz_session_input.h; flag bit 2 makes a message refer to
 * the client's last sent id, so bad_msg_notification, bad_server_salt, pong and rpc_result reach
 * their matching code). Property: every message is accepted or dropped with a rule; tool errors
 * are only no_space or limit_exceeded; the client's msg_ids stay divisible by 4 and increase.
 */
#include <stdlib.h>

#include "crypto/drbg.h"
#include "fuzz_session_input.h"
#include "proto/session.h"

static sess_client cli;
static uint8_t work[1u << 16], obuf[1u << 18], body[1u << 16];
static mt_msg omsgs[2048];

static void on_event(void *ctx, const sess_event *ev)
{
    uint64_t *last_event_len = ctx;
    *last_event_len = ev->len;
}

static void check_out(const sess_out *o, uint64_t *last)
{
    for (size_t i = 0; i < o->n; i++) {
        uint64_t id = o->msgs[i].msg_id;
        if ((id & 3) != 0 || id <= *last)
            abort();
        *last = id;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_vclock vc;
    vclock_init(&vc, 1700000000ull * NS_PER_S);
    mt_drbg d;
    drbg_init_u64(&d, 43);
    uint64_t evlen = 0;
    sess_client_cfg cfg = {&vc.clock, &d.rng, 1, 7, on_event, &evlen, work, sizeof work};
    if (sess_client_init(&cli, &cfg) != MT_OK)
        abort();
    sess_out out;
    sess_out_init(&out, obuf, sizeof obuf, omsgs, sizeof omsgs / sizeof omsgs[0]);
    uint64_t last = 0, sent = 0;
    const uint8_t query[4] = {0x00, 0xEE, 0xFF, 0xC0};
    if (sess_client_send(&cli, query, sizeof query, &out, &sent) != MT_OK ||
        sess_client_ping(&cli, 5, 0, &out, &sent) != MT_OK)
        abort();
    check_out(&out, &last);
    const uint8_t *p = data, *end = data + size;
    fuzz_rec r;
    while (fuzz_next(&p, end, &r)) {
        vclock_advance(&vc, (uint64_t)r.advance * (NS_PER_S / 10));
        uint64_t id = fuzz_msg_id(vc.ns, r.delta);
        memcpy(body, r.body, r.len);
        if ((r.flags & 4) && r.len >= 12)
            st64le(body + 4, cli.core.gen.last);
        sess_out_clear(&out);
        int err = MT_OK;
        if (r.flags & 8)
            err = sess_client_tick(&cli, &out);
        if (!err && (r.flags & 1))
            err = sess_client_ping(&cli, r.delta, (int32_t)(r.flags >> 4), &out, &sent);
        if (err && !mt_err_is_rule(err) && err != MT_E_no_space && err != MT_E_limit_exceeded)
            abort();
        mt_msg m = {id, r.seqno, body, r.len};
        err = sess_client_feed(&cli, &m, &out);
        if (err && !mt_err_is_rule(err) && err != MT_E_no_space && err != MT_E_limit_exceeded)
            abort();
        (void)sess_client_salt(&cli);
        check_out(&out, &last);
    }
    return 0;
}
