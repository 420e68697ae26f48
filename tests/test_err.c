/* Every error code has a distinct name and a message; names round-trip. */
#include "testutil.h"

#include <ctype.h>

#include "common/err.h"
#include "common/rules.h"

static void test_every_error_has_name_and_message(void **state)
{
    (void)state;
    for (int e = 0; e < MT_E__COUNT; e++) {
        const char *name = mt_err_name(e);
        const char *msg = mt_err_message(e);
        assert_non_null(name);
        assert_non_null(msg);
        assert_true(strlen(name) > 0);
        assert_true(strlen(msg) > 0);
        assert_string_not_equal(name, "unknown");
        assert_int_equal(mt_err_from_name(name), e);
        for (const char *c = name; *c; c++)
            assert_true(isalnum((unsigned char)*c) || *c == '_');
        for (int f = 0; f < e; f++)
            assert_string_not_equal(name, mt_err_name(f));
    }
}

static void test_rules_are_errors(void **state)
{
    (void)state;
    size_t n;
    const mt_rule *r = mt_rules(&n);
    assert_true(n > 0);
    assert_int_equal(MT_E__COUNT - MT_E__RULES_FIRST, (int)n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r[i].err, MT_E__RULES_FIRST + (int)i);
        assert_true(mt_err_is_rule(r[i].err));
        assert_ptr_equal(mt_rule_of(r[i].err), &r[i]);
        assert_string_equal(mt_err_name(r[i].err), r[i].id);
        assert_string_equal(mt_err_message(r[i].err), r[i].sentence);
        assert_true(strlen(r[i].source) > 0);
        assert_string_not_equal(mt_reaction_name(r[i].reaction), "?");
        assert_string_not_equal(mt_severity_name(r[i].severity), "?");
        for (const char *c = r[i].id; *c; c++)
            assert_true(isupper((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_');
        /* A transport-error reaction needs its (negative) code; a bad_msg one its 16..64 code. */
        if (r[i].reaction == RX_TRANSPORT_ERROR)
            assert_true(r[i].code < 0);
        if (r[i].reaction == RX_BAD_MSG)
            assert_true(r[i].code >= 16 && r[i].code <= 64);
    }
    assert_null(mt_rule_of(MT_E_bad_hex));
    assert_false(mt_err_is_rule(MT_OK));
}

static void test_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(mt_err_name(-1), "unknown");
    assert_string_equal(mt_err_name(MT_E__COUNT), "unknown");
    assert_string_equal(mt_err_message(MT_E__COUNT), "unknown error");
    assert_int_equal(mt_err_from_name("no_such_error"), -1);
    assert_int_equal(MT_OK, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_error_has_name_and_message),
        cmocka_unit_test(test_rules_are_errors),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
