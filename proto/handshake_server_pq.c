/*
 * Server step 1: req_pq_multi#be7e8ef1 nonce:int128 (or the deprecated req_pq#60469778) ->
 * resPQ#05162463 nonce server_nonce pq:bytes server_public_key_fingerprints:Vector<long>.
 * "pq is a representation of a natural number (in binary big endian format)" that is the product
 * of two distinct odd primes, "normally <= 2^63 - 1" (page mtproto/auth_key).
 */
#include <string.h>

#include "crypto/pq.h"
#include "proto/handshake_server_internal.h"

/* A random prime of exactly `bits` bits (its top bit set), by counting up from a random odd
 * start; the density of primes makes the walk short (about bits * ln 2 / 2 candidates). */
int hss_random_prime(mt_rng *rng, unsigned bits, uint64_t *out)
{
    uint8_t b[8];
    int err = rng_fill(rng, b, sizeof b);
    if (err)
        return err;
    uint64_t top = 1ull << (bits - 1);
    uint64_t x = 0;
    for (size_t i = 0; i < sizeof b; i++)
        x = x << 8 | b[i];
    memset(b, 0, sizeof b);
    x = (bits == 64 ? x : x & (2 * top - 1)) | top | 1;
    while (!pq_is_prime_u64(x)) {
        x += 2;
        if (x < top || (bits < 64 && x >= 2 * top))
            x = top | 1; /* wrapped past the range: start at its bottom */
    }
    *out = x;
    return 0;
}

/* p of bits/2 bits and q of bits - bits/2 bits, both with their top bit set: pq < 2^bits. */
static int make_pq(hss *s)
{
    if (s->fixed.p) {
        s->p = s->fixed.p;
        s->q = s->fixed.q;
        return 0;
    }
    unsigned bp = s->cfg.pq_bits / 2, bq = s->cfg.pq_bits - bp;
    uint64_t p, q;
    do {
        int err = hss_random_prime(s->rng, bp, &p);
        if (!err)
            err = hss_random_prime(s->rng, bq, &q);
        if (err)
            return err;
    } while (p == q);
    s->p = p < q ? p : q;
    s->q = p < q ? q : p;
    return 0;
}

static void write_fingerprints(const hss *s, mt_wr *w)
{
    tl_wr_vector(w, true, (uint32_t)s->cfg.n_keys);
    for (size_t i = 0; i < s->cfg.n_keys; i++) {
        uint8_t fp[RSA_FINGERPRINT_LEN];
        memcpy(fp, s->fingerprints[i], sizeof fp);
        if (hss_faulty(s, HSS_FAULT_FINGERPRINTS))
            fp[0] ^= 0x5a;
        wr_bytes(w, fp, sizeof fp);
    }
}

int hss_step_req_pq(hss *s, const uint8_t *q, size_t n, mt_wr *w)
{
    mt_rd r = rd_init(q, n);
    uint32_t id = (uint32_t)tl_rd_int(&r);
    uint8_t nonce[HS_NONCE_LEN];
    tl_rd_int128(&r, nonce);
    if (rd_done(&r))
        return MT_E_HSS_MALFORMED_QUERY;
    int err = id == HSS_ID_REQ_PQ ? hss_deprecated(s, MT_E_HSS_DEPRECATED_REQ_PQ) : 0;
    if (!err && s->fixed.server_nonce)
        memcpy(s->server_nonce, s->fixed.server_nonce, HS_NONCE_LEN);
    else if (!err)
        err = rng_fill(s->rng, s->server_nonce, HS_NONCE_LEN);
    if (!err)
        err = make_pq(s);
    if (err)
        return err;
    memcpy(s->nonce, nonce, HS_NONCE_LEN);
    if (hss_faulty(s, HSS_FAULT_RESPQ_NONCE))
        nonce[0] ^= 1;
    tl_wr_int(w, (int32_t)HSS_ID_RES_PQ);
    tl_wr_int128(w, nonce);
    tl_wr_int128(w, s->server_nonce);
    err = hss_write_respq_tail(s, w);
    if (!err)
        s->state = HSS_WAIT_REQ_DH;
    return err;
}

int hss_write_respq_tail(hss *s, mt_wr *w)
{
    int err = hss_write_pq(s, w);
    if (!err)
        write_fingerprints(s, w);
    return err;
}
