/*
 * obfuscated2 (proto/transport_obf2.c): the key derivation including the reversed direction and
 * the secret, the forbidden inits, the wire form checked with OpenSSL's AES-256-CTR, and a client
 * and a server talking both ways over many frames with the input split anywhere.
 */
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "common/endian.h"
#include "transport_util.h"

#define CAP (1u << 16)

static const uint8_t SECRET[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                   0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};

static void openssl_ctr(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in,
                        uint8_t *out, int n)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    assert_non_null(c);
    assert_int_equal(EVP_EncryptInit_ex(c, EVP_aes_256_ctr(), NULL, key, iv), 1);
    assert_int_equal(EVP_EncryptUpdate(c, out, &len, in, n), 1);
    assert_int_equal(len, n);
    EVP_CIPHER_CTX_free(c);
}

/* init = 00 01 .. 3f: enc is init[8:40] / init[40:56]; dec is the same slices of the reversed
 * init, i.e. bytes 55 down to 24 and 23 down to 8. */
static void test_derive_reversed(void **state)
{
    (void)state;
    uint8_t init[64], want[32];
    for (int i = 0; i < 64; i++)
        init[i] = (uint8_t)i;
    mt_obf2_keys k;
    assert_int_equal(mt_obf2_derive(init, NULL, 0, &k), MT_OK);
    tu_assert_bytes("enc_key", k.enc_key, 32, init + 8, 32);
    tu_assert_bytes("enc_iv", k.enc_iv, 16, init + 40, 16);
    for (int i = 0; i < 32; i++)
        want[i] = (uint8_t)(55 - i);
    tu_assert_bytes("dec_key", k.dec_key, 32, want, 32);
    for (int i = 0; i < 16; i++)
        want[i] = (uint8_t)(23 - i);
    tu_assert_bytes("dec_iv", k.dec_iv, 16, want, 16);

    /* With a secret: key = SHA256(key ‖ secret), IVs unchanged. */
    mt_obf2_keys ks;
    uint8_t cat[48];
    assert_int_equal(mt_obf2_derive(init, SECRET, 16, &ks), MT_OK);
    memcpy(cat, k.enc_key, 32);
    memcpy(cat + 32, SECRET, 16);
    SHA256(cat, sizeof cat, want);
    tu_assert_bytes("enc_key secret", ks.enc_key, 32, want, 32);
    memcpy(cat, k.dec_key, 32);
    SHA256(cat, sizeof cat, want);
    tu_assert_bytes("dec_key secret", ks.dec_key, 32, want, 32);
    tu_assert_bytes("dec_iv secret", ks.dec_iv, 16, k.dec_iv, 16);
    assert_int_equal(mt_obf2_derive(init, SECRET, 15, &ks), MT_E_bad_key_size);
}

static void test_forbidden(void **state)
{
    (void)state;
    static const char *const heads[] = {"ef000000", "48454144", "504f5354", "47455420",
                                        "4f505449", "16030102", "dddddddd", "eeeeeeee"};
    uint8_t init[64];
    memset(init, 0x11, sizeof init);
    assert_false(mt_obf2_init_forbidden(init));
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        tu_buf h = tu_hex(heads[i]);
        memcpy(init, h.p, 4);
        assert_true(mt_obf2_init_forbidden(init));
        tu_free(&h);
    }
    memset(init, 0x11, sizeof init);
    memset(init + 4, 0, 4);
    assert_true(mt_obf2_init_forbidden(init));
    init[7] = 1;
    assert_false(mt_obf2_init_forbidden(init));
}

/* The client skips forbidden draws; the first clean one is its init. A RNG that only yields
 * forbidden inits makes it give up instead of looping. */
