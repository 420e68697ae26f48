/* The golden transcript generator (tests/transcript_gen.h). */
#include "transcript_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/hex.h"
#include "common/rules.h"
#include "crypto/drbg.h"
#include "crypto/prime.h"
#include "harness/replay_internal.h"
#include "proto/handshake.h"
#include "proto/handshake_server.h"

const gen_case gen_cases[] = {
    {"perm", "a permanent key: req_pq_multi, p_q_inner_data_dc, dh_gen_ok", 1, false, 0, 0, NULL,
     NULL},
    {"temp", "a temporary key: p_q_inner_data_temp_dc with expires_in 86400", 2, true, 0, 0, NULL,
     NULL},
    {"retry", "dh_gen_retry: the server treats the first auth_key_hash as taken; retry_id", 3,
     false, 1, 0, NULL, NULL},
    {"resend", "the client sends req_DH_params twice; the server answers the same bytes", 4, false,
     0, 2, NULL, NULL},
    {"refuse_nonce", "server refusal: req_DH_params with a wrong nonce gets -404", 5, false, 0, 0,
     "req_dh_nonce", NULL},
    {"refuse_fingerprint", "server refusal: an unknown public_key_fingerprint gets -404", 6, false,
     0, 0, "req_dh_fingerprint", NULL},
    {"refuse_rsa_pad", "server refusal: RSA_PAD encrypted_data with a flipped byte gets -404", 7,
     false, 0, 0, "req_dh_encrypted", NULL},
    {"refuse_client_dh", "server refusal: client_DH_inner_data with a flipped byte gets -404", 8,
     false, 0, 0, "set_dh_encrypted", NULL},
    {"abort_pq_prime", "client abort: resPQ whose pq is a prime", 9, false, 0, 0, NULL, "pq_prime"},
    {"abort_answer_hash", "client abort: the SHA1 of answer_with_hash is wrong", 10, false, 0, 0,
     NULL, "answer_hash"},
    {"abort_ga_bounds", "client abort: g_a = 2, below 2^(2048-64)", 11, false, 0, 0, NULL,
     "ga_bounds"},
    {"abort_new_nonce_hash", "client abort: dh_gen_ok with a wrong new_nonce_hash1", 12, false, 0,
     0, NULL, "new_nonce_hash"},
};
const size_t gen_case_count = sizeof gen_cases / sizeof gen_cases[0];

typedef struct gen_run {
    const gen_case *c;
    mt_transcript *t;
    mt_vclock clock;
    mt_drbg gen, cd, sd;
    uint8_t cseed[32], sseed[32], nonce[16], new_nonce[32], b[256], snonce[16], a[256];
    hs_client cl;
    hss sv;
    const rsa_public *pubs[1]; /* the engines keep pointers to these */
    const rsa_private *privs[1];
    unsigned collide, sent;
    bool resent;
    char cres[64], sres[64];
    uint8_t cmsg[HS_PACKET_MAX], smsg[HS_PACKET_MAX];
    size_t cmsg_len, smsg_len;
} gen_run;

static bool collides(void *ctx, const uint8_t id[MT_AUTH_KEY_ID_LEN])
{
    (void)id;
    gen_run *g = ctx;
    return g->collide ? (g->collide--, true) : false;
}

