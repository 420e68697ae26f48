/* Temporary keys and binding, the parts without a session (proto/bind.h): our encryption of
 * bind_auth_key_inner against Python's (vectors/bind.json) and accepted by our server, the
 * client's decision on each answer, and the binding table's limit. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "proto/bind.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"

static const mt_auth_key *find_one(void *ctx, int64_t id)
{
    const mt_auth_key *k = ctx;
    return id == mt_bind_key_id(k) ? k : NULL;
}

static size_t rpc_error_obj(uint8_t *out, size_t cap, const char *text)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, MTP_ID_rpc_error);
    tl_wr_int(&w, 400);
    tl_wr_string(&w, (const uint8_t *)text, strlen(text));
    assert_int_equal(w.err, MT_OK);
    return wr_len(&w);
}

static void test_client_decision(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = rpc_error_obj(buf, sizeof buf, "ENCRYPTED_MESSAGE_INVALID");
    assert_int_equal(mt_bind_client_react(buf, n, 0), MT_BIND_RETRY);
    assert_int_equal(mt_bind_client_react(buf, n, MT_BIND_PERM_KEY_FRESH_S), MT_BIND_RETRY);
    assert_int_equal(mt_bind_client_react(buf, n, MT_BIND_PERM_KEY_FRESH_S + 1),
                     MT_BIND_RECREATE_KEYS);
    n = rpc_error_obj(buf, sizeof buf, "EXPIRES_AT_INVALID");
    assert_int_equal(mt_bind_client_react(buf, n, 0), MT_BIND_NEW_TEMP_KEY);
    n = rpc_error_obj(buf, sizeof buf, "TEMP_AUTH_KEY_EMPTY");
    assert_int_equal(mt_bind_client_react(buf, n, 0), MT_BIND_FAIL);
    n = rpc_error_obj(buf, sizeof buf, "ENCRYPTED_MESSAGE_INVALI");
    assert_int_equal(mt_bind_client_react(buf, n, 0), MT_BIND_FAIL);
    st32le(buf, API_ID_boolFalse);
    assert_int_equal(mt_bind_client_react(buf, 4, 0), MT_BIND_FAIL);
    st32le(buf, API_ID_boolTrue);
    assert_int_equal(mt_bind_client_react(buf, 4, 0), MT_BIND_DONE);
    assert_int_equal(mt_bind_client_react(buf, 3, 0), MT_BIND_FAIL);
    assert_string_equal(mt_bind_action_name(MT_BIND_RECREATE_KEYS), "recreate_keys");
}

static void test_table_limit(void **state)
{
    (void)state;
    static mt_bind_table t;
    mt_bind_table_init(&t);
    for (int64_t i = 0; i < (int64_t)MT_BIND_TABLE_MAX; i++)
        assert_int_equal(mt_bind_table_set(&t, 1000 + i, 2000 + i, 500, 100), MT_OK);
    assert_int_equal(mt_bind_table_set(&t, 1, 2, 500, 100), MT_E_limit_exceeded);
    /* Once they expire, room comes back. */
    assert_int_equal(mt_bind_table_set(&t, 1, 2, 900, 500), MT_OK);
    assert_int_equal(t.n, 1);
}

/* A fixed-bytes rng: the vector's `random` (int128, then padding). */
typedef struct vec_rng {
    mt_rng rng;
    const uint8_t *p;
    size_t left;
} vec_rng;

static int vec_fill(mt_rng *self, uint8_t *out, size_t n)
{
    vec_rng *r = (vec_rng *)self;
    assert_true(n <= r->left);
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return MT_OK;
}

/* Python's encryption (vectors/bind.json) equals ours, and our server accepts it. */
static void one_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    if (strcmp(json_string_value(json_object_get(test, "result")), "valid") != 0)
        return;
    tu_buf ak = tu_field(in, "perm_auth_key"), rnd = tu_field(in, "random");
    tu_buf f[4] = {tu_field(in, "nonce"), tu_field(in, "temp_auth_key_id"),
                   tu_field(in, "perm_auth_key_id"), tu_field(in, "temp_session_id")};
    mt_bind_inner bi = {(int64_t)ld64le(f[0].p), (int64_t)ld64le(f[1].p), (int64_t)ld64le(f[2].p),
                        (int64_t)ld64le(f[3].p), (int32_t)tu_int(in, "expires_at")};
    uint64_t msg_id = strtoull(json_string_value(json_object_get(in, "msg_id")), NULL, 10);
    static mt_auth_key perm;
    mt_auth_key_init(&perm, ak.p);
    vec_rng r = {{vec_fill}, rnd.p, rnd.len};
    uint8_t out[MT_BIND_ENC_LEN];
    assert_int_equal(mt_bind_encrypt(&perm, &bi, msg_id, &r.rng, out), MT_OK);
    tu_buf want = tu_field(json_object_get(test, "out"), "out");
    tu_assert_bytes("bind_encrypt", out, sizeof out, want.p, want.len);
    mt_bind_conn conn = {bi.temp_auth_key_id, true, (int64_t)bi.expires_at,
                         (uint64_t)bi.temp_session_id};
    mt_bind_request req = {bi.perm_auth_key_id, bi.nonce, bi.expires_at, want.p, want.len};
    int64_t now = (int64_t)bi.expires_at - 1;
    assert_int_equal(mt_bind_verify(find_one, &perm, NULL, &conn, msg_id, now, &req), MT_OK);
    mt_auth_key_wipe(&perm);
    tu_free(&ak);
    tu_free(&rnd);
    tu_free(&want);
    for (int i = 0; i < 4; i++)
        tu_free(&f[i]);
}

static void test_vectors(void **state)
{
    (void)state;
    json_t *file = tu_load_vectors("bind.json");
    assert_true(tu_each_vector(file, "bind_encrypt", one_vector, NULL) >= 9);
    json_decref(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_decision),
        cmocka_unit_test(test_table_limit),
        cmocka_unit_test(test_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