static void test_client_regenerates(void **state)
{
    (void)state;
    static uint8_t script[4 * 64], buf[CAP], bad[64 * 64];
    memset(script, 0x22, sizeof script);
    script[0] = 0xef;               /* draw 1: init[0] == 0xef */
    memcpy(script + 64, "POST", 4); /* draw 2: an HTTP method */
    memset(script + 128 + 4, 0, 4); /* draw 3: init[4:8] == 0 */
    tu_script_rng rng;
    tu_script_init(&rng, script, sizeof script, 5);
    mt_transport t;
    assert_int_equal(mt_transport_init_obf2_client(&t, MT_TRANSPORT_INTERMEDIATE, 2, NULL, 0, buf,
                                                   CAP, &rng.rng),
                     MT_OK);
    uint8_t out[256];
    size_t n;
    assert_int_equal(mt_transport_frame(&t, (const uint8_t *)"abcd", 4, 0, out, sizeof out, &n),
                     MT_OK);
    assert_int_equal(n, 64 + 8);
    tu_assert_bytes("init[0:56]", out, 56, script + 192, 56);
    assert_int_equal(rng.pos, 256);

    memset(bad, 0xef, sizeof bad);
    tu_script_init(&rng, bad, sizeof bad, 5);
    assert_int_equal(mt_transport_init_obf2_client(&t, MT_TRANSPORT_INTERMEDIATE, 0, NULL, 0, buf,
                                                   CAP, &rng.rng),
                     MT_E_rng_failure);
    rng.fail = 1;
    assert_int_equal(
        mt_transport_init_obf2_client(&t, MT_TRANSPORT_PADDED, 0, NULL, 0, buf, CAP, &rng.rng),
        MT_E_rng_failure);
    assert_int_equal(
        mt_transport_init_obf2_client(&t, MT_TRANSPORT_FULL, 0, NULL, 0, buf, CAP, &rng.rng),
        MT_E_bad_argument);
    assert_int_equal(
        mt_transport_init_obf2_client(&t, MT_TRANSPORT_ABRIDGED, 0, SECRET, 17, buf, CAP, &rng.rng),
        MT_E_bad_key_size);
}

/* The first bytes on the wire, decrypted independently: init[0:56] in clear, then the tag and
 * DC id under the enc stream, then the framed payload continuing the same stream. */
static void test_wire_vs_openssl(void **state)
{
    (void)state;
    static uint8_t buf[CAP];
    tu_script_rng rng;
    tu_script_init(&rng, NULL, 0, 9);
    for (int with_secret = 0; with_secret < 2; with_secret++) {
        mt_transport t;
        const uint8_t *sec = with_secret ? SECRET : NULL;
        assert_int_equal(mt_transport_init_obf2_client(&t, MT_TRANSPORT_ABRIDGED, -10003, sec,
                                                       sec ? 16 : 0, buf, CAP, &rng.rng),
                         MT_OK);
        uint8_t out[128], plain[128];
        size_t n;
        assert_int_equal(mt_transport_frame(&t, (const uint8_t *)"12345678", 8, MT_TF_QUICK_ACK,
                                            out, sizeof out, &n),
                         MT_OK);
        assert_int_equal(n, 64 + 1 + 8);
        mt_obf2_keys k;
        assert_int_equal(mt_obf2_derive(out, sec, sec ? 16 : 0, &k), MT_OK);
        openssl_ctr(k.enc_key, k.enc_iv, out, plain, (int)n);
        assert_int_equal(ld32le(plain + 56), 0xefefefefu);
        assert_int_equal((int16_t)ld16le(plain + 60), -10003);
        assert_int_equal(plain[64], 0x82);
        tu_assert_bytes("payload", plain + 65, 8, (const uint8_t *)"12345678", 8);
        mt_transport_wipe(&t);
    }
}

typedef struct obf_pair {
    tu_script_rng rng;
    uint8_t cbuf[CAP], sbuf[CAP];
    mt_transport client, server;
} obf_pair;

/* A client of `kind` and a server that is either an obfuscated2 server or AUTO. */
static obf_pair *obf_pair_new(mt_transport_kind kind, const uint8_t *secret, bool auto_server,
                              uint64_t seed)
{
    obf_pair *p = calloc(1, sizeof *p);
    assert_non_null(p);
    tu_script_init(&p->rng, NULL, 0, seed);
    assert_int_equal(mt_transport_init_obf2_client(&p->client, kind, 4, secret, secret ? 16 : 0,
                                                   p->cbuf, CAP, &p->rng.rng),
                     MT_OK);
    if (auto_server) {
        assert_int_equal(mt_transport_init(&p->server, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, p->sbuf,
                                           CAP, &p->rng.rng),
                         MT_OK);
        if (secret)
            assert_int_equal(mt_transport_set_secret(&p->server, secret, 16), MT_OK);
    } else {
        assert_int_equal(mt_transport_init_obf2_server(&p->server, secret, secret ? 16 : 0, p->sbuf,
                                                       CAP, &p->rng.rng),
                         MT_OK);
    }
    return p;
}

