/*
 * The report writers (harness/report_*.c): a run with every outcome is written in each format to
 * a temporary directory; the JSON is read back with jansson, the JUnit and HTML files are checked
 * for their counts and markup, the text for its lines; a run of hostile strings must come out
 * escaped in every format (valid UTF-8, no control bytes, no live markup).
 * `test_report --write DIR` only writes DIR/sample.{json,xml,html,txt} and DIR/hostile.xml for
 * tests/cli/report_junit.sh, which checks the XML with tests/cli/junit_check.py.
 */
#include "testutil.h"

#include <unistd.h>

#include "harness/report_internal.h"
#include "report_sample.h"

static char tmpdir[64];

static char *path_in_tmp(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

/* The whole file as a NUL-terminated string (the test fails when unreadable). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Valid UTF-8 and no control byte but '\n' (and '\t' where allowed). */
static void assert_clean(const char *what, const char *s, bool tabs)
{
    char *clean = rp_utf8_clean(s);
    assert_non_null(clean);
    if (strcmp(clean, s) != 0)
        fail_msg("%s is not valid UTF-8", what);
    free(clean);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && !(tabs && *p == '\t')) || *p == 0x7f)
            fail_msg("%s holds control byte 0x%02x at %zu", what, *p,
                     (size_t)(p - (const unsigned char *)s));
}

static void test_json(void **state)
{
    (void)state;
    conform_run r;
    char why[256];
    assert_int_equal(sample_run(&r), 0);
    assert_int_equal(report_json(path_in_tmp("r.json"), &r, why, sizeof why), MT_OK);
    json_error_t je;
    json_t *j = json_load_file(path_in_tmp("r.json"), 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "mtproof-conform-1");
    assert_string_equal(json_string_value(json_object_get(j, "target")), "builtin");
    assert_string_equal(json_string_value(json_object_get(j, "seed")), "7");
    assert_true(json_is_false(json_object_get(j, "ok")));
    assert_int_equal(json_integer_value(json_object_get(j, "elapsed_ns")), 2500000000LL);
    json_t *counts = json_object_get(j, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "total")), SAMPLE_CASES);
    assert_int_equal(json_integer_value(json_object_get(counts, "skip")), 2);
    assert_int_equal(json_integer_value(json_object_get(counts, "xpass")), 1);
    json_t *areas = json_object_get(j, "areas");
    assert_int_equal(json_array_size(areas), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(areas, 0), "area")),
                        "handshake");
    json_t *cases = json_object_get(j, "cases");
    assert_int_equal(json_array_size(cases), SAMPLE_CASES);
    json_t *fail = json_array_get(cases, 1);
    assert_string_equal(json_string_value(json_object_get(fail, "outcome")), "fail");
    json_t *fr = json_object_get(fail, "failed_rule");
    assert_string_equal(json_string_value(json_object_get(fr, "id")), sample_rule()->id);
    assert_string_equal(json_string_value(json_object_get(fr, "sentence")),
                        sample_rule()->sentence);
    assert_string_equal(json_string_value(json_array_get(json_object_get(fail, "rules"), 0)),
                        sample_rule()->id);
    assert_int_equal(count_of(json_string_value(json_object_get(fail, "transcript")), "\n"), 60);
    assert_true(json_is_null(json_object_get(json_array_get(cases, 0), "failed_rule")));
    assert_true(json_is_null(json_object_get(json_array_get(cases, 0), "message")));
    assert_int_equal(json_integer_value(json_object_get(fail, "line")), 10);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "stale"), 0)),
                        "xf.txt:3: old_*");
    json_decref(j);
    conform_run_free(&r);
}

static void test_json_hostile(void **state)
{
    (void)state;
    conform_run r;
    char why[256];
    assert_int_equal(hostile_run(&r), 0);
    assert_int_equal(report_json(path_in_tmp("h.json"), &r, why, sizeof why), MT_OK);
    json_error_t je;
    json_t *j = json_load_file(path_in_tmp("h.json"), 0, &je);
    assert_non_null(j);
    /* Valid code points survive exactly (JSON escapes controls); invalid bytes become \xNN. */
    const char *want = "nq\"'<script>alert(1)</script>&amp;]]>\x01\x1b[31m\x7f\\xff\\xc0\\x80"
                       "\\xed\\xa0\\x80\xef\xbf\xbe";
    json_t *c0 = json_array_get(json_object_get(j, "cases"), 0);
    assert_string_equal(json_string_value(json_object_get(c0, "name")), want);
    assert_non_null(strstr(json_string_value(json_object_get(c0, "transcript")), "\r\n\ttab"));
    json_decref(j);
    conform_run_free(&r);
}

