/* Every rejection rule of the end-to-end layer (common/rules.def, "end-to-end layer"), provoked
 * by a hand-driven peer that knows the chat key and forges what it sends. */
#include "common/endian.h"
#include "crypto/aes.h"
#include "crypto/dh.h"
#include "crypto/ige.h"
#include "e2e_pair.h"
#include "proto/tl_e2e.h"
#include "proto/tl_rly.h"

/* The engine under test (not the originator) and the forging originator. */
typedef struct mpeer {
    pair_side side;
    uint8_t key[E2E_KEY_LEN];
    uint32_t out_raw;
    uint8_t env[E2E_ENVELOPE_MAX];
} mpeer;

static size_t encode(const tl_obj *o, uint8_t *out, size_t cap)
{
    mt_wr w = wr_init(out, cap);
    assert_int_equal(tl_encode(&w, o), 0);
    assert_int_equal(w.err, 0);
    return wr_len(&w);
}

static int feed(mpeer *m, const uint8_t *env, size_t n)
{
    tu_buf b = tu_dup(env, n);
    int err = e2e_feed(m->side.e, b.p, b.len);
    tu_free(&b);
    return err;
}

static void clear_queue(pair_side *s)
{
    for (size_t k = 0; k < s->qn; k++)
        free(s->q[k]);
    s->qn = 0;
}

/* Plays the originator's first step by hand and keeps the key. */
static void mp_setup(mpeer *m, uint64_t seed)
{
    memset(m, 0, sizeof *m);
    drbg_init_u64(&m->side.rng, seed);
    e2e_config cfg = {.rng = &m->side.rng.rng,
                      .on_event = pair_on_event,
                      .on_output = pair_on_output,
                      .ctx = &m->side};
    assert_int_equal(e2e_new(&m->side.e, &cfg), 0);
    dh_ctx dh;
    uint8_t g_a[DH_BYTES];
    assert_int_equal(dh_init(&dh, PRIME_TELEGRAM_DH, DH_BYTES, 3), 0);
    assert_int_equal(dh_generate(&dh, &m->side.rng.rng, g_a), 0);
    rly_e2e_request r = {.g_a = {g_a, DH_BYTES}};
    tl_obj o = rly_obj_e2e_request(&r);
    assert_int_equal(feed(m, m->env, encode(&o, m->env, sizeof m->env)), 0);
    assert_int_equal(m->side.qn, 1);
    uint8_t mem[4096];
    tl_arena a;
    tl_arena_init(&a, mem, sizeof mem);
    assert_int_equal(tl_decode(&rly_schema, m->side.q[0], m->side.qlen[0], &a, 0, &o), 0);
    const rly_e2e_accept *acc = rly_as_e2e_accept(&o);
    assert_non_null(acc);
    assert_int_equal(dh_compute_key(&dh, acc->g_b.p, acc->g_b.len, DH_VALUE_GB, m->key), 0);
    assert_int_equal(acc->key_fingerprint, e2e_key_fingerprint(m->key));
    dh_wipe(&dh);
    clear_queue(&m->side);
    assert_true(e2e_ready(m->side.e));
}

/* Encrypts a plaintext of m bytes as given (any length field, any padding) with x = 0. */
static size_t raw_seal(const uint8_t key[E2E_KEY_LEN], uint8_t *plain, size_t n, uint8_t *out)
{
    st64le(out, (uint64_t)e2e_key_fingerprint(key));
    assert_int_equal(mt_msg_key_v2(key, 0, plain, n, out + 8, NULL), 0);
    uint8_t k[32], iv[32];
    assert_int_equal(mt_kdf_v2(key, 0, out + 8, k, iv), 0);
    assert_int_equal(aes256_ige_encrypt(k, 32, iv, 32, plain, out + 24, n), 0);
    return 24 + n;
}

static size_t wrap(mpeer *m, const uint8_t *data, size_t n)
{
    rly_e2e_encrypted e = {.data = {data, n}};
    tl_obj o = rly_obj_e2e_encrypted(&e);
    return encode(&o, m->env, sizeof m->env);
}