#define FRAMES 40

/* from frames FRAMES random payloads (lengths multiples of 4) into stream; returns its length. */
static size_t make_frames(mt_transport *from, uint8_t *stream, size_t cap, uint8_t *payloads,
                          size_t *lens)
{
    size_t off = 0;
    for (size_t i = 0; i < FRAMES; i++) {
        lens[i] = 24 + 4 * tu_rand_below(300);
        tu_rand_bytes(payloads + i * 1224, lens[i]);
        size_t n;
        assert_int_equal(
            mt_transport_frame(from, payloads + i * 1224, lens[i], 0, stream + off, cap - off, &n),
            MT_OK);
        off += n;
    }
    return off;
}

static void check_frames(mt_transport_kind kind, const tu_events *e, const uint8_t *payloads,
                         const size_t *lens)
{
    assert_int_equal(e->n, FRAMES);
    for (size_t i = 0; i < FRAMES; i++) {
        assert_int_equal(e->ev[i].type, MT_TEV_FRAME);
        assert_true(e->ev[i].len >= lens[i]);
        assert_true(e->ev[i].len - lens[i] <= (kind == MT_TRANSPORT_PADDED ? 15u : 0u));
        assert_memory_equal(e->ev[i].data, payloads + i * 1224, lens[i]);
    }
}

/* Both directions, several rounds each, random chunks; the server learns kind and DC id. */
static void run_pair(mt_transport_kind kind, const uint8_t *secret, bool auto_server)
{
    static uint8_t stream[FRAMES * 1300], payloads[FRAMES * 1224];
    size_t lens[FRAMES];
    obf_pair *p = obf_pair_new(kind, secret, auto_server, 11);
    for (int round = 0; round < 4; round++) {
        tu_events e = {0};
        size_t n = make_frames(&p->client, stream, sizeof stream, payloads, lens);
        assert_int_equal(tu_feed_random(&p->server, stream, n, 1 + 97 * round, &e), MT_OK);
        check_frames(kind, &e, payloads, lens);
        tu_events_free(&e);
        assert_int_equal(p->server.kind, kind);
        assert_int_equal(p->server.dc_id, 4);
        n = make_frames(&p->server, stream, sizeof stream, payloads, lens);
        assert_int_equal(tu_feed_random(&p->client, stream, n, 1 + 53 * round, &e), MT_OK);
        check_frames(kind, &e, payloads, lens);
        tu_events_free(&e);
    }
    /* A quick ack and a transport error, server to client, through the streams. */
    uint8_t out[64];
    size_t n, m;
    tu_events e = {0};
    assert_int_equal(mt_transport_quick_ack(&p->server, 0x80001234u, out, sizeof out, &n), MT_OK);
    assert_int_equal(mt_transport_error(&p->server, -429, out + n, sizeof out - n, &m), MT_OK);
    assert_int_equal(tu_feed_random(&p->client, out, n + m, 3, &e), MT_OK);
    assert_int_equal(e.n, 2);
    assert_int_equal(e.ev[0].type, MT_TEV_QUICK_ACK);
    assert_int_equal(e.ev[0].token, 0x80001234u);
    assert_int_equal(e.ev[1].type, MT_TEV_ERROR);
    assert_int_equal(e.ev[1].code, -429);
    tu_events_free(&e);
    mt_transport_wipe(&p->client);
    mt_transport_wipe(&p->server);
    free(p);
}

static void test_client_server(void **state)
{
    (void)state;
    static const mt_transport_kind kinds[] = {MT_TRANSPORT_ABRIDGED, MT_TRANSPORT_INTERMEDIATE,
                                              MT_TRANSPORT_PADDED};
    tu_rand_seed(21);
    for (size_t k = 0; k < 3; k++)
        for (int s = 0; s < 2; s++)
            for (int a = 0; a < 2; a++)
                run_pair(kinds[k], s ? SECRET : NULL, a);
}

/* The first client frame (init included) split at every byte, into both kinds of server. */
static void test_init_every_split(void **state)
{
    (void)state;
    for (int a = 0; a < 2; a++) {
        obf_pair *p = obf_pair_new(MT_TRANSPORT_PADDED, NULL, a, 13);
        uint8_t out[256];
        size_t n;
        assert_int_equal(mt_transport_frame(&p->client, (const uint8_t *)"0123456789abcdefghijklmn",
                                            24, 0, out, sizeof out, &n),
                         MT_OK);
        mt_transport fresh = p->server;
        for (size_t cut = 0; cut <= n; cut++) {
            p->server = fresh;
            tu_events e = {0};
            assert_int_equal(tu_feed_cuts(&p->server, out, n, &cut, 1, &e), MT_OK);
            assert_int_equal(e.n, 1);
            assert_memory_equal(e.ev[0].data, "0123456789abcdefghijklmn", 24);
            tu_events_free(&e);
        }
        free(p);
    }
}

