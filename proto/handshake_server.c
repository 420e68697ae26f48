/*
 * The server handshake engine: set-up, the feed loop with its -404 latch and the resend cache,
 * the result. The steps are in handshake_server_pq.c, _dh.c and _gen.c.
 */
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "proto/handshake_server_internal.h"
#include "crypto/pq.h"
#include "proto/message.h"

static int check_fixed(const hss_fixed *f)
{
    if ((f->p == 0) != (f->q == 0))
        return MT_E_bad_argument;
    if (f->p && (f->p >= f->q || !pq_is_prime_u64(f->p) || !pq_is_prime_u64(f->q)))
        return MT_E_bad_argument;
    return 0;
}

static int check_config(const hss_config *cfg)
{
    if (!cfg->keys || cfg->n_keys == 0 || cfg->n_keys > HSS_MAX_KEYS)
        return MT_E_bad_argument;
    for (size_t i = 0; i < cfg->n_keys; i++)
        if (!cfg->keys[i] || cfg->keys[i]->pub.bytes != RSA_PAD_OUT_LEN)
            return MT_E_bad_argument;
    unsigned bits = cfg->pq_bits ? cfg->pq_bits : HSS_PQ_BITS_DEFAULT;
    if (bits < HSS_PQ_BITS_MIN || bits > HSS_PQ_BITS_MAX || (unsigned)cfg->fault >= HSS_FAULT_COUNT)
        return MT_E_bad_argument;
    if (cfg->n_known_ids && !cfg->known_ids)
        return MT_E_bad_argument;
    return 0;
}

int hss_init(hss *s, const hss_config *cfg, const mt_clock *clock, mt_rng *rng,
             const hss_fixed *fixed)
{
    memset(s, 0, sizeof *s);
    static const hss_fixed none;
    int err = check_config(cfg);
    if (!err)
        err = check_fixed(fixed ? fixed : &none);
    if (err)
        return err;
    s->cfg = *cfg;
    if (!s->cfg.pq_bits)
        s->cfg.pq_bits = HSS_PQ_BITS_DEFAULT;
    if (!s->cfg.g)
        s->cfg.g = HSS_G_DEFAULT;
    if (!s->cfg.max_retries)
        s->cfg.max_retries = HS_MAX_RETRIES;
    if (s->cfg.g < 2 || s->cfg.g > 7)
        return MT_E_DH_G_UNSUPPORTED;
    memcpy(s->dh_prime, cfg->dh_prime ? cfg->dh_prime : PRIME_TELEGRAM_DH, DH_BYTES);
    s->cfg.dh_prime = s->dh_prime;
    err = dh_init(&s->dh, s->dh_prime, DH_BYTES, (uint32_t)s->cfg.g);
    if (err)
        return err;
    for (size_t i = 0; i < cfg->n_keys; i++)
        rsa_fingerprint(&cfg->keys[i]->pub, s->fingerprints[i]);
    s->fixed = fixed ? *fixed : none;
    s->clock = clock;
    s->rng = rng;
    msgid_gen_init(&s->ids);
    s->state = HSS_WAIT_REQ_PQ;
    return 0;
}

/* Secrets of an unfinished or failed handshake. */
static void wipe_secrets(hss *s)
{
    memset(s->new_nonce, 0, sizeof s->new_nonce);
    hs_tmp_aes_wipe(&s->tmp);
    dh_wipe(&s->dh);
    hs_result_wipe(&s->res);
}

static int latch(hss *s, int rule)
{
    s->state = HSS_LATCHED;
    s->latched = rule;
    wipe_secrets(s);
    return rule;
}

int hss_deprecated(hss *s, int rule)
{
    if (s->cfg.strict)
        return rule;
    for (size_t i = 0; i < s->n_warnings; i++)
        if (s->warnings[i] == rule)
            return 0;
    if (s->n_warnings < HSS_MAX_WARNINGS)
        s->warnings[s->n_warnings++] = rule;
    return 0;
}

static unsigned step_of(uint32_t id)
{
    switch (id) {
    case HSS_ID_REQ_PQ_MULTI:
    case HSS_ID_REQ_PQ:
        return HSS_STEP_PQ;
    case HSS_ID_REQ_DH_PARAMS:
        return HSS_STEP_DH;
    case HSS_ID_SET_CLIENT_DH_PARAMS:
        return HSS_STEP_SET_DH;
    default:
        return HSS_STEP_NONE;
    }
}

/* The step the engine is waiting for, HSS_STEP_NONE when it takes no new query. */
static unsigned step_expected(const hss *s)
{
    switch (s->state) {
    case HSS_WAIT_REQ_PQ:
        return HSS_STEP_PQ;
    case HSS_WAIT_REQ_DH:
        return HSS_STEP_DH;
    case HSS_WAIT_SET_DH:
        return HSS_STEP_SET_DH;
    default:
        return HSS_STEP_NONE;
    }
}

