/* HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1 §10.1.2), without reseed counter or
 * prediction resistance: a deterministic stream for reproducible runs. */
#include "crypto/drbg.h"

#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/hmac.h"

/* §10.1.2.2 HMAC_DRBG_Update: K = HMAC(K, V || 0x00 || data); V = HMAC(K, V); and, only when
 * data is not empty, K = HMAC(K, V || 0x01 || data); V = HMAC(K, V). */
static void drbg_update(mt_drbg *d, const uint8_t *data, size_t n)
{
    hmac_sha256_ctx c;
    for (uint8_t round = 0; round < 2; round++) {
        if (round == 1 && n == 0)
            break;
        hmac_sha256_init(&c, d->k, sizeof d->k);
        hmac_sha256_update(&c, d->v, sizeof d->v);
        hmac_sha256_update(&c, &round, 1);
        hmac_sha256_update(&c, data, n);
        hmac_sha256_final(&c, d->k);
        hmac_sha256(d->k, sizeof d->k, d->v, sizeof d->v, d->v);
    }
    ct_wipe(&c, sizeof c);
}

static int drbg_fill(mt_rng *self, uint8_t *out, size_t n)
{
    /* self is the first member of an mt_drbg (crypto/drbg.h). */
    drbg_generate((mt_drbg *)self, out, n);
    return MT_OK;
}

void drbg_init(mt_drbg *d, const uint8_t *seed, size_t seed_len)
{
    /* §10.1.2.3 Instantiate: Key = 0x00 00...00, V = 0x01 01...01, then Update(seed_material). */
    d->rng.fill = drbg_fill;
    memset(d->k, 0x00, sizeof d->k);
    memset(d->v, 0x01, sizeof d->v);
    drbg_update(d, seed, seed_len);
}

void drbg_init_u64(mt_drbg *d, uint64_t seed)
{
    uint8_t s[8];
    st64le(s, seed);
    drbg_init(d, s, sizeof s);
    ct_wipe(s, sizeof s);
}

void drbg_reseed(mt_drbg *d, const uint8_t *input, size_t n)
{
    /* §10.1.2.4: seed_material = entropy_input || additional_input; Update(seed_material). */
    drbg_update(d, input, n);
}

/* §10.1.2.5 Generate for one request of at most DRBG_MAX_REQUEST bytes, no additional input:
 * V = HMAC(K, V) appended until enough bytes, then Update(empty). */
static void drbg_request(mt_drbg *d, uint8_t *out, size_t n)
{
    hmac_sha256_ctx keyed, c;
    hmac_sha256_init(&keyed, d->k, sizeof d->k);
    for (size_t done = 0; done < n;) {
        memcpy(&c, &keyed, sizeof c);
        hmac_sha256_update(&c, d->v, sizeof d->v);
        hmac_sha256_final(&c, d->v);
        size_t take = n - done < sizeof d->v ? n - done : sizeof d->v;
        memcpy(out + done, d->v, take);
        done += take;
    }
    ct_wipe(&keyed, sizeof keyed);
    ct_wipe(&c, sizeof c);
    drbg_update(d, NULL, 0);
}

void drbg_generate(mt_drbg *d, uint8_t *out, size_t n)
{
    /* A zero-byte fill makes no request and leaves the state as it was. */
    while (n) {
        size_t chunk = n < DRBG_MAX_REQUEST ? n : DRBG_MAX_REQUEST;
        drbg_request(d, out, chunk);
        out += chunk;
        n -= chunk;
    }
}

void drbg_wipe(mt_drbg *d)
{
    ct_wipe(d, sizeof *d);
}