/* Sends one layer object built from the fields given, sealed properly. */
static int mp_send(mpeer *m, size_t rb_len, int32_t layer, int32_t in_seq, int32_t out_seq,
                   tl_obj msg)
{
    static uint8_t obj[E2E_LAYER_OBJ_MAX * 2], data[E2E_DATA_MAX * 2];
    uint8_t rb[64] = {0};
    e2e_decryptedMessageLayer l = {.random_bytes = {rb, rb_len},
                                   .layer = layer,
                                   .in_seq_no = in_seq,
                                   .out_seq_no = out_seq,
                                   .message = msg};
    tl_obj o = e2e_obj_decryptedMessageLayer(&l);
    size_t n = encode(&o, obj, sizeof obj), out_len;
    uint8_t pad[E2E_PAD_MAX] = {0};
    size_t pad_len = 12 + (16 - (4 + n + 12) % 16) % 16;
    int err = e2e_seal(m->key, 0, obj, n, pad, pad_len, data, sizeof data, &out_len);
    if (err == MT_E_bad_argument) { /* over our own limits: seal by hand */
        uint8_t *plain = malloc(4 + n + pad_len);
        st32le(plain, (uint32_t)n);
        memcpy(plain + 4, obj, n);
        memset(plain + 4 + n, 0, pad_len);
        out_len = raw_seal(m->key, plain, 4 + n + pad_len, data);
        free(plain);
    } else {
        assert_int_equal(err, 0);
    }
    return feed(m, m->env, wrap(m, data, out_len));
}

static tl_obj text_msg(e2e_decryptedMessage *d, const char *t)
{
    memset(d, 0, sizeof *d);
    d->message = (tl_str){(const uint8_t *)t, strlen(t)};
    return e2e_obj_decryptedMessage(d);
}

/* The next correct message from the forging originator: out odd, in even. */
static int mp_text(mpeer *m, const char *t)
{
    e2e_decryptedMessage d;
    int err = mp_send(m, 16, E2E_LAYER, 0, (int32_t)(2 * m->out_raw + 1), text_msg(&d, t));
    m->out_raw++;
    return err;
}

static void mp_free(mpeer *m)
{
    clear_queue(&m->side);
    e2e_free(m->side.e);
}

static void expect_rule(mpeer *m, int got, int rule, bool fatal)
{
    assert_int_equal(got, rule);
    assert_int_equal(m->side.last_rule, rule);
    assert_int_equal(m->side.last_fatal, fatal);
    assert_int_equal(e2e_closed(m->side.e), fatal);
}

static void test_envelope_rules(void **state)
{
    (void)state;
    mpeer m;
    mp_setup(&m, 1);
    static const uint8_t junk[] = {1, 2, 3, 4, 5, 6, 7, 8};
    expect_rule(&m, feed(&m, junk, sizeof junk), MT_E_E2E_ENVELOPE_MALFORMED, false);
    /* An accept sent to the non-originator, and a second request. */
    rly_e2e_accept acc = {.g_b = {junk, 8}};
    tl_obj o = rly_obj_e2e_accept(&acc);
    expect_rule(&m, feed(&m, m.env, encode(&o, m.env, sizeof m.env)), MT_E_E2E_UNEXPECTED_ENVELOPE,
                false);
    uint8_t data[64] = {0};
    expect_rule(&m, feed(&m, m.env, wrap(&m, data, 30)), MT_E_E2E_DATA_LENGTH, false);
    expect_rule(&m, feed(&m, m.env, wrap(&m, data, 40)), MT_E_E2E_FINGERPRINT_UNKNOWN, false);
    assert_int_equal(mp_text(&m, "still fine"), 0);
    assert_string_equal(m.side.last_text, "still fine");
    mp_free(&m);
}

