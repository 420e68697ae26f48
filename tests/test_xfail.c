/*
 * conform_run helpers and expect-fail files (harness/report.c, harness/xfail.c): outcome names,
 * deep copies, counts, the run's verdict; parsing with file:line errors, glob matching,
 * pass→xpass and fail→xfail as the runner applies them, stale entries; and the shared escaping
 * and excerpt helpers of the writers (harness/report_util.c).
 */
#include "testutil.h"

#include <fcntl.h>
#include <unistd.h>

#include "harness/report_internal.h"

static conform_case mk(const char *name, conform_outcome o)
{
    conform_case c;
    memset(&c, 0, sizeof c);
    c.name = (char *)name;
    c.area = (char *)"handshake";
    c.outcome = o;
    return c;
}

static void test_outcomes(void **state)
{
    (void)state;
    const char *names[] = {"pass", "fail", "xfail", "xpass", "skip", "error"};
    const bool bad[] = {false, true, false, true, false, true};
    for (int o = 0; o < CO_OUTCOME_COUNT; o++) {
        assert_string_equal(conform_outcome_name((conform_outcome)o), names[o]);
        assert_int_equal(conform_outcome_bad((conform_outcome)o), bad[o]);
    }
    assert_string_equal(conform_outcome_name(CO_OUTCOME_COUNT), "unknown");
    assert_true(conform_outcome_bad(CO_OUTCOME_COUNT));
}

static void test_deep_copy(void **state)
{
    (void)state;
    conform_run r;
    conform_run_init(&r, "builtin", "fast", 99);
    char name[] = "hs_one";
    conform_case c = mk(name, CO_PASS);
    c.rules[0] = 5;
    c.n_rules = 1;
    c.transcript = (char *)"frame 1\n";
    for (int i = 0; i < 100; i++) /* past the first growth of the array */
        assert_int_equal(conform_run_add(&r, &c), MT_OK);
    name[0] = 'X';
    assert_string_equal(r.cases[0].name, "hs_one");
    assert_ptr_not_equal(r.cases[99].transcript, c.transcript);
    assert_null(r.cases[0].message); /* NULL stays NULL */
    assert_int_equal(r.cases[42].rules[0], 5);
    assert_int_equal(r.seed, 99);
    assert_string_equal(r.target, "builtin");
    c.n_rules = CONFORM_MAX_RULES + 1;
    assert_int_equal(conform_run_add(&r, &c), MT_E_bad_argument);
    assert_int_equal(r.n, 100);
    conform_run_free(&r);
    assert_null(r.cases);
}

static void test_counts_and_ok(void **state)
{
    (void)state;
    conform_run r;
    size_t counts[CO_OUTCOME_COUNT];
    conform_run_init(&r, NULL, NULL, 0);
    assert_true(conform_run_ok(&r)); /* nothing unexpected */
    conform_outcome good[] = {CO_PASS, CO_XFAIL, CO_SKIP, CO_PASS};
    for (size_t i = 0; i < 4; i++) {
        conform_case c = mk("c", good[i]);
        assert_int_equal(conform_run_add(&r, &c), MT_OK);
    }
    assert_true(conform_run_ok(&r));
    conform_run_counts(&r, counts);
    assert_int_equal(counts[CO_PASS], 2);
    assert_int_equal(counts[CO_XFAIL], 1);
    assert_int_equal(counts[CO_FAIL], 0);
    conform_outcome bad[] = {CO_FAIL, CO_XPASS, CO_ERROR, CO_OUTCOME_COUNT};
    for (size_t i = 0; i < 4; i++) {
        r.cases[0].outcome = bad[i];
        assert_false(conform_run_ok(&r));
    }
    conform_run_counts(&r, counts);
    assert_int_equal(counts[CO_ERROR], 1); /* the out-of-range outcome counts as an error */
    r.cases[0].outcome = CO_PASS;
    xfail_list l;
    char why[256];
    assert_int_equal(xfail_parse("gone x\n", 7, "xf", &l, why, sizeof why), MT_OK);
    assert_int_equal(xfail_finish(&l, &r), MT_OK);
    assert_false(conform_run_ok(&r)); /* a stale entry fails the run */
    xfail_free(&l);
    conform_run_free(&r);
}

static const char good_file[] = "# known failures\n"
                                "\n"
                                "hs_retry_*   needs dh_gen_retry support (issue 12)\n"
                                "  msgid_too_old\tserver accepts old ids  \r\n"
                                "container_*  containers: overlapping glob\n"
                                "old_scenario gone since 1.1\n";

/* The runner's use of the list: match each case, turn fail→xfail and pass→xpass. */
static void apply(xfail_list *l, conform_case *c)
{
    const xfail_entry *e = xfail_match(l, c->name);
    if (!e)
        return;
    c->reason = e->reason;
    if (c->outcome == CO_FAIL)
        c->outcome = CO_XFAIL;
    else if (c->outcome == CO_PASS)
        c->outcome = CO_XPASS;
}

