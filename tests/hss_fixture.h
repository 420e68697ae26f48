/*
 * Fixture of the server handshake tests: the server engine on a DRBG and a virtual clock with the
 * test key (vectors/keys/test_rsa2048.pem), and a client written in the test from our primitives
 * (not the client engine), so each message can be broken in one place on purpose.
 */
#ifndef MTPROOF_TESTS_HSS_FIXTURE_H
#define MTPROOF_TESTS_HSS_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "crypto/drbg.h"
#include "crypto/pq.h"
#include "crypto/sha1.h"
#include "proto/handshake_server.h"
#include "proto/message.h"
#include "proto/tl.h"
#include "testutil.h"

#define T0_NS (1707425105ull * NS_PER_S)

/* What the hand client breaks (one at a time). */
enum tc_break {
    TB_NONE,
    TB_NONCE,        /* outer nonce */
    TB_SERVER_NONCE, /* outer server_nonce */
    TB_P,            /* p + 2 */
    TB_SWAP_P_Q,     /* q, p */
    TB_FINGERPRINT,  /* an unknown fingerprint */
    TB_RSA_HASH,     /* a byte of encrypted_data flipped */
    TB_RSA_LENGTH,   /* encrypted_data of 255 bytes */
    TB_INNER_ID,     /* inner constructor unknown */
    TB_INNER_PQ,     /* inner pq differs */
    TB_INNER_NONCE,  /* inner nonce differs */
    TB_EXPIRES_IN,   /* expires_in = 0 */
    TB_ANSWER_HASH,  /* SHA1 of client_DH_inner_data wrong */
    TB_ANSWER_PAD,   /* 16 more padding bytes */
    TB_ANSWER_LEN,   /* encrypted_data not a multiple of 16 */
    TB_CLIENT_INNER_ID,
    TB_CLIENT_INNER_NONCE,
    TB_RETRY_ID, /* retry_id wrong */
    TB_GB_RANGE, /* g_b = 1 */
    TB_GB_BOUNDS /* g_b = 2 */
};

/* The inner form of req_DH_params. */
enum tc_inner { TI_DC, TI_TEMP_DC, TI_NO_DC, TI_TEMP_NO_DC };

typedef struct tc {
    uint8_t nonce[16], server_nonce[16], new_nonce[32], fp[8];
    uint64_t p, q, msg_id;
    hs_tmp_aes tmp;
    uint8_t dh_prime[DH_BYTES], g_a[DH_BYTES];
    int32_t g;
    uint8_t retry_id[8];
    mt_auth_key key;
} tc;

typedef struct fx {
    mt_drbg drbg, client_drbg;
    mt_vclock clock;
    rsa_private key;
    const rsa_private *keys[1];
    hss_config cfg;
    hss s;
    tc c;
    uint8_t pkt[HS_PACKET_MAX], ans[HS_PACKET_MAX];
    size_t pkt_len, ans_len;
} fx;

static inline void fx_load_key(fx *f)
{
    char path[512];
    snprintf(path, sizeof path, "%s/vectors/keys/test_rsa2048.pem", MTPROOF_SOURCE_DIR);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char pem[8192];
    size_t n = fread(pem, 1, sizeof pem, fp);
    fclose(fp);
    drbg_init_u64(&f->drbg, 7);
    assert_int_equal(rsa_private_load_pem(&f->key, pem, n, &f->drbg.rng, NULL, NULL), 0);
}

/* A fresh fixture with cfg defaults; call fx_start after changing f->cfg. */
static inline fx *fx_new(void)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fx_load_key(f);
    drbg_init_u64(&f->drbg, 1);
    drbg_init_u64(&f->client_drbg, 2);
    vclock_init(&f->clock, T0_NS);
    f->keys[0] = &f->key;
    f->cfg.keys = f->keys;
    f->cfg.n_keys = 1;
    f->c.msg_id = (T0_NS / NS_PER_S) << 32;
    return f;
}

static inline void fx_start(fx *f)
{
    assert_int_equal(hss_init(&f->s, &f->cfg, &f->clock.clock, &f->drbg.rng, NULL), 0);
}

static inline void fx_free(fx *f)
{
    hss_wipe(&f->s);
    rsa_private_wipe(&f->key);
    free(f);
}

/* Frames body as the client's next unencrypted message and feeds it; returns hss_feed's result. */
static inline int fx_send(fx *f, const uint8_t *body, size_t len)
{
    f->c.msg_id += 4;
    assert_int_equal(mt_plain_pack(f->c.msg_id, body, len, f->pkt, sizeof f->pkt, &f->pkt_len), 0);
    return hss_feed(&f->s, f->pkt, f->pkt_len, f->ans, sizeof f->ans, &f->ans_len);
}

/* The body of the last answer, as a reader positioned after its constructor id (checked). */
static inline mt_rd fx_answer(fx *f, uint32_t id)
{
    mt_plain_view v;
    assert_int_equal(mt_plain_unpack(f->ans, f->ans_len, &v), 0);
    mt_rd r = rd_init(v.body, v.body_len);
    assert_int_equal((uint32_t)tl_rd_int(&r), id);
    return r;
}

#endif
