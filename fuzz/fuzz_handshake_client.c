/*
 * Target: hs_client_feed (proto/handshake_client.c, handshake_client_dh.c) with what lies beneath
 * it: mt_plain_unpack, the resPQ / server_DH_params_ok / dh_gen_* parsers, pq_factor_bytes,
 * hs_answer_decrypt / hs_answer_verify, dh_check_params / dh_check_value, the new_nonce_hash
 * checks. Stateful: the input is a sequence of server messages, records [len:u16 little-endian]
 * [len bytes], fed in order to one client run until it finishes or fails. The client is the one of
 * the official worked example (its nonce, new_nonce, b, padding and msg_ids; Telegram's public
 * key from vectors/keys/telegram_production_pub.pem; a DRBG of seed 1 for the rest), so the
 * sample's server messages (corpora/handshake_client/, fuzz/seeds_handshake.py) drive it to the
 * end. Property: every feed is accepted or refused with a rule (never another error), a failure
 * is sticky, and a finished run's auth_key_id is SHA1(auth_key)[12:20].
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/hex.h"
#include "crypto/drbg.h"
#include "proto/handshake.h"

static const char PROD_KEY[] = "-----BEGIN RSA PUBLIC KEY-----\n"
                               "MIIBCgKCAQEA6LszBcC1LGzyr992NzE0ieY+BSaOW622Aa9Bd4ZHLl+TuFQ4lo4g\n"
                               "5nKaMBwK/BIb9xUfg0Q29/2mgIR6Zr9krM7HjuIcCzFvDtr+L0GQjae9H0pRB2OO\n"
                               "62cECs5HKhT5DZ98K33vmWiLowc621dQuwKWSQKjWf50XYFw42h21P2KXUGyp2y/\n"
                               "+aEyZ+uVgLLQbRA1dEjSDZ2iGRy12Mk5gpYc397aYp438fsJoHIgJ2lgMv5h7WY9\n"
                               "t6N/byY9Nw9p21Og3AoXSL2q/2IJ1WRUhebgAdGVMlV1fkuOQoEzR7EdpqtQD9Cs\n"
                               "5+bfo3Nhmcyvk5ftB0WkJ9z6bNZ7yxrP8wIDAQAB\n"
                               "-----END RSA PUBLIC KEY-----\n";

/* The sample's client values (tests/hs_sample.h). */
static const char NONCE[] = "406709F612FADFBEC3F0289D0AA67EEF";
static const char NEW_NONCE[] = "A8BBC849512DAC6C67B6EFD9157D6CA7377A1776307D84265C6BE9BDCF802AC1";
static const char PAD[] = "74876952857BA6AAA495A20D";
static const char B[] =
    "1376A5A6BF7A9F874B47028F3D5CFF0689FD52F58949BB0EE9BACDBE81DD1CED07101844EB6F2AE19E61120B8479"
    "9431F445785E33A18141399821479AE96786E0F4E9C5C6C9E46BF562C21C96B0F8F7438C8CABA3DFCB3DD3B886C2"
    "A37B95ED804315335C0DDFFEB3A278243D89F964278BC734D1087D6D4B554C1F78397A414F440E38BA9A4F1211B2"
    "0AE835437762F81A45FDB035BB2220D939693084B39A3C7BE2481309AB9AE378EAB8BB3A15A69EBA80BEF683582E"
    "2218FA604E823EABD111553D31DBB46B9383A0D8EEF615FFF9CF266C970800AA28AC5E962D20351311A815FFA756"
    "2989CA6D6323BF2B5AF40EF3F45021B7445664852D07B80172CE";

static rsa_public key;
static const rsa_public *keys[1];
static uint8_t nonce[16], new_nonce[32], pad[12], b[256];
static bool ready;

static void setup(void)
{
    size_t n;
    if (rsa_public_load_pem(&key, PROD_KEY, sizeof PROD_KEY - 1, NULL, NULL) ||
        hex_decode(NONCE, sizeof NONCE - 1, nonce, sizeof nonce, &n) ||
        hex_decode(NEW_NONCE, sizeof NEW_NONCE - 1, new_nonce, sizeof new_nonce, &n) ||
        hex_decode(PAD, sizeof PAD - 1, pad, sizeof pad, &n) ||
        hex_decode(B, sizeof B - 1, b, sizeof b, &n))
        abort();
    keys[0] = &key;
    ready = true;
}

static void check_done(const hs_client *c)
{
    hs_result r;
    uint8_t id[8], aux[8];
    if (hs_client_result(c, &r) != MT_OK)
        abort();
    hs_auth_key_ids(r.key.key, id, aux);
    if (memcmp(id, r.key.id, 8) != 0 || memcmp(aux, r.key.aux_hash, 8) != 0)
        abort();
    hs_result_wipe(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hs_client c;
    static uint8_t out[HS_PACKET_MAX];
    static const uint64_t ids[3] = {0x65c53d50000672d4ull, 0x65c53d50000672d8ull,
                                    0x65c53d5100075c18ull};
    if (!ready)
        setup();
    mt_drbg d;
    mt_vclock vc;
    drbg_init_u64(&d, 1);
    vclock_init(&vc, 1707425105ull * NS_PER_S);
    hs_client_config cfg = {.keys = keys, .n_keys = 1, .dc = 2, .mr_rounds = 2, .max_retries = 2};
    hs_client_fixed fx = {.nonce = nonce,
                          .new_nonce = new_nonce,
                          .b = b,
                          .answer_pad = pad,
                          .answer_pad_len = sizeof pad,
                          .msg_ids = ids,
                          .n_msg_ids = 3};
    size_t n = 0;
    if (hs_client_init(&c, &cfg, &vc.clock, &d.rng, &fx) ||
        hs_client_start(&c, out, sizeof out, &n))
        abort();
    while (size >= 2 && hs_client_get_state(&c) != HSC_DONE) {
        size_t len = ld16le(data);
        if (len > size - 2)
            len = size - 2;
        int err = hs_client_feed(&c, data + 2, len, out, sizeof out, &n);
        data += 2 + len;
        size -= 2 + len;
        if (err && !mt_err_is_rule(err))
            abort();
        if (err) { /* sticky */
            if (hs_client_feed(&c, data, 0, out, sizeof out, &n) != err)
                abort();
            break;
        }
    }
    if (hs_client_get_state(&c) == HSC_DONE)
        check_done(&c);
    hs_client_wipe(&c);
    return 0;
}
