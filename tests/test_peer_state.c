/*
 * The peers' --state files (reference-peers/relay_state.c, client_state.c): the strict line and
 * file parsers on every malformed form, and save → load round trips through real files,
 * including a broken file (overlong line, bad hex, a key line split by a missing newline).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/hex.h"
#include "relay_loop.h"
#include "reference-peers/client_state.h"
#include "reference-peers/relay_state.h"

static char hexkey[2 * MT_AUTH_KEY_LEN + 1];

static void fill_hexkey(void)
{
    uint8_t k[MT_AUTH_KEY_LEN];
    for (size_t i = 0; i < sizeof k; i++)
        k[i] = (uint8_t)(i * 7 + 1);
    hex_encode(k, sizeof k, hexkey);
}

/* tmpl with its one "%s" replaced by the hex key (tables of templates: no format strings). */
static void subst(char *out, size_t cap, const char *tmpl)
{
    const char *at = strstr(tmpl, "%s");
    assert_non_null(at);
    int n = snprintf(out, cap, "%.*s%s%s", (int)(at - tmpl), tmpl, hexkey, at + 2);
    assert_true(n > 0 && (size_t)n < cap);
}

static bool parse(const char *line, bool *temp, int64_t *exp)
{
    uint8_t key[MT_AUTH_KEY_LEN];
    return relay_state_parse_line(line, strlen(line), key, temp, exp);
}

static void test_relay_line(void **state)
{
    (void)state;
    fill_hexkey();
    char line[800];
    bool temp = true;
    int64_t exp = -1;
    snprintf(line, sizeof line, "perm 0 %s\n", hexkey);
    assert_true(parse(line, &temp, &exp));
    assert_false(temp);
    assert_int_equal(exp, 0);
    snprintf(line, sizeof line, "temp 1700000000 %s\r\n", hexkey);
    assert_true(parse(line, &temp, &exp));
    assert_true(temp);
    assert_int_equal(exp, 1700000000);
    snprintf(line, sizeof line, "temp 9223372036854775807 %s", hexkey);
    assert_true(parse(line, &temp, &exp));
    assert_int_equal(exp, INT64_MAX);

    const char *bad_fmt[] = {
        "perm 1 %s\n",                   /* a permanent key has no expiry */
        "temp 0 %s\n",                   /* a temporary key has one */
        "temp -5 %s\n",                  /* no sign */
        "temp 9223372036854775808 %s\n", /* over INT64_MAX */
        "temp 99999999999999999999 %s\n",
        "temp 007 %s\n", /* no leading zeros */
        "perm  0 %s\n",  /* one space exactly */
        "perm 0  %s\n",
        "Perm 0 %s\n",
        "pem 0 %s\n",
        "perm 0 %s0\n",  /* 513 hex digits */
        "perm 0 %s \n",  /* trailing blank */
        "perm 0 %s\n\n", /* two newlines */
        "perm 0x %s\n",
    };
    for (size_t i = 0; i < sizeof bad_fmt / sizeof bad_fmt[0]; i++) {
        subst(line, sizeof line, bad_fmt[i]);
        assert_false(parse(line, &temp, &exp));
    }
    snprintf(line, sizeof line, "perm 0 %s\n", hexkey);
    line[100] = 'g'; /* not hex */
    assert_false(parse(line, &temp, &exp));
    snprintf(line, sizeof line, "perm 0 %.510s\n", hexkey); /* one byte short */
    assert_false(parse(line, &temp, &exp));
    assert_false(parse("", &temp, &exp));
    assert_false(parse("\n", &temp, &exp));
}

