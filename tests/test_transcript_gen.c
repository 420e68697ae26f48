/*
 * The golden transcripts (vectors/transcripts/): the committed files equal a fresh generation
 * (tests/transcript_gen.h), and every one replays: fed the recorded random values, our client and
 * our server each reproduce every byte of their side, and auth_key, auth_key_id and server_salt
 * match the header's expect lines. `test_transcript_gen --write` regenerates the files.
 */
#include <glob.h>
#include <stdbool.h>

#include "harness/replay.h"
#include "harness/replay_internal.h"
#include "harness/transcript.h"
#include "testutil.h"
#include "transcript_gen.h"

#define DIR MTPROOF_SOURCE_DIR "/vectors/transcripts"

static bool write_mode;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = buf ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

static void test_committed_equal_fresh(void **state)
{
    (void)state;
    for (size_t i = 0; i < gen_case_count; i++) {
        const gen_case *c = &gen_cases[i];
        mt_transcript t;
        assert_int_equal(gen_transcript(c, MTPROOF_SOURCE_DIR "/vectors/keys/test_rsa2048.pem", &t),
                         MT_OK);
        char *text, path[512];
        size_t len, have_len = 0;
        tr_write_opts o = {.decoded = true};
        assert_int_equal(transcript_format(&t, &o, &text, &len), MT_OK);
        snprintf(path, sizeof path, "%s/%s.txt", DIR, c->name);
        if (write_mode) {
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            assert_int_equal(fwrite(text, 1, len, f), len);
            fclose(f);
        }
        char *have = slurp(path, &have_len);
        if (!have || have_len != len || memcmp(have, text, len) != 0)
            fail_msg("%s differs from a fresh generation (run test_transcript_gen --write)", path);
        free(have);
        free(text);
        transcript_free(&t);
    }
}

/* Replays one side; returns whether it ran (false: marked no-replay). */
static bool replay_ok(const mt_transcript *t, const char *path, unsigned side)
{
    if (t->no_replay[side])
        return false;
    replay_report r;
    int err = replay_side(t, DIR, side, &r);
    if (err || r.diverged)
        fail_msg("%s: %s replay: %s (%s)", path, transcript_side_name(side), r.why,
                 mt_err_name(err));
    const tr_value *want = transcript_find(&t->expects, side, "result");
    assert_non_null(want);
    assert_string_equal(r.result, want->word);
    return true;
}

static void test_every_golden_replays(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob(DIR "/*.txt", 0, NULL, &g), 0);
    size_t sides = 0, files = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        mt_transcript t;
        tr_error e;
        if (transcript_load(g.gl_pathv[i], &t, &e) != MT_OK)
            fail_msg("%s:%u:%u: %s", g.gl_pathv[i], e.line, e.col, e.msg);
        sides += replay_ok(&t, g.gl_pathv[i], TR_CLIENT);
        sides += replay_ok(&t, g.gl_pathv[i], TR_SERVER);
        files++;
        transcript_free(&t);
    }
    globfree(&g);
    assert_int_equal(files, gen_case_count + 1); /* + the official sample */
    assert_int_equal(sides, 2 * gen_case_count + 1);
}

/* A flipped byte in a frame of the replayed side is reported at that frame and offset. */
static void flip_and_replay(const char *name, size_t frame, size_t offset, unsigned side)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DIR, name);
    mt_transcript t;
    tr_error e;
    assert_int_equal(transcript_load(path, &t, &e), MT_OK);
    tr_frame *f = transcript_frame(&t, frame - 1);
    assert_true(offset < f->bytes.len);
    f->bytes.p[offset] ^= 0x40;
    replay_report r;
    assert_int_equal(replay_side(&t, DIR, side, &r), MT_OK);
    assert_true(r.diverged);
    assert_int_equal(r.frame, frame);
    assert_int_equal(r.offset, offset);
    assert_int_equal(r.want[offset - r.ctx_start] ^ 0x40, r.got[offset - r.ctx_start]);
    transcript_free(&t);
}

static void test_flipped_byte_found(void **state)
{
    (void)state;
    flip_and_replay("perm.txt", 3, 100, TR_CLIENT);            /* req_DH_params */
    flip_and_replay("perm.txt", 4, 17, TR_SERVER);             /* server_DH_params_ok */
    flip_and_replay("official_sample.txt", 5, 300, TR_CLIENT); /* set_client_DH_params */
    flip_and_replay("temp_bind.txt", 9, 100, TR_CLIENT);       /* the temp key's req_DH_params */
    flip_and_replay("temp_bind.txt", 13, 100, TR_CLIENT);      /* the bind query */
    flip_and_replay("temp_bind.txt", 14, 40, TR_SERVER);       /* its rpc_result */
}

/* The server replay of temp_bind.txt verifies the recorded bind: with a byte of the query's
 * ciphertext flipped, it no longer decrypts (MSG_KEY_MISMATCH) and the server sends nothing. */
static void test_tampered_bind_refused(void **state)
{
    (void)state;
    mt_transcript t;
    tr_error e;
    assert_int_equal(transcript_load(DIR "/temp_bind.txt", &t, &e), MT_OK);
    size_t hs2, bind;
    assert_true(replay_bind_split(&t, &hs2, &bind));
    assert_int_equal(hs2, 6);
    assert_int_equal(bind, 12);
    transcript_frame(&t, bind)->bytes.p[60] ^= 1;
    replay_report r;
    assert_int_equal(replay_side(&t, DIR, TR_SERVER, &r), MT_OK);
    assert_true(r.diverged);
    assert_int_equal(r.frame, bind + 2);
    assert_string_equal(r.result, "MSG_KEY_MISMATCH");
    transcript_free(&t);
}

/* A wrong expect value is a divergence at "frame 0". */
static void test_wrong_expect(void **state)
{
    (void)state;
    mt_transcript t;
    tr_error e;
    assert_int_equal(transcript_load(DIR "/temp.txt", &t, &e), MT_OK);
    for (size_t i = 0; i < t.expects.n; i++) {
        tr_value *v = transcript_value(&t.expects, i);
        if (v->side == TR_SERVER && strcmp(v->name, "server-salt") == 0)
            v->hex.p[0] ^= 1;
    }
    replay_report r;
    assert_int_equal(replay_side(&t, DIR, TR_SERVER, &r), MT_OK);
    assert_true(r.diverged);
    assert_int_equal(r.frame, 0);
    assert_non_null(strstr(r.why, "server-salt"));
    assert_int_equal(replay_side(&t, DIR, TR_CLIENT, &r), MT_OK);
    assert_false(r.diverged);
    transcript_free(&t);
    assert_int_equal(transcript_load(DIR "/retry.txt", &t, &e), MT_OK);
    for (size_t i = 0; i < t.expects.n; i++) {
        tr_value *v = transcript_value(&t.expects, i);
        if (v->side == TR_CLIENT && strcmp(v->name, "retries") == 0)
            v->num = 2;
    }
    assert_int_equal(replay_side(&t, DIR, TR_CLIENT, &r), MT_OK);
    assert_true(r.diverged);
    assert_non_null(strstr(r.why, "retries"));
    transcript_free(&t);
}

int main(int argc, char **argv)
{
    write_mode = argc > 1 && strcmp(argv[1], "--write") == 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_committed_equal_fresh), cmocka_unit_test(test_every_golden_replays),
        cmocka_unit_test(test_flipped_byte_found),    cmocka_unit_test(test_wrong_expect),
        cmocka_unit_test(test_tampered_bind_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
