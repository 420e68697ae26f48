/*
 * Writes the seed corpus of fuzz_handshake_server (corpora/handshake_server/): the client messages
 * of real runs of our client engine against our server engine, set up exactly as the target sets
 * up its server (DRBG seed 1, virtual clock from 1707425105 s moving 1 s per message, the test
 * key), so the seeds reach every step. Not built by CMake (only fuzz_*.c are targets); run it from
 * the source directory after a build:
 *   cc -std=c11 -I. -Ibuild/asan/gen fuzz/seeds_handshake_server.c build/asan/libmtproof.a \
 *      -fsanitize=address,undefined -o /tmp/seeds && /tmp/seeds corpora/handshake_server
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/drbg.h"
#include "proto/handshake_server.h"

static rsa_private key;

/* Appends one record [len:u16 le][bytes]. */
static void put(FILE *f, const uint8_t *p, size_t n)
{
    uint8_t h[2] = {(uint8_t)n, (uint8_t)(n >> 8)};
    fwrite(h, 1, 2, f);
    fwrite(p, 1, n, f);
}

/* One run; resend feeds each client message twice; stop_after cuts the run short. */
static void run(const char *dir, const char *name, hs_key_kind kind, int resend, int stop_after)
{
    static mt_drbg sd, cd;
    static mt_vclock clock;
    static hss s;
    static hs_client c;
    const rsa_private *keys[1] = {&key};
    const rsa_public *pubs[1] = {&key.pub};
    hss_config cfg = {.keys = keys, .n_keys = 1};
    hs_client_config cc = {.keys = pubs, .n_keys = 1, .dc = 2, .kind = kind, .expires_in = 3600};
    drbg_init_u64(&sd, 1);
    drbg_init_u64(&cd, 99);
    vclock_init(&clock, 1707425105ull * NS_PER_S);
    if (hss_init(&s, &cfg, &clock.clock, &sd.rng, NULL) ||
        hs_client_init(&c, &cc, &clock.clock, &cd.rng, NULL))
        abort();
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    uint8_t pkt[HS_PACKET_MAX], ans[HS_PACKET_MAX];
    size_t n, an;
    if (hs_client_start(&c, pkt, sizeof pkt, &n))
        abort();
    for (int step = 0; n && step < stop_after; step++) {
        for (int k = 0; k <= resend; k++) {
            put(f, pkt, n);
            if (hss_feed(&s, pkt, n, ans, sizeof ans, &an))
                abort();
            vclock_advance(&clock, NS_PER_S);
        }
        if (hs_client_feed(&c, ans, an, pkt, sizeof pkt, &n))
            abort();
    }
    fclose(f);
    hss_wipe(&s);
    hs_client_wipe(&c);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    FILE *k = fopen("vectors/keys/test_rsa2048.pem", "rb");
    static char pem[8192];
    size_t n = k ? fread(pem, 1, sizeof pem, k) : 0;
    mt_drbg kd;
    drbg_init_u64(&kd, 1);
    if (!k || rsa_private_load_pem(&key, pem, n, &kd.rng, NULL, NULL))
        return 1;
    fclose(k);
    run(argv[1], "perm_full", HS_KEY_PERM, 0, 99);
    run(argv[1], "temp_full", HS_KEY_TEMP, 0, 99);
    run(argv[1], "perm_resend", HS_KEY_PERM, 1, 99);
    run(argv[1], "req_pq_only", HS_KEY_PERM, 0, 1);
    run(argv[1], "req_dh", HS_KEY_PERM, 0, 2);
    return 0;
}