static void test_exchange_rules(void **state)
{
    (void)state;
    /* The originator gets an accept with a wrong fingerprint, or a g_b out of range. */
    for (int bad_gb = 0; bad_gb < 2; bad_gb++) {
        pair p;
        pair_init(&p, 20 + (uint64_t)bad_gb, 0);
        assert_int_equal(e2e_start(p.s[0].e), 0);
        assert_int_equal(pair_step(&p, 0), 0);
        size_t n = 0;
        uint8_t *env = pair_take(&p, 1, &n), mem[4096];
        tl_arena a;
        tl_arena_init(&a, mem, sizeof mem);
        tl_obj o;
        assert_int_equal(tl_decode(&rly_schema, env, n, &a, 0, &o), 0);
        rly_e2e_accept *acc = rly_as_e2e_accept(&o);
        uint8_t one[1] = {1};
        if (bad_gb)
            acc->g_b = (tl_str){one, 1};
        else
            acc->key_fingerprint ^= 1;
        uint8_t out[600];
        size_t len = encode(&o, out, sizeof out);
        int want = bad_gb ? MT_E_DH_GB_RANGE : MT_E_E2E_ACCEPT_FINGERPRINT;
        assert_int_equal(e2e_feed(p.s[0].e, out, len), want);
        assert_true(e2e_closed(p.s[0].e));
        assert_int_equal(p.s[0].qn, 1); /* e2e.discard */
        pair_pump(&p);
        assert_int_equal(p.s[1].n_discarded, 1);
        free(env);
        pair_free(&p);
    }
    /* The other side gets g_a = 1 (the handshake's check). */
    pair p;
    pair_init(&p, 22, 0);
    uint8_t one[1] = {1}, out[64];
    rly_e2e_request r = {.g_a = {one, 1}};
    tl_obj o = rly_obj_e2e_request(&r);
    mt_wr w = wr_init(out, sizeof out);
    assert_int_equal(tl_encode(&w, &o), 0);
    assert_int_equal(e2e_feed(p.s[1].e, out, wr_len(&w)), MT_E_DH_GA_RANGE);
    assert_true(e2e_closed(p.s[1].e));
    /* Encrypted data before any key. */
    pair_free(&p);
    pair_init(&p, 23, 0);
    uint8_t data[40] = {0};
    rly_e2e_encrypted enc = {.data = {data, sizeof data}};
    o = rly_obj_e2e_encrypted(&enc);
    w = wr_init(out, sizeof out);
    assert_int_equal(tl_encode(&w, &o), 0);
    assert_int_equal(e2e_feed(p.s[1].e, out, wr_len(&w)), MT_E_E2E_UNEXPECTED_ENVELOPE);
    pair_free(&p);
}

static void test_plaintext_rules(void **state)
{
    (void)state;
    mpeer m;
    mp_setup(&m, 2);
    uint8_t plain[64] = {0}, data[128];
    st32le(plain, 200); /* longer than the plaintext */
    expect_rule(&m, feed(&m, m.env, wrap(&m, data, raw_seal(m.key, plain, 64, data))),
                MT_E_E2E_LENGTH_INVALID, false);
    memset(plain, 0, sizeof plain);
    st32le(plain, 56); /* leaves 4 bytes of padding */
    expect_rule(&m, feed(&m, m.env, wrap(&m, data, raw_seal(m.key, plain, 64, data))),
                MT_E_E2E_PADDING_INVALID, false);
    memset(plain, 0, sizeof plain);
    st32le(plain, 4); /* an object of 4 bytes: not a decryptedMessageLayer */
    st32le(plain + 4, E2E_ID_decryptedMessageActionNoop);
    expect_rule(&m, feed(&m, m.env, wrap(&m, data, raw_seal(m.key, plain, 32, data))),
                MT_E_E2E_LAYER_MALFORMED, false);
    /* A tampered ciphertext. */
    size_t n = raw_seal(m.key, plain, 32, data);
    data[30] ^= 0x80;
    expect_rule(&m, feed(&m, m.env, wrap(&m, data, n)), MT_E_E2E_MSG_KEY_MISMATCH, false);
    e2e_decryptedMessage d;
    expect_rule(&m, mp_send(&m, 14, E2E_LAYER, 0, 1, text_msg(&d, "x")),
                MT_E_E2E_RANDOM_BYTES_SHORT, false);
    static char big[E2E_TEXT_MAX + 2];
    memset(big, 'a', E2E_TEXT_MAX + 1);
    expect_rule(&m, mp_text(&m, big), MT_E_E2E_TEXT_TOO_LONG, false);
    assert_int_equal(mp_text(&m, "ok"), 0);
    expect_rule(&m, mp_send(&m, 16, 45, 0, 5, text_msg(&d, "old")), MT_E_E2E_LAYER_TOO_LOW, true);
    mp_free(&m);
}

