/* crypto/dh: vectors/dh_check.json, each rule ID (GA and GB), the official auth-key sample
 * (g_b = 3^b, auth_key = g_a^b), agreement of both sides (and with OpenSSL), keys with leading
 * zero bytes, RNG failures. */
#include "bnutil.h"
#include "crypto/dh.h"
#include "testutil.h"

/* Values of the official auth-key sample (spec/auth_key_sample.txt, steps 5-8). */
static const char SAMPLE_GA[] = "0A77200BDFF6E6C4C126A2C41DF310AB3A3BDBD698CD480749E1F3C64FB1CFC9"
                                "DFC70AC6F1AA671019620A640055B2CF7D7D99CC86533645C0FA000954DE2987"
                                "BAD68D7450CF134C9F0305F34C1BB285DA8233F65970A01C4BD3AFD5EA3CD586"
                                "4B8F1DCB35D5E9737DF15063C54CF53048EF519A280498DDDAF23764F29FFB0C"
                                "5813CAAD90C319BE8592B78C4BE815E65ADA7C62EA23754B5A2C5A86C4721872"
                                "D0CC48E0F895C3EBE186E81E5F0E88A6B3F09101C409AF3410B64238FBF2A209"
                                "5E3F3B7FFC7EB3A02A319B99A155647BC59958BCDFED8A1CC6EB7F13F8600E52"
                                "1D9D0247B0F639F2FA3B09F72987781F71C0E8AA950167DE5092380B4853E7F1";
static const char SAMPLE_B[] = "1376A5A6BF7A9F874B47028F3D5CFF0689FD52F58949BB0EE9BACDBE81DD1CED"
                               "07101844EB6F2AE19E61120B84799431F445785E33A18141399821479AE96786"
                               "E0F4E9C5C6C9E46BF562C21C96B0F8F7438C8CABA3DFCB3DD3B886C2A37B95ED"
                               "804315335C0DDFFEB3A278243D89F964278BC734D1087D6D4B554C1F78397A41"
                               "4F440E38BA9A4F1211B20AE835437762F81A45FDB035BB2220D939693084B39A"
                               "3C7BE2481309AB9AE378EAB8BB3A15A69EBA80BEF683582E2218FA604E823EAB"
                               "D111553D31DBB46B9383A0D8EEF615FFF9CF266C970800AA28AC5E962D203513"
                               "11A815FFA7562989CA6D6323BF2B5AF40EF3F45021B7445664852D07B80172CE";
static const char SAMPLE_GB[] = "A215D057BC6648453D68C2F418A38D9D4F4FA47E5D520AC7EBC2ADC3B0007509"
                                "0C10A1E9D96A5DDA127317F2DDC165C5F6C8C2854648C106D0D9DF684DAE70B0"
                                "E6021658806245B494B762B1979E8BD597B5CC8E43A80F96CA47FB0765C98D40"
                                "529F3D94C82113AE32C603AA24411EF8B330565A1D66EA6B89C9D4F8AFFEEA39"
                                "7C4B247564215D147B6AD0DF7F3FB4499E89E34304531D87448B91967B5BD530"
                                "93F09386C0F78940C1DD6AA7C8667E15857453E6AAD275F94CD386468CF49108"
                                "FB7C54282596A4D0314DCE9EFED4066A6E072471439AEAAA74157DB7DD53F019"
                                "82982534DEE8740610BA433BF459B3DFE38674561F31991CE007BA112DDA6718";
static const char SAMPLE_AUTH_KEY[] =
    "ACA2547BAA3B4B3E6AD9129ADEE796042FC4ACAAABA40DCE7A1196640595829E"
    "2BA85C5E68E5D2B7B713B28720CCD0E65DA3B80CD8A9282BDE895755B924F4CB"
    "BCED119DEE057D3066D7095C25771A53D9AD6EC3464EE0E7FE1A4D9851F17B6C"
    "C7D6E636E0BDEA7D66153CF37005835A528E65673C1F5ADAA27465964BA89AA6"
    "FD045108B25B1DC9AB2D979864858C9EACBFA4A399CDBF2154D2CC6743C5CAA4"
    "0683343D80A36C7F1289DC5AC5EE585DEA1E1CD296444EA6CD8F6C3564B2D355"
    "B310A3C02608EEA5EC36D38E941BF811489AB7A24C069E44FF54714CB4A45EEE"
    "2F310FDDC0A1B08BD3DFF8801E27C8508EFD7AD51EF3C13EF1D9A02EE4601741";