/* An init built like a client's but with `tag`, as it goes on the wire. */
static void craft_init(uint32_t tag, uint8_t wire[64])
{
    uint8_t init[64], enc[64];
    memset(init, 0x5a, sizeof init);
    st32le(init + 56, tag);
    mt_obf2_keys k;
    assert_int_equal(mt_obf2_derive(init, NULL, 0, &k), MT_OK);
    openssl_ctr(k.enc_key, k.enc_iv, init, enc, 64);
    memcpy(wire, init, 56);
    memcpy(wire + 56, enc + 56, 8);
}

static int server_verdict(const uint8_t *wire, size_t n, const uint8_t *secret, bool auto_server)
{
    static uint8_t buf[CAP];
    tu_script_rng rng;
    tu_script_init(&rng, NULL, 0, 1);
    mt_transport s;
    if (auto_server)
        assert_int_equal(
            mt_transport_init(&s, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, buf, CAP, &rng.rng), MT_OK);
    else
        assert_int_equal(
            mt_transport_init_obf2_server(&s, secret, secret ? 16 : 0, buf, CAP, &rng.rng), MT_OK);
    tu_events e = {0};
    int err = tu_feed_chunk(&s, wire, n, &e);
    assert_int_equal(e.n, 0);
    return err;
}

static void test_server_rules(void **state)
{
    (void)state;
    uint8_t wire[64];
    craft_init(0xefefefefu, wire);
    assert_int_equal(server_verdict(wire, 64, NULL, false), MT_OK);
    assert_int_equal(server_verdict(wire, 64, NULL, true), MT_OK);
    craft_init(0x11223344u, wire);
    assert_int_equal(server_verdict(wire, 64, NULL, false), MT_E_OBF2_BAD_TAG);
    assert_int_equal(server_verdict(wire, 64, NULL, true), MT_E_OBF2_BAD_TAG);
    /* A client with another secret decrypts to garbage: the tag check catches it. */
    craft_init(0xddddddddu, wire);
    assert_int_equal(server_verdict(wire, 64, SECRET, false), MT_E_OBF2_BAD_TAG);
    /* Forbidden prefixes reach an obfuscated2-only server (an AUTO one reads them as other
     * transports). */
    craft_init(0xeeeeeeeeu, wire);
    wire[0] = 0xef;
    assert_int_equal(server_verdict(wire, 64, NULL, false), MT_E_OBF2_FORBIDDEN_INIT);
    craft_init(0xeeeeeeeeu, wire);
    memset(wire + 4, 0, 4);
    assert_int_equal(server_verdict(wire, 64, NULL, false), MT_E_OBF2_FORBIDDEN_INIT);
    memcpy(wire, "GET ", 4);
    assert_int_equal(server_verdict(wire, 64, NULL, false), MT_E_OBF2_FORBIDDEN_INIT);
    /* A secret is set before any input, 16 bytes, on a server only. */
    static uint8_t buf[CAP];
    tu_script_rng rng;
    tu_script_init(&rng, NULL, 0, 1);
    mt_transport s;
    assert_int_equal(mt_transport_init(&s, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, buf, CAP, &rng.rng),
                     MT_OK);
    assert_int_equal(mt_transport_set_secret(&s, SECRET, 15), MT_E_bad_key_size);
    assert_int_equal(
        mt_transport_init(&s, MT_TRANSPORT_INTERMEDIATE, MT_ROLE_SERVER, buf, CAP, &rng.rng),
        MT_OK);
    assert_int_equal(mt_transport_set_secret(&s, SECRET, 16), MT_E_bad_argument);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive_reversed),    cmocka_unit_test(test_forbidden),
        cmocka_unit_test(test_client_regenerates), cmocka_unit_test(test_wire_vs_openssl),
        cmocka_unit_test(test_client_server),      cmocka_unit_test(test_init_every_split),
        cmocka_unit_test(test_server_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