static void test_xfail_flow(void **state)
{
    (void)state;
    xfail_list l;
    char why[256];
    assert_int_equal(xfail_parse(good_file, strlen(good_file), "known.txt", &l, why, sizeof why),
                     MT_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.e[1].pattern, "msgid_too_old");
    assert_string_equal(l.e[1].reason, "server accepts old ids");
    assert_int_equal(l.e[1].line, 4);
    conform_case cs[] = {mk("hs_retry_3", CO_FAIL), mk("msgid_too_old", CO_PASS),
                         mk("hs_plain", CO_FAIL), mk("hs_retry_4", CO_SKIP)};
    for (size_t i = 0; i < 4; i++)
        apply(&l, &cs[i]);
    assert_int_equal(cs[0].outcome, CO_XFAIL);
    assert_string_equal(cs[0].reason, "needs dh_gen_retry support (issue 12)");
    assert_int_equal(cs[1].outcome, CO_XPASS);
    assert_int_equal(cs[2].outcome, CO_FAIL);
    assert_null(cs[2].reason);
    assert_int_equal(cs[3].outcome, CO_SKIP);
    assert_null(xfail_match(&l, "container"));
    assert_non_null(xfail_match(&l, "container_nested"));
    conform_run r;
    conform_run_init(&r, "builtin", "fast", 1);
    assert_int_equal(xfail_finish(&l, &r), MT_OK);
    assert_int_equal(r.n_stale, 1);
    assert_string_equal(r.stale[0], "known.txt:6: old_scenario");
    conform_run_free(&r);
    xfail_free(&l);
    assert_int_equal(l.n, 0);
}

static void expect_bad(const char *text, size_t len, const char *why_has)
{
    xfail_list l;
    char why[256];
    assert_int_equal(xfail_parse(text, len, "bad.txt", &l, why, sizeof why), MT_E_bad_field);
    if (!strstr(why, why_has))
        fail_msg("why '%s' lacks '%s'", why, why_has);
    assert_null(l.e);
    assert_null(l.path);
}

static void test_xfail_malformed(void **state)
{
    (void)state;
    expect_bad("a reason\n# c\nlonely\n", 21, "bad.txt:3: an entry needs a reason");
    expect_bad("lonely   \t\n", 11,
               "bad.txt:1: an entry needs a reason after the scenario name: "
               "lonely");
    expect_bad("a one\nb two\na three\n", 20, "bad.txt:3: duplicate entry, first at line 1");
    expect_bad("a one\nb t\0wo\n", 13, "bad.txt:2: NUL byte");
    size_t big = XFAIL_MAX_INPUT + 1;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, '#', big);
    expect_bad(text, big, "bad.txt:1: file is over the size limit");
    /* One entry more than the limit, each "eNNNNN r\n". */
    size_t o = 0;
    for (unsigned i = 0; i <= XFAIL_MAX_ENTRIES; i++)
        o += (size_t)sprintf(text + o, "e%05u r\n", i);
    char where[64];
    snprintf(where, sizeof where, "bad.txt:%u: too many entries", XFAIL_MAX_ENTRIES + 1);
    expect_bad(text, o, where);
    free(text);
}

static void test_xfail_load(void **state)
{
    (void)state;
    char path[] = "/tmp/mtproof-xfail-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, good_file, strlen(good_file)), (ssize_t)strlen(good_file));
    close(fd);
    xfail_list l;
    char why[256];
    assert_int_equal(xfail_load(path, &l, why, sizeof why), MT_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.path, path);
    xfail_free(&l);
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "x\n", 2), 2);
    close(fd);
    assert_int_equal(xfail_load(path, &l, why, sizeof why), MT_E_bad_field);
    assert_non_null(strstr(why, ":1: an entry needs a reason"));
    unlink(path);
    assert_int_equal(xfail_load(path, &l, why, sizeof why), MT_E_io_error);
    assert_non_null(strstr(why, path));
}

static void test_escaping(void **state)
{
    (void)state;
    struct {
        const char *in;
        rp_esc mode;
        const char *out;
    } t[] = {
        {"a<b>&\"'", RP_XML_ATTR, "a&lt;b&gt;&amp;&quot;&#39;"},
        {"l1\nl2\tx\r", RP_XML_ATTR, "l1&#10;l2&#9;x\\x0d"},
        {"l1\nl2\tx", RP_XML, "l1\nl2\tx"},
        {"l1\nl2\tx\x1b", RP_TEXT_LINE, "l1\\x0al2\\x09x\\x1b"},
        {"l1\nl2", RP_TEXT_BLOCK, "l1\nl2"},
        {"\xc2\x85\xc2\xa0\xf0\x9f\x98\x80", RP_HTML, "\\u0085\xc2\xa0\xf0\x9f\x98\x80"},
        {"\xf4\x90\x80\x80\xf0\x8f\xbf\xbf\xe2\x82", RP_TEXT_LINE,
         "\\xf4\\x90\\x80\\x80\\xf0\\x8f\\xbf\\xbf\\xe2\\x82"},
        {"\xef\xbf\xbf\xef\xbf\xbd", RP_XML, "\\uFFFF\xef\xbf\xbd"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        rp_put(f, t[i].in, t[i].mode);
        fclose(f);
        if (strcmp(buf, t[i].out) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, buf, t[i].out);
        free(buf);
    }
    char *c = rp_utf8_clean("ok\x01\xff\xe2\x82\xac");
    assert_string_equal(c, "ok\x01\\xff\xe2\x82\xac");
    free(c);
    assert_null(rp_utf8_clean(NULL));
}

static void test_excerpt(void **state)
{
    (void)state;
    size_t skipped;
    const char *t = "a\nb\nc\n";
    assert_string_equal(rp_excerpt(t, 2, &skipped), "b\nc\n");
    assert_int_equal(skipped, 1);
    assert_string_equal(rp_excerpt(t, 5, &skipped), t);
    assert_int_equal(skipped, 0);
    assert_string_equal(rp_excerpt("a\nb", 1, &skipped), "b");
    assert_int_equal(skipped, 1);
    assert_string_equal(rp_excerpt(t, 0, &skipped), t);
    assert_string_equal(rp_excerpt("", 3, &skipped), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcomes),        cmocka_unit_test(test_deep_copy),
        cmocka_unit_test(test_counts_and_ok),   cmocka_unit_test(test_xfail_flow),
        cmocka_unit_test(test_xfail_malformed), cmocka_unit_test(test_xfail_load),
        cmocka_unit_test(test_escaping),        cmocka_unit_test(test_excerpt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