static prime_cache cache; /* primes verified by earlier vectors are not re-tested */

static void run_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf p = tu_field(in, "p"), ga = tu_field(in, "g_a");
    int err = dh_check(p.p, p.len, tu_int(in, "g"), ga.p, ga.len, &cache, 12, bnu_rng());
    const char *result = json_string_value(json_object_get(test, "result"));
    if (strcmp(result, "valid") == 0) {
        if (err != MT_OK)
            print_error("tcId %lld: %s\n", tu_int(test, "tcId"), mt_err_name(err));
        assert_int_equal(err, MT_OK);
    } else {
        assert_string_equal(mt_err_name(err), json_string_value(json_object_get(test, "error")));
    }
    tu_free(&p);
    tu_free(&ga);
}

static void test_vectors(void **state)
{
    (void)state;
    tu_rand_seed(21);
    prime_cache_init(&cache);
    json_t *f = tu_load_vectors("dh_check.json");
    assert_true(tu_each_vector(f, "dh_check", run_vector, NULL) >= 40);
    json_decref(f);
    assert_true(cache.count >= 2); /* the RFC 3526 and RFC 7919 primes were verified and cached */
}

/* v = p - delta or v = 2^1984 + delta, as 256 bytes. */
static void value_near(uint8_t out[256], bool from_p, int64_t delta)
{
    bn v, d;
    if (from_p)
        assert_int_equal(bn_from_bytes(&v, PRIME_TELEGRAM_DH, 256), MT_OK);
    else
        assert_int_equal(bn_shl(&v, &(bn){.limb = {1}, .top = 1}, DH_BOUND_BITS), MT_OK);
    bn_set_u64(&d, (uint64_t)(delta < 0 ? -delta : delta));
    if (from_p)
        assert_int_equal(bn_sub(&v, &v, &d), MT_OK);
    else if (delta < 0)
        assert_int_equal(bn_sub(&v, &v, &d), MT_OK);
    else
        assert_int_equal(bn_add(&v, &v, &d), MT_OK);
    assert_int_equal(bn_to_bytes(&v, out, 256), MT_OK);
}

