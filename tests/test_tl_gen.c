/* The generated TL codecs (tlc.py output + proto/tl_obj.c): every constructor of both schemas
 * round-trips, the official auth-key sample decodes, containers, opaque objects and limits. */
#include "testutil.h"

#include "proto/tl_e2e.h"
#include "proto/tl_mtp.h"
#include "tl_sample.h"

#define BUF_SIZE (1u << 20)
static uint8_t enc1[BUF_SIZE], enc2[BUF_SIZE], gen_mem[BUF_SIZE], dec_mem[BUF_SIZE];
static char text[4 * BUF_SIZE];

/* Encodes o, decodes it, re-encodes and requires the same bytes; prints both ways. Returns the
 * encoded length (in enc1). Writes a corpus seed when MTPROOF_TL_CORPUS is set. */
static size_t round_trip(const tl_schema *s, const tl_obj *o, const char *dir)
{
    mt_wr w = wr_init(enc1, sizeof enc1);
    assert_int_equal(tl_encode(&w, o), MT_OK);
    size_t n = wr_len(&w);
    tu_buf exact = tu_dup(enc1, n);
    tl_arena a;
    tl_arena_init(&a, dec_mem, sizeof dec_mem);
    tl_obj back;
    int err = tl_decode(s, exact.p, exact.len, &a, TL_STRICT, &back);
    if (err)
        fail_msg("%s: decode: %s", o->ctor ? o->ctor->name : "opaque", mt_err_name(err));
    assert_ptr_equal(back.ctor, o->ctor);
    mt_wr w2 = wr_init(enc2, sizeof enc2);
    assert_int_equal(tl_encode(&w2, &back), MT_OK);
    tu_assert_bytes("re-encoded", enc2, wr_len(&w2), enc1, n);
    size_t len = 0;
    assert_int_equal(tl_print_text(&back, text, sizeof text, &len), MT_OK);
    assert_int_equal(strlen(text), len);
    assert_int_equal(tl_print_json(&back, text, sizeof text, &len), MT_OK);
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    if (!j)
        fail_msg("%s: bad JSON (%s): %.200s", back.ctor->name, jerr.text, text);
    assert_string_equal(json_string_value(json_object_get(j, "_")), back.ctor->name);
    json_decref(j);
    const char *out = getenv("MTPROOF_TL_CORPUS");
    if (out && dir) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s/%s", out, dir, o->ctor->name);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(exact.p, 1, exact.len, f), exact.len);
        fclose(f);
    }
    tu_free(&exact);
    return n;
}

static void every_ctor(const tl_schema *s, const char *dir, uint64_t seed)
{
    tu_rand_seed(seed);
    for (size_t i = 0; i < s->nctors; i++) {
        for (int trial = 0; trial < 16; trial++) {
            tl_arena a;
            tl_arena_init(&a, gen_mem, sizeof gen_mem);
            tl_obj o;
            assert_true(tl_sample_obj(&s->ctors[i], &o, &a, 1));
            round_trip(s, &o, trial == 0 ? dir : NULL);
        }
    }
}

static void test_every_mtproto_ctor(void **state)
{
    (void)state;
    assert_int_equal(mtp_schema.nctors, MTP_NCTORS);
    every_ctor(&mtp_schema, "tl_decode", 1);
}

static void test_every_secret_ctor(void **state)
{
    (void)state;
    every_ctor(&e2e_schema, "tl_secret", 2);
}

static void test_id_table(void **state)
{
    (void)state;
    const tl_schema *all[] = {&mtp_schema, &e2e_schema};
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < all[k]->nctors; i++) {
            const tl_ctor *c = &all[k]->ctors[i];
            assert_ptr_equal(tl_schema_find(all[k], c->id), c);
            assert_ptr_equal(tl_schema_find_name(all[k], c->name), c);
        }
    }
    assert_int_equal(MTP_ID_resPQ, 0x05162463u);
    assert_int_equal(MTP_ID_msg_container, 0x73f1f8dcu);
    assert_int_equal(MTP_ID_message, 0x5bb8e511u); /* no #id in the schema: CRC of its text */
    assert_int_equal(E2E_ID_boolTrue, TL_ID_BOOL_TRUE);
    assert_null(tl_schema_find(&mtp_schema, 0x12345678u));
}

