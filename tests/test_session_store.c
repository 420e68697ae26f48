/*
 * The store of kept messages shared by both session engines (proto/session.c): bodies are packed
 * in one arena in store order, so dropping one (acked, answered, forgotten when full) moves the
 * later bodies down. Checked against a model of what must be kept, with bodies of every size up
 * to SESS_STORE_BODY_MAX, drops at the front, middle and end; and core_init leaves the arena
 * untouched (what keeps an idle engine's resident memory small).
 */
#include "session_fixture.h"

#define ROUNDS 400

/* A content-related body (an update id the engine does not know) of len bytes, its bytes a
 * function of (tag, offset) so any misplaced byte shows. */
static void make_body(uint8_t *b, size_t len, uint32_t tag)
{
    st32le(b, 0x7a7a7a7au);
    for (size_t i = 4; i < len; i++)
        b[i] = (uint8_t)(tag * 31u + i * 7u);
}

typedef struct model {
    uint64_t id[SESS_STORE_MAX];
    uint32_t tag[SESS_STORE_MAX];
    size_t len[SESS_STORE_MAX];
    size_t n;
} model;

static void model_drop(model *m, size_t i)
{
    memmove(&m->id[i], &m->id[i + 1], (m->n - i - 1) * sizeof m->id[0]);
    memmove(&m->tag[i], &m->tag[i + 1], (m->n - i - 1) * sizeof m->tag[0]);
    memmove(&m->len[i], &m->len[i + 1], (m->n - i - 1) * sizeof m->len[0]);
    m->n--;
}

/* Every message the model keeps is found with its body intact, and nothing else is kept. */
static void check_store(sess_core *k, const model *m)
{
    static uint8_t want[SESS_STORE_BODY_MAX];
    assert_int_equal(k->nstore, m->n);
    size_t total = 0;
    for (size_t i = 0; i < m->n; i++) {
        sess_stored *e = core_store_find(k, m->id[i]);
        assert_non_null(e);
        assert_int_equal(e->len, m->len[i]);
        make_body(want, m->len[i], m->tag[i]);
        assert_memory_equal(core_store_body(k, e), want, m->len[i]);
        total += m->len[i];
    }
    assert_int_equal(k->arena_used, total);
}

static void test_store_packs_and_drops(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    sess_core *k = &f->srv.core;
    static model m;
    static uint8_t body[SESS_STORE_BODY_MAX];
    tu_rand_seed(11);
    for (uint32_t round = 0; round < ROUNDS; round++) {
        size_t len = round % 7 == 0 ? SESS_STORE_BODY_MAX : 8 + tu_rand_below(600);
        make_body(body, len, round);
        if (m.n == SESS_STORE_MAX) {
            /* Full: the engine forgets its oldest acked entry, else its oldest. */
            size_t victim = 0;
            while (victim < m.n && !k->store[victim].acked)
                victim++;
            model_drop(&m, victim == m.n ? 0 : victim);
        }
        sess_out_clear(&f->sout);
        uint64_t id;
        assert_int_equal(sess_server_push(&f->srv, body, len, &f->sout, &id), MT_OK);
        m.id[m.n] = id;
        m.tag[m.n] = round;
        m.len[m.n++] = len;
        if (round % 5 == 0) /* an ack somewhere in the middle: the next victim when full */
            k->store[tu_rand_below(k->nstore)].acked = true;
        if (round % 11 == 0 && m.n > 2) { /* an answer matched: dropped where it stands */
            size_t i = tu_rand_below(m.n);
            core_store_drop(k, core_store_find(k, m.id[i]));
            model_drop(&m, i);
        }
        check_store(k, &m);
    }
    /* A msg_resend_req-style resend takes the kept body as it is. */
    sess_out_clear(&f->sout);
    assert_int_equal(core_emit_raw(&f->sout, k->store[0].msg_id, k->store[0].seqno,
                                   core_store_body(k, &k->store[0]), k->store[0].len),
                     MT_OK);
    make_body(body, m.len[0], m.tag[0]);
    assert_memory_equal(f->sout.msgs[0].body, body, m.len[0]);
    free(f);
}

static void test_init_leaves_arena_untouched(void **state)
{
    (void)state;
    sess_core *k = malloc(sizeof *k);
    assert_non_null(k);
    memset(k, 0xAB, sizeof *k);
    mt_vclock clock;
    vclock_init(&clock, T0S * NS_PER_S);
    core_init(k, &clock.clock, NULL, true, NULL, 0);
    assert_int_equal(k->nstore, 0);
    assert_int_equal(k->arena_used, 0);
    for (size_t i = 0; i < sizeof k->arena; i += 4096)
        assert_int_equal(k->arena[i], 0xAB);
    free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_packs_and_drops),
        cmocka_unit_test(test_init_leaves_arena_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