/* The header: what the replay needs to set both engines up as below. */
static int header(gen_run *g, uint64_t fp)
{
    mt_transcript *t = g->t;
    char src[256];
    snprintf(src, sizeof src,
             "mtproof tests/transcript_gen.c, case %s (seed %llu); regenerate with "
             "test_transcript_gen --write",
             g->c->name, (unsigned long long)g->c->seed);
    int err = transcript_set_word(&t->records, "handshake");
    err = err ? err : transcript_add_text(&t->sources, src);
    err = err ? err : transcript_add_text(&t->notes, g->c->what);
    err = err ? err : transcript_add_rsa_key(t, fp, GEN_KEY_FILE);
    if (!err && (t->dh_prime.p = malloc(DH_BYTES)) != NULL) {
        memcpy(t->dh_prime.p, PRIME_TELEGRAM_DH, DH_BYTES);
        t->dh_prime.len = DH_BYTES;
    }
    t->dh_g = HSS_G_DEFAULT;
    err = err ? err : transcript_add_int(&t->params, TR_CLIENT, "dc", 2);
    err =
        err ? err
            : transcript_add_word(&t->params, TR_CLIENT, "key-type", g->c->temp ? "temp" : "perm");
    if (!err && g->c->temp)
        err = transcript_add_int(&t->params, TR_CLIENT, "expires-in", GEN_EXPIRES_IN);
    if (!err && g->c->client_fault)
        err = transcript_add_word(&t->params, TR_CLIENT, "fault", g->c->client_fault);
    if (!err && g->c->resend)
        err = transcript_add_int(&t->params, TR_CLIENT, "resend", g->c->resend);
    if (!err && g->c->server_fault)
        err = transcript_add_word(&t->params, TR_SERVER, "fault", g->c->server_fault);
    if (!err && g->c->collide)
        err = transcript_add_int(&t->params, TR_SERVER, "collide", g->c->collide);
    for (unsigned s = 0; !err && s < 2; s++) {
        t->have_seed[s] = true;
        t->seed[s].p = malloc(32);
        if (!t->seed[s].p)
            return MT_E_no_memory;
        memcpy(t->seed[s].p, s ? g->sseed : g->cseed, 32);
        t->seed[s].len = 32;
    }
    err = err ? err : transcript_add_hex(&t->randoms, TR_CLIENT, "nonce", g->nonce, 16);
    err = err ? err : transcript_add_hex(&t->randoms, TR_CLIENT, "new_nonce", g->new_nonce, 32);
    err = err ? err : transcript_add_hex(&t->randoms, TR_CLIENT, "b", g->b, 256);
    err = err ? err : transcript_add_hex(&t->randoms, TR_SERVER, "server_nonce", g->snonce, 16);
    err = err ? err : transcript_add_hex(&t->randoms, TR_SERVER, "a", g->a, 256);
    return err;
}

/* The side's expect lines: its result and, when it finished, the key, id and salt. */
static int expects(mt_transcript *t, unsigned side, const char *result, const hs_result *res)
{
    int err = transcript_add_word(&t->expects, side, "result", result);
    if (!err && res) {
        err = transcript_add_hex(&t->expects, side, "auth-key", res->key.key, MT_AUTH_KEY_LEN);
        err = err ? err : transcript_add_hex(&t->expects, side, "auth-key-id", res->key.id, 8);
        err = err ? err : transcript_add_hex(&t->expects, side, "server-salt", res->server_salt, 8);
        err = err ? err : transcript_add_int(&t->expects, side, "retries", res->retries);
    }
    return err;
}

/* One client message recorded: the fault applied as the replay will. */
static int client_sent(gen_run *g)
{
    g->sent++;
    replay_client_fault(g->c->client_fault, g->sent, g->cmsg, g->cmsg_len);
    return transcript_add_frame(g->t, TR_C2S, g->clock.ns, g->cmsg, g->cmsg_len);
}

/* The server answers the client's last message: a packet or the rule's transport error. */
static int server_turn(gen_run *g, bool *stop)
{
    g->clock.ns += GEN_STEP_NS;
    int err = hss_feed(&g->sv, g->cmsg, g->cmsg_len, g->smsg, sizeof g->smsg, &g->smsg_len);
    if (err && !mt_err_is_rule(err))
        return err;
    if (err) {
        snprintf(g->sres, sizeof g->sres, "%s", mt_err_name(err));
        int code = mt_rule_of(err)->code;
        st32le(g->smsg, (uint32_t)(code < 0 ? code : -404));
        g->smsg_len = 4;
        snprintf(g->cres, sizeof g->cres, "transport-error:%d", code < 0 ? code : -404);
        *stop = true;
    }
    return transcript_add_frame(g->t, TR_S2C, g->clock.ns, g->smsg, g->smsg_len);
}

/* The client takes the answer (or resends its message instead, once). */
static int client_turn(gen_run *g, bool *stop)
{
    g->clock.ns += GEN_STEP_NS;
    if (g->c->resend && g->c->resend == g->sent && !g->resent) {
        g->resent = true;
        return transcript_add_frame(g->t, TR_C2S, g->clock.ns, g->cmsg, g->cmsg_len);
    }
    int err = hs_client_feed(&g->cl, g->smsg, g->smsg_len, g->cmsg, sizeof g->cmsg, &g->cmsg_len);
    if (err && !mt_err_is_rule(err))
        return err;
    if (err || g->cmsg_len == 0) {
        if (err)
            snprintf(g->cres, sizeof g->cres, "%s", mt_err_name(err));
        *stop = true;
        return MT_OK;
    }
    return client_sent(g);
}

