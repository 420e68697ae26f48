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
     NULL, false},
    {"temp", "a temporary key: p_q_inner_data_temp_dc with expires_in 86400", 2, true, 0, 0, NULL,
     NULL, false},
    {"retry", "dh_gen_retry: the server treats the first auth_key_hash as taken; retry_id", 3,
     false, 1, 0, NULL, NULL, false},
    {"resend", "the client sends req_DH_params twice; the server answers the same bytes", 4, false,
     0, 2, NULL, NULL, false},
    {"refuse_nonce", "server refusal: req_DH_params with a wrong nonce gets -404", 5, false, 0, 0,
     "req_dh_nonce", NULL, false},
    {"refuse_fingerprint", "server refusal: an unknown public_key_fingerprint gets -404", 6, false,
     0, 0, "req_dh_fingerprint", NULL, false},
    {"refuse_rsa_pad", "server refusal: RSA_PAD encrypted_data with a flipped byte gets -404", 7,
     false, 0, 0, "req_dh_encrypted", NULL, false},
    {"refuse_client_dh", "server refusal: client_DH_inner_data with a flipped byte gets -404", 8,
     false, 0, 0, "set_dh_encrypted", NULL, false},
    {"abort_pq_prime", "client abort: resPQ whose pq is a prime", 9, false, 0, 0, NULL, "pq_prime",
     false},
    {"abort_answer_hash", "client abort: the SHA1 of answer_with_hash is wrong", 10, false, 0, 0,
     NULL, "answer_hash", false},
    {"abort_ga_bounds", "client abort: g_a = 2, below 2^(2048-64)", 11, false, 0, 0, NULL,
     "ga_bounds", false},
    {"abort_new_nonce_hash", "client abort: dh_gen_ok with a wrong new_nonce_hash1", 12, false, 0,
     0, NULL, "new_nonce_hash", false},
    {"temp_bind",
     "a permanent key, a temporary key (p_q_inner_data_temp_dc, expires_in 86400), then "
     "auth.bindTempAuthKey under the temporary key, answered boolTrue",
     13, true, 0, 0, NULL, NULL, true},
};
const size_t gen_case_count = sizeof gen_cases / sizeof gen_cases[0];

typedef struct gen_run {
    const gen_case *c;
    mt_transcript *t;
    mt_vclock clock;
    mt_drbg gen, cd, sd;
    uint8_t cseed[32], sseed[32];
    uint8_t nonce[2][16], new_nonce[2][32], b[2][256], snonce[2][16], a[2][256]; /* per handshake */
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
    int err = transcript_set_word(&t->records, g->c->bind ? "temp-bind" : "handshake");
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
    for (unsigned k = 0; k < (g->c->bind ? 2u : 1u); k++) {
        err = err ? err : transcript_add_hex(&t->randoms, TR_CLIENT, "nonce", g->nonce[k], 16);
        err = err ? err
                  : transcript_add_hex(&t->randoms, TR_CLIENT, "new_nonce", g->new_nonce[k], 32);
        err = err ? err : transcript_add_hex(&t->randoms, TR_CLIENT, "b", g->b[k], 256);
        err = err ? err
                  : transcript_add_hex(&t->randoms, TR_SERVER, "server_nonce", g->snonce[k], 16);
        err = err ? err : transcript_add_hex(&t->randoms, TR_SERVER, "a", g->a[k], 256);
    }
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
    for (unsigned k = 0; k < (g->c->bind ? 2u : 1u); k++) {
        drbg_generate(&g->gen, g->nonce[k], sizeof g->nonce[k]);
        drbg_generate(&g->gen, g->new_nonce[k], sizeof g->new_nonce[k]);
        drbg_generate(&g->gen, g->b[k], sizeof g->b[k]);
        drbg_generate(&g->gen, g->snonce[k], sizeof g->snonce[k]);
        drbg_generate(&g->gen, g->a[k], sizeof g->a[k]);
    }
    drbg_init(&g->cd, g->cseed, sizeof g->cseed);
    drbg_init(&g->sd, g->sseed, sizeof g->sseed);
}

/* Both engines for handshake k, set up as the replay sets them up from the header (the clock
 * starts with the first; the DRBGs go on from one handshake to the next). */
static int engines(gen_run *g, const rsa_private *key, unsigned k)
{
    bool temp = g->c->temp && (!g->c->bind || k == 1);
    g->pubs[0] = &key->pub;
    g->privs[0] = key;
    hs_client_config cc = {.keys = g->pubs,
                           .n_keys = 1,
                           .dc = 2,
                           .kind = temp ? HS_KEY_TEMP : HS_KEY_PERM,
                           .expires_in = temp ? GEN_EXPIRES_IN : 0};
    hs_client_fixed cf = {.nonce = g->nonce[k], .new_nonce = g->new_nonce[k], .b = g->b[k]};
    hss_config sc = {.keys = g->privs,
                     .n_keys = 1,
                     .dh_prime = PRIME_TELEGRAM_DH,
                     .g = HSS_G_DEFAULT,
                     .key_exists = collides,
                     .key_exists_ctx = g,
                     .fault = g->c->server_fault ? hss_fault_by_name(g->c->server_fault)
                                                 : HSS_FAULT_NONE};
    hss_fixed sf = {.server_nonce = g->snonce[k], .a = g->a[k]};
    g->collide = g->c->collide;
    if (k == 0)
        vclock_init(&g->clock, GEN_T0_NS);
    int err = hs_client_init(&g->cl, &cc, &g->clock.clock, &g->cd.rng, &cf);
    return err ? err : hss_init(&g->sv, &sc, &g->clock.clock, &g->sd.rng, &sf);
}