/* resPQ body from spec/auth_key_sample.txt (step 2, bytes 0x14..0x64 of the dump). */
static const char RESPQ_HEX[] = "63241605"
                                "406709f612fadfbec3f0289d0aa67eef"
                                "e11dbc3bc97d91a26154f932af019943"
                                "08256595edb7766797000000"
                                "15c4b51c03000000"
                                "a5b7f709355fc30b216be86c022bb4c385fd64de851d9dd0";

static void test_official_respq(void **state)
{
    (void)state;
    tu_buf b = tu_hex(RESPQ_HEX);
    tl_arena a;
    tl_arena_init(&a, dec_mem, sizeof dec_mem);
    tl_obj o;
    assert_int_equal(tl_decode(&mtp_schema, b.p, b.len, &a, TL_STRICT, &o), MT_OK);
    mtp_resPQ *r = mtp_as_resPQ(&o);
    assert_non_null(r);
    tu_buf nonce = tu_hex("406709f612fadfbec3f0289d0aa67eef");
    tu_buf pq = tu_hex("256595edb7766797");
    assert_memory_equal(r->nonce, nonce.p, 16);
    tu_assert_bytes("pq", r->pq.p, r->pq.len, pq.p, pq.len);
    assert_int_equal(r->server_public_key_fingerprints.n, 3);
    const int64_t *fp = r->server_public_key_fingerprints.v;
    assert_true((uint64_t)fp[2] == 0xd09d1d85de64fd85ull);
    assert_true((uint64_t)fp[0] == 0x0bc35f3509f7b7a5ull);
    assert_int_equal(round_trip(&mtp_schema, &o, NULL), b.len);
    tu_assert_bytes("resPQ", enc1, b.len, b.p, b.len);
    /* Cut at every byte: always an error, never a crash or an overread. */
    for (size_t cut = 0; cut < b.len; cut++) {
        tu_buf t = tu_dup(b.p, cut);
        tl_arena_init(&a, dec_mem, sizeof dec_mem);
        assert_int_not_equal(tl_decode(&mtp_schema, t.p, t.len, &a, TL_STRICT, &o), MT_OK);
        tu_free(&t);
    }
    /* A decode that needs more arena than given fails cleanly. */
    uint8_t tiny[64];
    tl_arena_init(&a, tiny, sizeof tiny);
    assert_int_equal(tl_decode(&mtp_schema, b.p, b.len, &a, TL_STRICT, &o), MT_E_limit_exceeded);
    tu_free(&b);
    tu_free(&nonce);
    tu_free(&pq);
}

static void test_official_p_q_inner_data_dc(void **state)
{
    (void)state;
    tu_buf b = tu_hex("955ff5a908256595edb7766797000000045a300d4b000000046a26db65000000"
                      "406709f612fadfbec3f0289d0aa67eefe11dbc3bc97d91a26154f932af019943"
                      "a8bbc849512dac6c67b6efd9157d6ca7377a1776307d84265c6be9bdcf802ac1"
                      "02000000");
    tl_arena a;
    tl_arena_init(&a, dec_mem, sizeof dec_mem);
    tl_obj o;
    assert_int_equal(tl_decode(&mtp_schema, b.p, b.len, &a, TL_STRICT, &o), MT_OK);
    mtp_p_q_inner_data_dc *d = mtp_as_p_q_inner_data_dc(&o);
    assert_non_null(d);
    assert_int_equal(d->dc, 2);
    assert_int_equal(d->p.len, 4);
    assert_int_equal(d->new_nonce[31], 0xc1);
    round_trip(&mtp_schema, &o, NULL);
    tu_assert_bytes("p_q_inner_data_dc", enc1, b.len, b.p, b.len);
    tu_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_table),
        cmocka_unit_test(test_every_mtproto_ctor),
        cmocka_unit_test(test_every_secret_ctor),
        cmocka_unit_test(test_official_respq),
        cmocka_unit_test(test_official_p_q_inner_data_dc),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed;
}