static void draw(gen_run *g)
{
    drbg_init_u64(&g->gen, g->c->seed);
    drbg_generate(&g->gen, g->cseed, sizeof g->cseed);
    drbg_generate(&g->gen, g->sseed, sizeof g->sseed);
    drbg_generate(&g->gen, g->nonce, sizeof g->nonce);
    drbg_generate(&g->gen, g->new_nonce, sizeof g->new_nonce);
    drbg_generate(&g->gen, g->b, sizeof g->b);
    drbg_generate(&g->gen, g->snonce, sizeof g->snonce);
    drbg_generate(&g->gen, g->a, sizeof g->a);
    drbg_init(&g->cd, g->cseed, sizeof g->cseed);
    drbg_init(&g->sd, g->sseed, sizeof g->sseed);
}

/* Both engines, set up as the replay sets them up from the header. */
static int engines(gen_run *g, const rsa_private *key)
{
    g->pubs[0] = &key->pub;
    g->privs[0] = key;
    hs_client_config cc = {.keys = g->pubs,
                           .n_keys = 1,
                           .dc = 2,
                           .kind = g->c->temp ? HS_KEY_TEMP : HS_KEY_PERM,
                           .expires_in = g->c->temp ? GEN_EXPIRES_IN : 0};
    hs_client_fixed cf = {.nonce = g->nonce, .new_nonce = g->new_nonce, .b = g->b};
    hss_config sc = {.keys = g->privs,
                     .n_keys = 1,
                     .dh_prime = PRIME_TELEGRAM_DH,
                     .g = HSS_G_DEFAULT,
                     .key_exists = collides,
                     .key_exists_ctx = g,
                     .fault = g->c->server_fault ? hss_fault_by_name(g->c->server_fault)
                                                 : HSS_FAULT_NONE};
    hss_fixed sf = {.server_nonce = g->snonce, .a = g->a};
    g->collide = g->c->collide;
    vclock_init(&g->clock, GEN_T0_NS);
    int err = hs_client_init(&g->cl, &cc, &g->clock.clock, &g->cd.rng, &cf);
    return err ? err : hss_init(&g->sv, &sc, &g->clock.clock, &g->sd.rng, &sf);
}

static int run(gen_run *g)
{
    bool stop = false;
    int err = hs_client_start(&g->cl, g->cmsg, sizeof g->cmsg, &g->cmsg_len);
    err = err ? err : client_sent(g);
    while (!err && !stop) {
        err = server_turn(g, &stop);
        if (!err && !stop)
            err = client_turn(g, &stop);
    }
    if (err)
        return err;
    hs_result cr, sr;
    bool cdone = hs_client_result(&g->cl, &cr) == MT_OK;
    bool sdone = hss_result(&g->sv, &sr) == MT_OK;
    if (!g->cres[0])
        snprintf(g->cres, sizeof g->cres, "%s", cdone ? "ok" : "incomplete");
    if (!g->sres[0])
        snprintf(g->sres, sizeof g->sres, "%s",
                 sdone                                   ? "ok"
                 : hss_get_state(&g->sv) == HSS_GEN_FAIL ? "dh_gen_fail"
                                                         : "incomplete");
    err = expects(g->t, TR_CLIENT, g->cres, cdone ? &cr : NULL);
    err = err ? err : expects(g->t, TR_SERVER, g->sres, sdone ? &sr : NULL);
    if (cdone)
        hs_result_wipe(&cr);
    if (sdone)
        hs_result_wipe(&sr);
    return err;
}

static int load_key(const char *path, rsa_private *key)
{
    FILE *f = fopen(path, "rb");
    char text[8192];
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (!f)
        return MT_E_io_error;
    fclose(f);
    mt_drbg d;
    drbg_init(&d, (const uint8_t *)"replay key check", 16);
    int err = rsa_private_load_pem(key, text, n, &d.rng, NULL, NULL);
    drbg_wipe(&d);
    return err;
}

int gen_transcript(const gen_case *c, const char *key_path, mt_transcript *t)
{
    transcript_init(t);
    gen_run *g = calloc(1, sizeof *g);
    rsa_private *key = calloc(1, sizeof *key);
    int err = g && key ? load_key(key_path, key) : MT_E_no_memory;
    if (!err) {
        g->c = c;
        g->t = t;
        draw(g);
        err = header(g, rsa_fingerprint_u64(&key->pub));
    }
    err = err ? err : engines(g, key);
    err = err ? err : run(g);
    if (g) {
        hs_client_wipe(&g->cl);
        hss_wipe(&g->sv);
        free(g);
    }
    if (key) {
        rsa_private_wipe(key);
        free(key);
    }
    return err;
}