/* One handshake: the client starts, then the engines take turns until one stops. */
static int handshake(gen_run *g)
{
    bool stop = false;
    int err = hs_client_start(&g->cl, g->cmsg, sizeof g->cmsg, &g->cmsg_len);
    err = err ? err : client_sent(g);
    while (!err && !stop) {
        err = server_turn(g, &stop);
        if (!err && !stop)
            err = client_turn(g, &stop);
    }
    return err;
}

static int run(gen_run *g)
{
    int err = handshake(g);
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

/* The results of a finished handshake on both sides (bad_field: the case must finish). */
static int results(gen_run *g, hs_result *cr, hs_result *sr)
{
    if (hs_client_result(&g->cl, cr) != MT_OK)
        return MT_E_bad_field;
    if (hss_result(&g->sv, sr) != MT_OK) {
        hs_result_wipe(cr);
        return MT_E_bad_field;
    }
    return MT_OK;
}

/* A side's expect lines of a temp-bind run: those of the temporary key, the permanent key's id,
 * and what the binding came to. */
static int bind_expects(mt_transcript *t, unsigned side, const hs_result res[2], const char *bind)
{
    int err = expects(t, side, "ok", &res[1]);
    err = err ? err : transcript_add_hex(&t->expects, side, "perm-auth-key-id", res[0].key.id, 8);
    return err ? err : transcript_add_word(&t->expects, side, "bind", bind);
}

/* The bind query and its answer (harness/replay_bind.c), at the times the replay uses: the
 * query's frame for the client, the answer's for the server and for the client's reading. */
static int bind_frames(gen_run *g, const hs_result cr[2], const hs_result sr[2],
                       const uint64_t end_ns[2])
{
    replay_bind_client st;
    mt_bind_action act = MT_BIND_FAIL;
    int rule = 0;
    g->clock.ns += GEN_STEP_NS;
    int err = replay_bind_query(&cr[0], &cr[1], &g->clock.clock, &g->cd.rng, &st, g->cmsg,
                                sizeof g->cmsg, &g->cmsg_len);
    err = err ? err : transcript_add_frame(g->t, TR_C2S, g->clock.ns, g->cmsg, g->cmsg_len);
    g->clock.ns += GEN_STEP_NS;
    err = err ? err
              : replay_bind_answer(&sr[0], &sr[1], (int64_t)(end_ns[1] / NS_PER_S), &g->clock.clock,
                                   &g->sd.rng, g->cmsg, g->cmsg_len, g->smsg, sizeof g->smsg,
                                   &g->smsg_len, &rule);
    if (!err && (rule || !g->smsg_len))
        err = MT_E_bad_field; /* the golden case binds */
    err = err ? err : transcript_add_frame(g->t, TR_S2C, g->clock.ns, g->smsg, g->smsg_len);
    err = err ? err
              : replay_bind_result(&st, &cr[1], (g->clock.ns - end_ns[0]) / NS_PER_S, g->smsg,
                                   g->smsg_len, &act);
    if (!err && act != MT_BIND_DONE)
        err = MT_E_bad_field;
    err = err ? err : bind_expects(g->t, TR_CLIENT, cr, mt_bind_action_name(act));
    err = err ? err : bind_expects(g->t, TR_SERVER, sr, "ok");
    return err ? err : transcript_add_key(g->t, cr[1].key.key, MT_AUTH_KEY_LEN);
}

/* The temp_bind case: two handshakes (the DRBGs and the clock go on), then the binding. */
static int gen_bind_run(gen_run *g, const rsa_private *key)
{
    hs_result cr[2], sr[2];
    uint64_t end_ns[2] = {0, 0};
    unsigned got = 0;
    int err = MT_OK;
    for (unsigned k = 0; !err && k < 2; k++) {
        if (k)
            g->clock.ns += GEN_STEP_NS;
        err = engines(g, key, k);
        err = err ? err : handshake(g);
        err = err ? err : results(g, &cr[k], &sr[k]);
        got += !err;
        end_ns[k] = transcript_frame(g->t, g->t->frames.n - 1)->time_ns;
        hs_client_wipe(&g->cl);
        hss_wipe(&g->sv);
    }
    err = err ? err : bind_frames(g, cr, sr, end_ns);
    for (unsigned k = 0; k < got; k++) {
        hs_result_wipe(&cr[k]);
        hs_result_wipe(&sr[k]);
    }
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
    if (c->bind)
        err = err ? err : gen_bind_run(g, key);
    else {
        err = err ? err : engines(g, key, 0);
        err = err ? err : run(g);
    }
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