static void test_junit(void **state)
{
    (void)state;
    conform_run r;
    char why[256];
    assert_int_equal(sample_run(&r), 0);
    assert_int_equal(report_junit(path_in_tmp("r.xml"), &r, why, sizeof why), MT_OK);
    char *x = slurp(path_in_tmp("r.xml"));
    assert_true(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 50) == 0);
    assert_non_null(strstr(x, "tests=\"8\" failures=\"3\" errors=\"1\" skipped=\"3\""));
    assert_int_equal(count_of(x, "<testsuite "), 4); /* 3 areas + expect-fail */
    assert_int_equal(count_of(x, "<testcase "), SAMPLE_CASES + SAMPLE_STALE);
    assert_int_equal(count_of(x, "<failure "), SAMPLE_FAILURES);
    assert_int_equal(count_of(x, "<error "), SAMPLE_ERRORS);
    assert_int_equal(count_of(x, "<skipped "), SAMPLE_SKIPPED);
    char type[128];
    snprintf(type, sizeof type, "type=\"%s\"", sample_rule()->id);
    assert_non_null(strstr(x, type));
    assert_non_null(strstr(x, "classname=\"mtproof.conform.msgid\""));
    assert_non_null(strstr(x, "type=\"XPASS\""));
    assert_non_null(strstr(x,
                           "<testsuite name=\"handshake\" tests=\"3\" failures=\"1\" errors=\"0\" "
                           "skipped=\"1\""));
    assert_clean("junit", x, true);
    free(x);
    conform_run_free(&r);
}

/* Every file format of the hostile run: no live markup, no raw control or invalid bytes. */
static void test_markup_hostile(void **state)
{
    (void)state;
    conform_run r;
    char why[256];
    assert_int_equal(hostile_run(&r), 0);
    assert_int_equal(report_junit(path_in_tmp("h.xml"), &r, why, sizeof why), MT_OK);
    assert_int_equal(report_html(path_in_tmp("h.html"), &r, why, sizeof why), MT_OK);
    const char *files[] = {"h.xml", "h.html"};
    for (size_t i = 0; i < 2; i++) {
        char *x = slurp(path_in_tmp(files[i]));
        assert_clean(files[i], x, true);
        assert_null(strstr(x, "<script"));
        assert_null(strstr(x, "]]>"));
        assert_non_null(strstr(x, "&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;"));
        assert_non_null(strstr(x, "\\x01\\x1b[31m\\x7f\\xff\\xc0\\x80\\xed\\xa0\\x80\\uFFFE"));
        assert_non_null(strstr(x, "q&quot;&#39;&lt;")); /* attributes (XML) and text (HTML) */
        assert_int_equal(count_of(x, "\""), count_of(x, "=\"") * 2); /* quotes only around values */
        free(x);
    }
    conform_run_free(&r);
}

static void test_html(void **state)
{
    (void)state;
    conform_run r;
    char why[256];
    assert_int_equal(sample_run(&r), 0);
    assert_int_equal(report_html(path_in_tmp("r.html"), &r, why, sizeof why), MT_OK);
    char *h = slurp(path_in_tmp("r.html"));
    assert_true(strncmp(h, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(h, "</html>\n"));
    /* Self-contained: no external stylesheet, script, image or link. */
    assert_null(strstr(h, "http://"));
    assert_null(strstr(h, "https://"));
    assert_null(strstr(h, "src="));
    assert_null(strstr(h, "<link"));
    assert_non_null(strstr(h, sample_rule()->sentence));
    assert_non_null(strstr(h, "mtproof conform --only sample --seed 7"));
    assert_non_null(strstr(h, "(last 40 lines; 20 earlier)"));
    assert_non_null(strstr(h, "frame 60 c&gt;s"));
    assert_null(strstr(h, "frame 20 c&gt;s"));                /* before the excerpt */
    assert_int_equal(count_of(h, "<section class=\"f\""), 3); /* fail, xpass, error */
    assert_int_equal(count_of(h, "<tr class=\"o-"), SAMPLE_CASES);
    assert_non_null(strstr(h, "xf.txt:3: old_*"));
    free(h);
    conform_run_free(&r);
}

static char *text_of(const conform_run *r, bool tty)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    for (size_t i = 0; i < r->n; i++)
        report_text_case(f, &r->cases[i], tty);
    report_text_summary(f, r, tty);
    fclose(f);
    return buf;
}

