/* A server engine and a client engine on virtual clocks, with output buffers and an event log,
 * shared by tests/test_session*.c. Header-only (each test is one executable). */
#ifndef MTPROOF_TESTS_SESSION_FIXTURE_H
#define MTPROOF_TESTS_SESSION_FIXTURE_H

#include "testutil.h"

#include "common/endian.h"
#include "crypto/drbg.h"
#include "proto/gzip.h"
#include "proto/session.h"
#include "proto/session_internal.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

#define T0S        1700000000ull
#define SESSION_ID 0x1122334455667788ull
#define EV_MAX     64
#define OUT_MSGS   2048

typedef struct fixture {
    mt_vclock sclock, cclock;
    mt_drbg srng, crng;
    sess_server srv;
    sess_client cli;
    uint8_t sbuf[1 << 18], cbuf[1 << 16], swork[1 << 16], cwork[1 << 16];
    mt_msg smsgs[OUT_MSGS], cmsgs[OUT_MSGS];
    sess_out sout, cout;
    sess_event ev[EV_MAX];
    size_t nev;
    int rpc_calls;
} fixture;

static inline void fx_on_event(void *ctx, const sess_event *e)
{
    fixture *f = ctx;
    if (f->nev < EV_MAX)
        f->ev[f->nev++] = *e;
}

/* The test RPC handler: query id 0xC0FFEE00 answers with boolTrue; a query of 0xBAD00000 fails;
 * anything else is unknown. */
static inline int fx_rpc(void *ctx, uint64_t req, const uint8_t *q, size_t len, uint8_t *out,
                         size_t cap, size_t *out_len)
{
    fixture *f = ctx;
    (void)req;
    f->rpc_calls++;
    if (len >= 4 && ld32le(q) == 0xC0FFEE00u && cap >= 4) {
        st32le(out, TL_ID_BOOL_TRUE);
        *out_len = 4;
        return MT_OK;
    }
    if (len >= 4 && ld32le(q) == 0xBAD00000u)
        return MT_E_bad_argument;
    return MT_E_unimplemented;
}

static inline fixture *fx_new(int64_t client_skew_s)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    vclock_init(&f->sclock, T0S * NS_PER_S + 12345);
    vclock_init(&f->cclock,
                (uint64_t)((int64_t)(T0S * NS_PER_S + 12345) + client_skew_s * (int64_t)NS_PER_S));
    drbg_init_u64(&f->srng, 1);
    drbg_init_u64(&f->crng, 2);
    sess_server_cfg sc = {&f->sclock.clock, &f->srng.rng,    fx_rpc, f,
                          f->swork,         sizeof f->swork, NULL};
    assert_int_equal(sess_server_init(&f->srv, &sc), MT_OK);
    sess_client_cfg cc = {
        &f->cclock.clock, &f->crng.rng,   SESSION_ID, sess_server_salt(&f->srv), fx_on_event, f,
        f->cwork,         sizeof f->cwork};
    assert_int_equal(sess_client_init(&f->cli, &cc), MT_OK);
    sess_out_init(&f->sout, f->sbuf, sizeof f->sbuf, f->smsgs, OUT_MSGS);
    sess_out_init(&f->cout, f->cbuf, sizeof f->cbuf, f->cmsgs, OUT_MSGS);
    return f;
}

static inline void fx_advance(fixture *f, uint64_t ns)
{
    vclock_advance(&f->sclock, ns);
    vclock_advance(&f->cclock, ns);
}

/* Delivers everything the client wrote to the server, then the server's answers to the client,
 * until both are quiet. Returns the number of rounds. Rule results are ignored here. */
static inline int fx_pump(fixture *f)
{
    int rounds = 0;
    while ((f->cout.n || f->sout.n) && rounds < 16) {
        static mt_msg tmp[OUT_MSGS];
        static uint8_t tbuf[1 << 18];
        size_t n = f->cout.n;
        memcpy(tbuf, f->cbuf, f->cout.used);
        for (size_t i = 0; i < n; i++)
            tmp[i] = (mt_msg){f->cmsgs[i].msg_id, f->cmsgs[i].seqno,
                              tbuf + (f->cmsgs[i].body - f->cbuf), f->cmsgs[i].len};
        int64_t salt = sess_client_salt(&f->cli);
        sess_out_clear(&f->cout);
        for (size_t i = 0; i < n; i++) {
            int err = sess_server_feed(&f->srv, salt, f->cli.session_id, &tmp[i], &f->sout);
            assert_true(err == MT_OK || mt_err_is_rule(err));
        }
        n = f->sout.n;
        memcpy(tbuf, f->sbuf, f->sout.used);
        for (size_t i = 0; i < n; i++)
            tmp[i] = (mt_msg){f->smsgs[i].msg_id, f->smsgs[i].seqno,
                              tbuf + (f->smsgs[i].body - f->sbuf), f->smsgs[i].len};
        sess_out_clear(&f->sout);
        for (size_t i = 0; i < n; i++) {
            int err = sess_client_feed(&f->cli, &tmp[i], &f->cout);
            assert_true(err == MT_OK || mt_err_is_rule(err));
        }
        rounds++;
    }
    return rounds;
}

/* The index of the first event of a kind, or -1. */
static inline int fx_find_event(const fixture *f, enum sess_ev_kind kind)
{
    for (size_t i = 0; i < f->nev; i++)
        if (f->ev[i].kind == kind)
            return (int)i;
    return -1;
}

/* The first output message whose body starts with ctor, or NULL. */
static inline const mt_msg *fx_find_out(const sess_out *o, uint32_t ctor)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->msgs[i].len >= 4 && ld32le(o->msgs[i].body) == ctor)
            return &o->msgs[i];
    return NULL;
}

#endif