static int mp_action(mpeer *m, tl_obj action, int32_t in_seq)
{
    e2e_decryptedMessageService s = {.random_id = 7, .action = action};
    int err = mp_send(m, 16, E2E_LAYER, in_seq, (int32_t)(2 * m->out_raw + 1),
                      e2e_obj_decryptedMessageService(&s));
    m->out_raw++;
    return err;
}

static void test_seq_rules(void **state)
{
    (void)state;
    mpeer m;
    e2e_decryptedMessage d;
    mp_setup(&m, 3);
    assert_int_equal(mp_text(&m, "first"), 0);
    m.out_raw = 0;
    expect_rule(&m, mp_text(&m, "first again"), MT_E_E2E_SEQ_REPEAT, false);
    assert_int_equal(m.side.n_msgs, 1);
    /* A gap: raw 3 while 1 is next; the engine asks for 3..5 in wire form (raw 1..2). */
    m.out_raw = 3;
    expect_rule(&m, mp_text(&m, "after gap"), MT_E_E2E_SEQ_GAP, false);
    assert_int_equal(m.side.n_resend_asked, 1);
    assert_int_equal(m.side.qn, 1);
    m.out_raw = 1;
    assert_int_equal(mp_text(&m, "second"), 0);
    assert_int_equal(mp_text(&m, "third"), 0);
    assert_string_equal(m.side.last_text, "after gap"); /* the held one followed */
    assert_int_equal(m.side.n_msgs, 4);
    m.out_raw = 4;
    /* B sent 1 message (the Resend): in_seq_no raw 2 is beyond it. */
    expect_rule(&m, mp_send(&m, 16, E2E_LAYER, 4, 9, text_msg(&d, "x")), MT_E_E2E_IN_SEQ_INVALID,
                true);
    mp_free(&m);

    mp_setup(&m, 4);
    expect_rule(&m, mp_send(&m, 16, E2E_LAYER, 0, 2, text_msg(&d, "even")), MT_E_E2E_SEQ_PARITY,
                true);
    mp_free(&m);

    mp_setup(&m, 5);
    assert_int_equal(e2e_send_text(m.side.e, "b1", 2), 0);
    assert_int_equal(mp_send(&m, 16, E2E_LAYER, 2, 1, text_msg(&d, "saw b1")), 0);
    expect_rule(&m, mp_send(&m, 16, E2E_LAYER, 0, 3, text_msg(&d, "went back")),
                MT_E_E2E_IN_SEQ_INVALID, true);
    mp_free(&m);

    mp_setup(&m, 6);
    m.out_raw = 1000;
    expect_rule(&m, mp_text(&m, "far"), MT_E_E2E_GAP_OVERFLOW, true);
    mp_free(&m);

    mp_setup(&m, 7);
    m.out_raw = 1;
    for (unsigned i = 0; i < E2E_PENDING; i++)
        assert_int_equal(mp_text(&m, "held"), MT_E_E2E_SEQ_GAP);
    expect_rule(&m, mp_text(&m, "one too many"), MT_E_E2E_GAP_OVERFLOW, true);
    mp_free(&m);
}

