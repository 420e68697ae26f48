/* Two end-to-end engines talking in-process: queues of envelopes in each direction, recorded
 * events, and hooks to drop or tamper with an envelope in flight (tests/test_e2e*.c). */
#ifndef MTPROOF_TESTS_E2E_PAIR_H
#define MTPROOF_TESTS_E2E_PAIR_H

#include "crypto/drbg.h"
#include "proto/e2e.h"
#include "testutil.h"

#define PAIR_QUEUE 256

typedef struct pair_side {
    e2e *e;
    mt_drbg rng;
    /* envelopes this side sent, not yet delivered */
    uint8_t *q[PAIR_QUEUE];
    size_t qlen[PAIR_QUEUE];
    size_t qn;
    /* events seen */
    size_t n_ready, n_msgs, n_rekeyed, n_resend_asked, n_resend_answered, n_discarded;
    size_t n_errors;
    int last_rule;
    bool last_fatal;
    char last_text[E2E_TEXT_MAX + 1];
    char visual[E2E_VISUAL_MAX];
    int64_t fp;
} pair_side;

typedef struct pair {
    pair_side s[2]; /* 0: originator, 1: the other */
} pair;

static inline void pair_on_event(void *ctx, const e2e_event *ev)
{
    pair_side *s = ctx;
    switch (ev->kind) {
    case E2E_EV_READY:
        s->n_ready++;
        s->fp = ev->fingerprint;
        snprintf(s->visual, sizeof s->visual, "%s", ev->visual);
        break;
    case E2E_EV_MESSAGE:
        s->n_msgs++;
        memcpy(s->last_text, ev->text, ev->len);
        s->last_text[ev->len] = '\0';
        break;
    case E2E_EV_REKEYED:
        s->n_rekeyed++;
        s->fp = ev->fingerprint;
        break;
    case E2E_EV_RESEND_REQUESTED:
        if (ev->peer_asked)
            s->n_resend_answered++;
        else
            s->n_resend_asked++;
        break;
    case E2E_EV_DISCARDED:
        s->n_discarded++;
        break;
    case E2E_EV_ERROR:
        s->n_errors++;
        s->last_rule = ev->rule;
        s->last_fatal = ev->fatal;
        break;
    }
}

static inline int pair_on_output(void *ctx, const uint8_t *env, size_t n)
{
    pair_side *s = ctx;
    assert_true(s->qn < PAIR_QUEUE);
    s->q[s->qn] = malloc(n ? n : 1);
    memcpy(s->q[s->qn], env, n);
    s->qlen[s->qn++] = n;
    return 0;
}

static inline void pair_init_cfg(pair *p, uint64_t seed, unsigned rekey_every, int32_t layer_b)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < 2; i++) {
        drbg_init_u64(&p->s[i].rng, seed * 2 + (uint64_t)i);
        e2e_config cfg = {.originator = i == 0,
                          .rng = &p->s[i].rng.rng,
                          .rekey_every = rekey_every,
                          .layer = i == 1 ? layer_b : 0,
                          .on_event = pair_on_event,
                          .on_output = pair_on_output,
                          .ctx = &p->s[i]};
        assert_int_equal(e2e_new(&p->s[i].e, &cfg), 0);
    }
}

static inline void pair_init(pair *p, uint64_t seed, unsigned rekey_every)
{
    pair_init_cfg(p, seed, rekey_every, 0);
}

/* Removes and returns the first queued envelope of side `from` (caller frees), or NULL. */
static inline uint8_t *pair_take(pair *p, int from, size_t *n)
{
    pair_side *s = &p->s[from];
    *n = 0;
    if (s->qn == 0)
        return NULL;
    uint8_t *m = s->q[0];
    *n = s->qlen[0];
    memmove(s->q, s->q + 1, (s->qn - 1) * sizeof s->q[0]);
    memmove(s->qlen, s->qlen + 1, (s->qn - 1) * sizeof s->qlen[0]);
    s->qn--;
    return m;
}

/* Delivers one envelope from `from` to the other side; returns e2e_feed's result. */
static inline int pair_step(pair *p, int from)
{
    size_t n = 0;
    uint8_t *m = pair_take(p, from, &n);
    assert_non_null(m);
    tu_buf b = tu_dup(m, n); /* exact size: sanitizers see overreads */
    free(m);
    int err = e2e_feed(p->s[1 - from].e, b.p, b.len);
    tu_free(&b);
    return err;
}

/* Delivers everything in both directions until both queues are empty. */
static inline void pair_pump(pair *p)
{
    while (p->s[0].qn || p->s[1].qn)
        for (int i = 0; i < 2; i++)
            while (p->s[i].qn)
                (void)pair_step(p, i);
}

static inline void pair_exchange(pair *p)
{
    assert_int_equal(e2e_start(p->s[0].e), 0);
    assert_int_equal(e2e_start(p->s[1].e), 0);
    pair_pump(p);
    assert_true(e2e_ready(p->s[0].e) && e2e_ready(p->s[1].e));
}

static inline void pair_free(pair *p)
{
    for (int i = 0; i < 2; i++) {
        for (size_t k = 0; k < p->s[i].qn; k++)
            free(p->s[i].q[k]);
        e2e_free(p->s[i].e);
    }
}

#endif