static void test_client_text(void **state)
{
    (void)state;
    fill_hexkey();
    char text[800];
    uint8_t key[MT_AUTH_KEY_LEN], salt[HS_SALT_LEN];
    const char *good[] = {"key %s\nsalt 0102030405060708\n", "key %s\r\nsalt 0102030405060708\r\n",
                          "key %s\nsalt 0102030405060708"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        subst(text, sizeof text, good[i]);
        assert_true(client_state_parse(text, strlen(text), key, salt));
        assert_int_equal(salt[0], 1);
        assert_int_equal(salt[7], 8);
        assert_int_equal(key[1], 8);
    }
    const char *bad[] = {
        "key %s\nsalt 0102030405060708\n\n", /* trailing junk */
        "key %s\nsalt 01020304050607\n",     /* short salt */
        "key %s\nsalt 010203040506070809\n", /* long salt */
        "key %s salt 0102030405060708\n",    /* one line */
        "key %s\rsalt 0102030405060708\n",   /* a bare CR */
        "key %s\nsalt 0102030405060708\r",   /* a bare CR at the end */
        "salt 0102030405060708\nkey %s\n",   /* order */
        "key  %s\nsalt 0102030405060708\n",  "kez %s\nsalt 0102030405060708\n",
        "key %s\nsalt 01020304050607zz\n",   "key %s\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        subst(text, sizeof text, bad[i]);
        assert_false(client_state_parse(text, strlen(text), key, salt));
    }
    assert_false(client_state_parse("", 0, key, salt));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_relay_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/mtproof-state-XXXXXX";
    assert_non_null(mkdtemp(dir));
    mt_auth_key k;
    uint8_t raw[MT_AUTH_KEY_LEN];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(255 - i);
    mt_auth_key_init(&k, raw);
    assert_true(relay_state_save(dir, &k, false, 0));
    assert_true(
        relay_state_save(dir, &k, true, 2000)); /* the same key again: the newer record wins */
    raw[0] ^= 1;
    mt_auth_key_init(&k, raw);
    assert_true(relay_state_save(dir, &k, true, 1000)); /* expired at now = 1500 */
    raw[1] ^= 1;
    mt_auth_key_init(&k, raw);
    assert_true(relay_state_save(dir, &k, true, 3000));

    char path[300], big[3000];
    snprintf(path, sizeof path, "%s/auth_keys", dir);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    fprintf(f, "%s\nperm 0 zz\n", big); /* an overlong line and a short one, both skipped */
    assert_int_equal(fclose(f), 0);

    rl_relay rr;
    rl_relay_new(&rr, NULL);
    assert_int_equal(relay_state_load(dir, rr.r, 1500), 3); /* lines 1, 2 and 4 */
    rl_relay_free(&rr);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

static void test_client_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/mtproof-cstate-XXXXXX";
    assert_non_null(mkdtemp(dir));
    hs_result a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    uint8_t raw[MT_AUTH_KEY_LEN];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i ^ 0x5a);
    mt_auth_key_init(&a.key, raw);
    memcpy(a.server_salt, "\x11\x22\x33\x44\x55\x66\x77\x88", HS_SALT_LEN);
    assert_int_equal(client_state_load(dir, &b), 0); /* nothing saved yet */
    assert_true(client_state_save(dir, &a));
    assert_int_equal(client_state_load(dir, &b), 1);
    assert_memory_equal(a.key.key, b.key.key, MT_AUTH_KEY_LEN);
    assert_memory_equal(a.key.id, b.key.id, sizeof a.key.id);
    assert_memory_equal(a.server_salt, b.server_salt, HS_SALT_LEN);

    char path[300], text[2000];
    snprintf(path, sizeof path, "%s/client.key", dir);
    memset(text, 'k', sizeof text - 1);
    text[sizeof text - 1] = 0;
    write_file(path, text); /* longer than any saved file */
    assert_int_equal(client_state_load(dir, &b), -1);
    write_file(path, "key 00\nsalt 00\n");
    assert_int_equal(client_state_load(dir, &b), -1);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relay_line),
        cmocka_unit_test(test_client_text),
        cmocka_unit_test(test_relay_round_trip),
        cmocka_unit_test(test_client_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
