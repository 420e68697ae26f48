/*
 * Target: sess_server_feed, sess_server_tick (proto/session_server.c, session_server_svc.c,
 * session.c) with session_check.c, salts.c, container.c and gzip.c beneath them: a server engine
 * fed a sequence of client messages (fuzz/fuzz_session_input.h) on a virtual clock with a seeded
 * DRBG. Property: every message is accepted or refused with a rule; tool errors are only no_space;
 * every message written has a server msg_id (odd) that increases.
 */
#include <stdlib.h>

#include "fuzz_session_input.h"
#include "harness/fuzz_rig.h"

static sess_server srv;
static uint8_t work[1u << 16], obuf[1u << 20], body[1u << 16];
static mt_msg omsgs[4096];

static void check_out(const sess_out *o, uint64_t *last)
{
    for (size_t i = 0; i < o->n; i++) {
        uint64_t id = o->msgs[i].msg_id;
        if ((id & 1) != 1)
            abort();
        /* Resends repeat an earlier id; new ones increase. */
        if (id > *last)
            *last = id;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_vclock vc;
    mt_drbg d;
    /* Echoes queries starting with 0xC0FFEE00; others are unknown. */
    if (fuzz_rig_session_server(&srv, &vc, &d, work, sizeof work) != MT_OK)
        abort();
    sess_out out;
    sess_out_init(&out, obuf, sizeof obuf, omsgs, sizeof omsgs / sizeof omsgs[0]);
    const uint8_t *p = data, *end = data + size;
    fuzz_rec r;
    uint64_t last = 0;
    while (fuzz_next(&p, end, &r)) {
        vclock_advance(&vc, (uint64_t)r.advance * (NS_PER_S / 10));
        uint64_t id = fuzz_msg_id(vc.ns, r.delta);
        memcpy(body, r.body, r.len);
        if ((r.flags & 4) && r.len >= 12 && out.n)
            st64le(body + 4, out.msgs[out.n - 1].msg_id);
        int64_t salt = sess_server_salt(&srv) ^ (r.flags & 1);
        uint64_t sid = (r.flags & 2) ? 2 : 1;
        sess_out_clear(&out);
        int err = (r.flags & 8) ? sess_server_tick(&srv, &out) : MT_OK;
        if (err && err != MT_E_no_space)
            abort();
        mt_msg m = {id, r.seqno, body, r.len};
        err = sess_server_feed(&srv, salt, sid, &m, &out);
        if (err && !mt_err_is_rule(err) && err != MT_E_no_space)
            abort();
        check_out(&out, &last);
    }
    return 0;
}