static int run_step(hss *s, unsigned step, const uint8_t *q, size_t n, mt_wr *w)
{
    if (step == HSS_STEP_PQ)
        return hss_step_req_pq(s, q, n, w);
    if (step == HSS_STEP_DH)
        return hss_step_req_dh(s, q, n, w);
    return hss_step_set_dh(s, q, n, w);
}

static int copy_answer(const hss_cached *c, uint8_t *out, size_t cap, size_t *out_len)
{
    if (cap < c->ans_len)
        return MT_E_no_space;
    memcpy(out, c->ans, c->ans_len);
    *out_len = c->ans_len;
    return 0;
}

/* The answer to a resent step: the same packet for the same body within the window. Returns 1
 * when the query is not a resend (a new attempt after dh_gen_retry), else 0 or a rule. */
static int answer_resend(hss *s, unsigned step, const mt_plain_view *v, uint8_t *out, size_t cap,
                         size_t *out_len)
{
    const hss_cached *c = &s->cache[step];
    bool same = v->body_len == c->req_len && memcmp(v->body, c->req, c->req_len) == 0;
    if (!same)
        return step == step_expected(s) ? 1 : MT_E_HSS_RESEND_DIFFERS;
    if (clock_now(s->clock) - c->at_ns > HSS_RESEND_WINDOW_NS)
        return MT_E_HSS_RESEND_EXPIRED;
    return copy_answer(c, out, cap, out_len);
}

/* Runs a new step and frames its answer as an unencrypted message; keeps it for resends. */
static int answer_new(hss *s, unsigned step, const mt_plain_view *v, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    uint8_t body[HS_PACKET_MAX - MT_PLAIN_HEADER_LEN];
    mt_wr w = wr_init(body, sizeof body);
    int err = run_step(s, step, v->body, v->body_len, &w);
    uint64_t msg_id = 0;
    if (!err)
        err = w.err ? w.err : msgid_next(&s->ids, s->clock, s->rng, MSGID_SERVER_RESPONSE, &msg_id);
    hss_cached *c = &s->cache[step];
    if (!err)
        err = mt_plain_pack(msg_id, body, wr_len(&w), c->ans, sizeof c->ans, &c->ans_len);
    memset(body, 0, sizeof body);
    if (err)
        return err;
    c->used = true;
    c->at_ns = clock_now(s->clock);
    c->req_len = v->body_len;
    memcpy(c->req, v->body, v->body_len);
    return copy_answer(c, out, cap, out_len);
}

static bool is_rule(int err)
{
    return err != 0 && mt_rule_of(err) != NULL;
}

int hss_feed(hss *s, const uint8_t *packet, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (s->state == HSS_LATCHED)
        return MT_E_HSS_LATCHED;
    mt_plain_view v;
    int err = mt_plain_unpack(packet, n, &v);
    if (!err && (v.body_len < 4 || v.body_len > HSS_QUERY_MAX))
        err = MT_E_HSS_MALFORMED_QUERY;
    if (err)
        return latch(s, err);
    unsigned step = step_of(ld32le(v.body));
    if (step == HSS_STEP_NONE)
        return latch(s, MT_E_HSS_UNEXPECTED_QUERY);
    if (s->cache[step].used) {
        err = answer_resend(s, step, &v, out, cap, out_len);
        if (err != 1)
            return is_rule(err) ? latch(s, err) : err;
    } else if (step != step_expected(s)) {
        return latch(s, MT_E_HSS_UNEXPECTED_QUERY);
    }
    hss copy_state = *s; /* a tool error (no_space, rng) leaves the engine as it was */
    err = answer_new(s, step, &v, out, cap, out_len);
    if (is_rule(err))
        err = latch(s, err);
    else if (err)
        *s = copy_state;
    memset(&copy_state, 0, sizeof copy_state);
    return err;
}

hss_state hss_get_state(const hss *s)
{
    return s->state;
}

const int *hss_warnings(const hss *s, size_t *n)
{
    *n = s->n_warnings;
    return s->warnings;
}

int hss_result(const hss *s, hs_result *out)
{
    if (s->state != HSS_DONE)
        return MT_E_bad_argument;
    *out = s->res;
    return 0;
}

int32_t hss_dc(const hss *s)
{
    return s->dc;
}

void hss_wipe(hss *s)
{
    wipe_secrets(s);
    memset(s, 0, sizeof *s);
}

bool hss_be_u64(tl_str v, uint64_t *out)
{
    if (v.len == 0 || v.len > 8)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < v.len; i++)
        x = x << 8 | v.p[i];
    *out = x;
    return true;
}

void hss_wr_be_u64(mt_wr *w, uint64_t v)
{
    uint8_t b[8];
    size_t n = 0;
    for (uint64_t t = v; t; t >>= 8)
        n++;
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    tl_wr_string(w, b, n);
}