static void test_value_rules(void **state)
{
    (void)state;
    const uint8_t *p = PRIME_TELEGRAM_DH;
    uint8_t v[256];
    bn lo, plo;
    assert_int_equal(bn_shl(&lo, &(bn){.limb = {1}, .top = 1}, DH_BOUND_BITS), MT_OK);
    assert_int_equal(bn_from_bytes(&plo, p, 256), MT_OK);
    assert_int_equal(bn_sub(&plo, &plo, &lo), MT_OK);
    struct {
        bool from_p;
        int64_t delta;
        int ga, gb;
    } cases[] = {
        {true, 1, MT_E_DH_GA_RANGE, MT_E_DH_GB_RANGE},     /* p - 1 */
        {true, 0, MT_E_DH_GA_RANGE, MT_E_DH_GB_RANGE},     /* p */
        {true, 2, MT_E_DH_GA_BOUNDS, MT_E_DH_GB_BOUNDS},   /* p - 2 */
        {false, -1, MT_E_DH_GA_BOUNDS, MT_E_DH_GB_BOUNDS}, /* 2^1984 - 1 */
        {false, 0, MT_OK, MT_OK},                          /* 2^1984 */
        {false, 12345, MT_OK, MT_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        value_near(v, cases[i].from_p, cases[i].delta);
        assert_int_equal(dh_check_value(p, 256, v, 256, DH_VALUE_GA), cases[i].ga);
        assert_int_equal(dh_check_value(p, 256, v, 256, DH_VALUE_GB), cases[i].gb);
    }
    uint8_t hi[256];
    assert_int_equal(bn_to_bytes(&plo, hi, 256), MT_OK); /* p - 2^1984: inside */
    assert_int_equal(dh_check_value(p, 256, hi, 256, DH_VALUE_GB), MT_OK);
    assert_int_equal(bn_add_u64(&plo, &plo, 1), MT_OK);
    assert_int_equal(bn_to_bytes(&plo, hi, 256), MT_OK); /* one past */
    assert_int_equal(dh_check_value(p, 256, hi, 256, DH_VALUE_GB), MT_E_DH_GB_BOUNDS);
    const uint8_t one = 1, two = 2;
    assert_int_equal(dh_check_value(p, 256, &one, 1, DH_VALUE_GB), MT_E_DH_GB_RANGE);
    assert_int_equal(dh_check_value(p, 256, &two, 1, DH_VALUE_GB), MT_E_DH_GB_BOUNDS);
    assert_int_equal(dh_check_value(p, 256, NULL, 0, DH_VALUE_GA), MT_E_DH_GA_RANGE);
    assert_int_equal(dh_check_value(p, 255, &two, 1, DH_VALUE_GA), MT_E_DH_PRIME_SIZE);
}

static void test_param_rules(void **state)
{
    (void)state;
    tu_rand_seed(22);
    const uint8_t *p = PRIME_TELEGRAM_DH;
    static const int want[8] = {
        0,    0, MT_E_DH_G_NOT_RESIDUE, MT_OK, MT_OK, MT_E_DH_G_NOT_RESIDUE, MT_E_DH_G_NOT_RESIDUE,
        MT_OK};
    for (int g = 2; g <= 7; g++)
        assert_int_equal(dh_check_params(p, 256, g, NULL, 0, bnu_rng()), want[g]);
    assert_int_equal(dh_check_params(p, 256, 1, NULL, 0, bnu_rng()), MT_E_DH_G_UNSUPPORTED);
    assert_int_equal(dh_check_params(p, 256, 8, NULL, 0, bnu_rng()), MT_E_DH_G_UNSUPPORTED);
    assert_int_equal(dh_check_params(p, 200, 3, NULL, 0, bnu_rng()), MT_E_DH_PRIME_SIZE);
    uint8_t q[256];
    memcpy(q, p, 256);
    q[255] ^= 2; /* p - 2 or p + 2: odd, not in the cache, composite */
    assert_int_equal(dh_check_params(q, 256, 3, NULL, 4, bnu_rng()), MT_E_DH_PRIME_NOT_PRIME);
    assert_int_equal(dh_check_params(p, 256, 3, NULL, PRIME_MR_ROUNDS_MAX + 1, bnu_rng()), MT_OK);
}

static void hex_to(uint8_t out[256], const char *hex)
{
    tu_buf b = tu_hex(hex);
    assert_int_equal(b.len, 256);
    memcpy(out, b.p, 256);
    tu_free(&b);
}

static void test_official_sample(void **state)
{
    (void)state;
    dh_ctx c;
    uint8_t b[256], gb[256], ga[256], key[256], want[256];
    hex_to(b, SAMPLE_B);
    hex_to(ga, SAMPLE_GA);
    hex_to(want, SAMPLE_GB);
    assert_int_equal(dh_init(&c, PRIME_TELEGRAM_DH, 256, 3), MT_OK);
    assert_int_equal(dh_set_secret(&c, b, gb), MT_OK);
    tu_assert_bytes("g_b = 3^b mod p", gb, 256, want, 256);
    assert_int_equal(dh_check(PRIME_TELEGRAM_DH, 256, 3, ga, 256, NULL, 0, bnu_rng()), MT_OK);
    assert_int_equal(dh_compute_key(&c, ga, 256, DH_VALUE_GA, key), MT_OK);
    hex_to(want, SAMPLE_AUTH_KEY);
    tu_assert_bytes("auth_key = g_a^b mod p", key, 256, want, 256);
    dh_wipe(&c);
    assert_int_equal(dh_compute_key(&c, ga, 256, DH_VALUE_GA, key), MT_E_bad_argument);
}

static void test_agreement(void **state)
{
    (void)state;
    tu_rand_seed(23);
    BN_CTX *bc = BN_CTX_new();
    for (int i = 0; i < 4; i++) {
        dh_ctx a, b;
        uint8_t pa[256], pb[256], ka[256], kb[256];
        assert_int_equal(dh_init(&a, PRIME_TELEGRAM_DH, 256, 3), MT_OK);
        assert_int_equal(dh_init(&b, PRIME_TELEGRAM_DH, 256, 3), MT_OK);
        assert_int_equal(dh_generate(&a, bnu_rng(), pa), MT_OK);
        assert_int_equal(dh_generate(&b, bnu_rng(), pb), MT_OK);
        assert_int_equal(dh_compute_key(&a, pb, 256, DH_VALUE_GB, ka), MT_OK);
        assert_int_equal(dh_compute_key(&b, pa, 256, DH_VALUE_GA, kb), MT_OK);
        tu_assert_bytes("both sides", ka, 256, kb, 256);
        /* OpenSSL: key = pb^a mod p */
        BIGNUM *P = BN_bin2bn(PRIME_TELEGRAM_DH, 256, NULL), *Y = BN_bin2bn(pb, 256, NULL);
        BIGNUM *A = bnu_to_ossl(&a.secret), *K = BN_new();
        uint8_t want[256];
        BN_mod_exp(K, Y, A, P, bc);
        assert_int_equal(BN_bn2binpad(K, want, 256), 256);
        tu_assert_bytes("OpenSSL", ka, 256, want, 256);
        BN_free(P);
        BN_free(Y);
        BN_free(A);
        BN_free(K);
        dh_wipe(&a);
        dh_wipe(&b);
    }
    BN_CTX_free(bc);
}

/* A peer value whose key has a leading zero byte, found with OpenSSL; ours must keep the zero. */
static void test_key_with_leading_zeros(void **state)
{
    (void)state;
    tu_rand_seed(24);
    BN_CTX *bc = BN_CTX_new();
    uint8_t secret[256], pub[256], peer[256], key[256], want[256];
    tu_rand_bytes(secret, 256);
    BIGNUM *P = BN_bin2bn(PRIME_TELEGRAM_DH, 256, NULL), *A = BN_bin2bn(secret, 256, NULL);
    BIGNUM *Y = BN_new(), *K = BN_new();
    for (int tries = 0;; tries++) {
        assert_true(tries < 5000);
        tu_rand_bytes(peer, 256);
        peer[0] = 0x10 + (peer[0] & 0x7F); /* inside the bounds for Telegram's p (0xC7...) */
        BN_bin2bn(peer, 256, Y);
        BN_mod_exp(K, Y, A, P, bc);
        if (BN_num_bytes(K) < 256)
            break;
    }
    BN_bn2binpad(K, want, 256);
    dh_ctx c;
    assert_int_equal(dh_init(&c, PRIME_TELEGRAM_DH, 256, 4), MT_OK);
    assert_int_equal(dh_set_secret(&c, secret, pub), MT_OK);
    assert_int_equal(dh_compute_key(&c, peer, 256, DH_VALUE_GA, key), MT_OK);
    assert_int_equal(key[0], 0);
    tu_assert_bytes("key with leading zero", key, 256, want, 256);
    dh_wipe(&c);
    BN_free(P);
    BN_free(A);
    BN_free(Y);
    BN_free(K);
    BN_CTX_free(bc);
}

static int zero_fill(mt_rng *self, uint8_t *out, size_t n)
{
    (void)self;
    memset(out, 0, n);
    return 0;
}

static int failing_fill(mt_rng *self, uint8_t *out, size_t n)
{
    (void)self;
    (void)out;
    (void)n;
    return MT_E_rng_failure;
}

static void test_rng_failures(void **state)
{
    (void)state;
    mt_rng zeros = {zero_fill}, broken = {failing_fill};
    dh_ctx c;
    uint8_t pub[256];
    assert_int_equal(dh_init(&c, PRIME_TELEGRAM_DH, 256, 3), MT_OK);
    /* a = 0 gives g^a = 1, never inside the bounds: the retries give up */
    assert_int_equal(dh_generate(&c, &zeros, pub), MT_E_rng_failure);
    assert_int_equal(dh_generate(&c, &broken, pub), MT_E_rng_failure);
    assert_false(c.have_secret);
    assert_int_equal(dh_init(&c, PRIME_TELEGRAM_DH, 256, 9), MT_E_DH_G_UNSUPPORTED);
    assert_int_equal(dh_init(&c, PRIME_TELEGRAM_DH, 128, 3), MT_E_DH_PRIME_SIZE);
    dh_wipe(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),      cmocka_unit_test(test_value_rules),
        cmocka_unit_test(test_param_rules),  cmocka_unit_test(test_official_sample),
        cmocka_unit_test(test_agreement),    cmocka_unit_test(test_key_with_leading_zeros),
        cmocka_unit_test(test_rng_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