static void test_text(void **state)
{
    (void)state;
    conform_run r;
    assert_int_equal(sample_run(&r), 0);
    char *t = text_of(&r, false);
    char line[256];
    snprintf(line, sizeof line, "FAIL  hs_fail [handshake] %s  1.5 ms\n", sample_rule()->id);
    assert_non_null(strstr(t, line));
    assert_non_null(strstr(t, "PASS  hs_pass [handshake]  1.5 ms\n"));
    assert_non_null(strstr(t, "SKIP  msgid_skip [msgid] (nightly tier)  1.5 ms\n"));
    assert_non_null(strstr(t, "pass 1 fail 1 xfail 1 xpass 1 skip 2 error 1\n"));
    assert_non_null(strstr(t, "  msgid         0     0     0     1     1     0      2\n"));
    assert_non_null(strstr(t, sample_rule()->sentence));
    assert_non_null(strstr(t, sample_rule()->source));
    assert_non_null(strstr(t, "transcript (last 12 lines; 48 earlier):\n      frame 49 "));
    assert_non_null(strstr(t, "    repro: mtproof conform --only sample --seed 7\n"));
    assert_non_null(strstr(t, "listed as expected to fail: was broken before 1.2\n"));
    assert_non_null(strstr(t, "  xf.txt:3: old_*\n"));
    assert_non_null(strstr(t, "Expected failures (1):\n  hs_xfail: known bug 12\n"));
    assert_non_null(strstr(t, "\nconform: FAILED\n"));
    assert_null(strchr(t, '\033'));
    free(t);
    t = text_of(&r, true);
    assert_non_null(strstr(t, "\033[1;31mFAIL \033[0m hs_fail"));
    free(t);
    conform_run_free(&r);

    assert_int_equal(hostile_run(&r), 0);
    t = text_of(&r, false);
    assert_clean("text", t, false); /* no escape sequence reaches the terminal */
    assert_non_null(strstr(t, "\\x1b[31m"));
    free(t);
    conform_run_free(&r);
}

static void test_write_errors(void **state)
{
    (void)state;
    conform_run r;
    char why[256];
    assert_int_equal(sample_run(&r), 0);
    const char *bad = "/nonexistent-dir/x/report";
    assert_int_equal(report_json(bad, &r, why, sizeof why), MT_E_io_error);
    assert_non_null(strstr(why, bad));
    assert_int_equal(report_junit(bad, &r, why, sizeof why), MT_E_io_error);
    assert_int_equal(report_html(bad, &r, why, sizeof why), MT_E_io_error);
    assert_int_equal(report_json("/dev/full", &r, why, sizeof why), MT_E_io_error);
    assert_int_equal(report_junit("/dev/full", &r, why, sizeof why), MT_E_io_error);
    assert_int_equal(report_html("/dev/full", &r, why, sizeof why), MT_E_io_error);
    conform_run_free(&r);
}

static int write_samples(const char *dir)
{
    conform_run r, h;
    char why[256], p[4096];
    if (sample_run(&r) || hostile_run(&h))
        return 1;
    int err = 0;
    snprintf(p, sizeof p, "%s/sample.json", dir);
    err |= report_json(p, &r, why, sizeof why);
    snprintf(p, sizeof p, "%s/sample.xml", dir);
    err |= report_junit(p, &r, why, sizeof why);
    snprintf(p, sizeof p, "%s/sample.html", dir);
    err |= report_html(p, &r, why, sizeof why);
    snprintf(p, sizeof p, "%s/hostile.xml", dir);
    err |= report_junit(p, &h, why, sizeof why);
    snprintf(p, sizeof p, "%s/hostile.html", dir);
    err |= report_html(p, &h, why, sizeof why);
    if (err)
        fprintf(stderr, "test_report --write: %s\n", why);
    conform_run_free(&r);
    conform_run_free(&h);
    return err != 0;
}

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mtproof-report-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
    (void)state;
    const char *names[] = {"r.json", "h.json", "r.xml", "h.xml", "r.html", "h.html"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(path_in_tmp(names[i]));
    return rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_samples(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),         cmocka_unit_test(test_json_hostile),
        cmocka_unit_test(test_junit),        cmocka_unit_test(test_markup_hostile),
        cmocka_unit_test(test_html),         cmocka_unit_test(test_text),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