static void test_service_rules(void **state)
{
    (void)state;
    mpeer m;
    mp_setup(&m, 8);
    /* B has sent nothing: a resend of its raw 0..5 cannot be answered. */
    e2e_decryptedMessageActionResend rs = {.start_seq_no = 0, .end_seq_no = 10};
    expect_rule(&m, mp_action(&m, e2e_obj_decryptedMessageActionResend(&rs), 0),
                MT_E_E2E_RESEND_RANGE, true);
    mp_free(&m);

    mp_setup(&m, 9);
    e2e_decryptedMessageActionNotifyLayer nl = {.layer = 8};
    expect_rule(&m, mp_action(&m, e2e_obj_decryptedMessageActionNotifyLayer(&nl), 0),
                MT_E_E2E_LAYER_TOO_LOW, true);
    mp_free(&m);

    mp_setup(&m, 10);
    e2e_decryptedMessageActionCommitKey ck = {.exchange_id = 42, .key_fingerprint = 1};
    expect_rule(&m, mp_action(&m, e2e_obj_decryptedMessageActionCommitKey(&ck), 0),
                MT_E_E2E_REKEY_UNKNOWN_EXCHANGE, false);
    e2e_decryptedMessageActionAbortKey ak = {.exchange_id = 42};
    expect_rule(&m, mp_action(&m, e2e_obj_decryptedMessageActionAbortKey(&ak), 0),
                MT_E_E2E_REKEY_UNKNOWN_EXCHANGE, false);
    /* A re-key request B accepts, then a commit with the wrong fingerprint: B aborts it. */
    dh_ctx dh;
    uint8_t g_a[DH_BYTES];
    assert_int_equal(dh_init(&dh, PRIME_TELEGRAM_DH, DH_BYTES, 3), 0);
    assert_int_equal(dh_generate(&dh, &m.side.rng.rng, g_a), 0);
    e2e_decryptedMessageActionRequestKey rk = {.exchange_id = 77, .g_a = {g_a, DH_BYTES}};
    assert_int_equal(mp_action(&m, e2e_obj_decryptedMessageActionRequestKey(&rk), 0), 0);
    assert_int_equal(m.side.qn, 1); /* AcceptKey */
    ck = (e2e_decryptedMessageActionCommitKey){.exchange_id = 77, .key_fingerprint = 5};
    expect_rule(&m, mp_action(&m, e2e_obj_decryptedMessageActionCommitKey(&ck), 2),
                MT_E_E2E_REKEY_FINGERPRINT, false);
    assert_int_equal(m.side.qn, 2); /* AbortKey */
    assert_int_equal(e2e_rekeys(m.side.e), 0);
    /* A request with g_a = 1 is aborted with the handshake's rule. */
    uint8_t one[1] = {1};
    rk = (e2e_decryptedMessageActionRequestKey){.exchange_id = 78, .g_a = {one, 1}};
    expect_rule(&m, mp_action(&m, e2e_obj_decryptedMessageActionRequestKey(&rk), 4),
                MT_E_DH_GA_RANGE, false);
    dh_wipe(&dh);
    mp_free(&m);
}

static void test_primitives(void **state)
{
    (void)state;
    uint8_t key[E2E_KEY_LEN], obj[8] = {1, 2, 3, 4, 5, 6, 7, 8}, pad[20] = {0}, out[64];
    uint8_t plain[64];
    tu_rand_seed(1);
    tu_rand_bytes(key, sizeof key);
    size_t n, off, len;
    assert_int_equal(e2e_seal(key, 8, obj, 8, pad, 20, out, sizeof out, &n), 0);
    assert_int_equal(n, 24 + 32);
    assert_int_equal(e2e_open(key, 8, out, n, plain, sizeof plain, &off, &len), 0);
    assert_int_equal(len, 8);
    assert_memory_equal(plain + off, obj, 8);
    /* x is part of the key derivation: the other direction does not open it. */
    assert_int_equal(e2e_open(key, 0, out, n, plain, sizeof plain, &off, &len),
                     MT_E_E2E_MSG_KEY_MISMATCH);
    assert_int_equal(e2e_seal(key, 8, obj, 8, pad, 4, out, sizeof out, &n), MT_E_bad_argument);
    assert_int_equal(e2e_seal(key, 4, obj, 8, pad, 20, out, sizeof out, &n), MT_E_bad_argument);
    char v1[E2E_VISUAL_MAX], v2[E2E_VISUAL_MAX];
    e2e_visualise(key, key, v1);
    key[0] ^= 1;
    e2e_visualise(key, key, v2);
    assert_string_not_equal(v1, v2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelope_rules),  cmocka_unit_test(test_exchange_rules),
        cmocka_unit_test(test_plaintext_rules), cmocka_unit_test(test_seq_rules),
        cmocka_unit_test(test_service_rules),   cmocka_unit_test(test_primitives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
