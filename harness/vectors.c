/*
 * `mtproof vectors`, per file: every test becomes one shim request ({"hex","repeat"} fields
 * expanded), and the response is judged against the vector. valid: ok with every "out" field
 * equal; invalid: an error, and the named one when the vector names it; "unimplemented": skipped.
 */
#include "harness/vectors.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"

/* Room for a failure description with two abbreviated values. */
#define VEC_WHY_LEN 512
/* Characters of a value shown in a failure before it is cut. */
#define VEC_SHOW 72

/* A field value ready to send or compare: hex strings, numbers and other JSON values (e.g. the TL
 * objects of tl_encode) as they are, {"hex": H, "repeat": N} as H repeated N times. An object
 * with a "hex" or "repeat" member must be exactly that form. NULL (why set) when malformed or
 * too long. */
static json_t *expand_value(json_t *v, const char *name, char *why, size_t n)
{
    json_t *hex = json_object_get(v, "hex"), *rep = json_object_get(v, "repeat");
    if (!json_is_object(v) || (!hex && !rep))
        return json_incref(v);
    if (!json_is_string(hex) || !json_is_integer(rep) || json_object_size(v) != 2) {
        snprintf(why, n, "malformed test: field '%s' is an object but not {\"hex\", \"repeat\"}",
                 name);
        return NULL;
    }
    size_t unit = json_string_length(hex);
    json_int_t count = json_integer_value(rep);
    if (count < 0 || (unit && (uint64_t)count > SHIM_MAX_LINE / unit)) {
        snprintf(why, n, "malformed test: field '%s' repeats to over %zu characters", name,
                 (size_t)SHIM_MAX_LINE);
        return NULL;
    }
    size_t total = unit * (size_t)count;
    char *s = malloc(total + 1);
    if (!s) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < (size_t)count; i++)
        memcpy(s + i * unit, json_string_value(hex), unit);
    json_t *out = json_stringn(s, total);
    free(s);
    return out;
}

/* {"id": id, "op": op, ...the test's "in" fields, expanded}. */
static json_t *build_request(unsigned long id, const char *op, json_t *in, char *why, size_t n)
{
    json_t *req = json_object();
    if (!req || json_object_set_new(req, "id", json_integer((json_int_t)id)) ||
        json_object_set_new(req, "op", json_string(op))) {
        snprintf(why, n, "out of memory");
        json_decref(req);
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        json_t *x = expand_value(v, key, why, n);
        if (!x || json_object_set_new(req, key, x) != 0) {
            json_decref(req);
            return NULL;
        }
    }
    return req;
}

/* A value as compact JSON, cut to VEC_SHOW characters with the full length noted. */
static void show(json_t *v, char *out, size_t n)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    size_t len = s ? strlen(s) : 0;
    if (!s)
        snprintf(out, n, "(nothing)");
    else if (len <= VEC_SHOW)
        snprintf(out, n, "%s", s);
    else
        snprintf(out, n, "%.*s... (%zu chars)", VEC_SHOW, s, len);
    free(s);
}

/* Every field of the vector's "out" must be in the response with the same value. */
static int compare_outputs(json_t *want_out, json_t *resp, char *why, size_t n)
{
    if (!json_is_object(want_out)) {
        snprintf(why, n, "malformed test: a valid test needs an \"out\" object");
        return VEC_FAIL;
    }
    const char *key;
    json_t *w;
    json_object_foreach(want_out, key, w)
    {
        json_t *want = expand_value(w, key, why, n);
        json_t *got = json_object_get(resp, key);
        int same = want && got && json_equal(want, got);
        if (want && !same) {
            char a[VEC_SHOW + 40], b[VEC_SHOW + 40];
            show(want, a, sizeof a);
            show(got, b, sizeof b);
            snprintf(why, n, "field '%.40s': expected %s, got %s", key, a, b);
        }
        json_decref(want);
        if (!same)
            return VEC_FAIL;
    }
    return VEC_PASS;
}

/* Checks a test has an "in" object and a "result" of valid|invalid; *valid tells which. */
static int test_shape(json_t *test, int *valid, char *why, size_t n)
{
    const char *result = json_string_value(json_object_get(test, "result"));
    *valid = result && strcmp(result, "valid") == 0;
    if (!json_is_object(json_object_get(test, "in")) || !result ||
        (!*valid && strcmp(result, "invalid") != 0)) {
        snprintf(why, n, "malformed test: needs an \"in\" object and \"result\" valid|invalid");
        return 0;
    }
    return 1;
}

static int judge(unsigned long id, json_t *test, json_t *resp, char *why, size_t n)
{
    int valid;
    if (!test_shape(test, &valid, why, n))
        return VEC_FAIL;
    if (!json_is_object(resp)) {
        snprintf(why, n, "response is not a JSON object");
        return VEC_FAIL;
    }
    json_t *rid = json_object_get(resp, "id");
    if (!json_is_integer(rid) || json_integer_value(rid) != (json_int_t)id) {
        snprintf(why, n, "response id does not match the request's (%lu)", id);
        return VEC_FAIL;
    }
    json_t *ok = json_object_get(resp, "ok");
    const char *err = json_string_value(json_object_get(resp, "error"));
    const char *detail = json_string_value(json_object_get(resp, "detail"));
    if (!json_is_boolean(ok) || (json_is_false(ok) && !err)) {
        snprintf(why, n, "response needs a boolean \"ok\" and, when false, an \"error\" name");
        return VEC_FAIL;
    }
    if (json_is_false(ok) && strcmp(err, "unimplemented") == 0)
        return VEC_SKIP;
    if (valid && json_is_false(ok)) {
        snprintf(why, n, "expected ok, got error %.60s (%.200s)", err, detail ? detail : "");
        return VEC_FAIL;
    }
    if (valid)
        return compare_outputs(json_object_get(test, "out"), resp, why, n);
    const char *want = json_string_value(json_object_get(test, "error"));
    if (json_is_true(ok)) {
        snprintf(why, n, "expected error %s, got ok", want ? want : "(any)");
        return VEC_FAIL;
    }
    if (want && strcmp(want, err) != 0) {
        snprintf(why, n, "expected error %.60s, got %.60s (%.200s)", want, err,
                 detail ? detail : "");
        return VEC_FAIL;
    }
    return VEC_PASS;
}

static const char *shim_name(const vec_run *r)
{
    return r->shim_cmd ? r->shim_cmd : "mtproof shim";
}

static int ensure_shim(vec_run *r)
{
    char why[256];
    if (r->running)
        return 1;
    if (shim_client_start(&r->shim, r->shim_cmd, why, sizeof why) != 0) {
        fprintf(stderr, "mtproof vectors: %s\n", why);
        r->gave_up = true;
        return 0;
    }
    r->running = true;
    return 1;
}

/* The shim died or hung on a request: restart it for the next test, unless it never answered
 * at all (it cannot work) or keeps dying. */
static void shim_lost(vec_run *r, const char *why)
{
    r->running = false;
    if (r->answered == 0) {
        fprintf(stderr, "mtproof vectors: shim '%s' failed before answering any request: %s\n",
                shim_name(r), why);
        r->gave_up = true;
    } else if (++r->restarts > VEC_MAX_RESTARTS) {
        fprintf(stderr, "mtproof vectors: shim '%s' died %u times; stopping\n", shim_name(r),
                r->restarts);
        r->gave_up = true;
    } else {
        fprintf(stderr, "mtproof vectors: %s; restarting shim '%s'\n", why, shim_name(r));
    }
}

/* Sends one test and judges the answer. */
static int run_test(vec_run *r, const char *op, json_t *test, char *why, size_t n)
{
    int valid;
    if (!test_shape(test, &valid, why, n))
        return VEC_FAIL;
    json_t *in = json_object_get(test, "in");
    unsigned long id = ++r->next_id;
    json_t *req = build_request(id, op, in, why, n);
    char *line = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!line || !ensure_shim(r)) {
        if (line)
            snprintf(why, n, "no shim");
        free(line);
        return VEC_FAIL;
    }
    const char *resp;
    size_t len;
    int got = shim_client_call(&r->shim, line, strlen(line), r->timeout_ms, &resp, &len, why, n);
    free(line);
    if (got == SHIM_DEAD || got == SHIM_TIMEOUT)
        shim_lost(r, why);
    if (got != SHIM_REPLY)
        return VEC_FAIL;
    r->answered++;
    return vec_judge_line(id, test, resp, len, why, n);
}

int vec_judge_line(unsigned long id, json_t *test, const char *resp, size_t len, char *why,
                   size_t n)
{
    json_error_t e;
    json_t *parsed = json_loadb(resp, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
    if (!parsed) {
        snprintf(why, n, "response is not JSON: %s", e.text);
        return VEC_FAIL;
    }
    int verdict = judge(id, test, parsed, why, n);
    json_decref(parsed);
    return verdict;
}

/* Prints a failure (always) or a pass/skip (verbose). */
static void report(const vec_run *r, const char *label, const char *op, json_t *test, int verdict,
                   const char *why)
{
    static const char *const word[] = {"ok  ", "FAIL", "skip"};
    if (verdict != VEC_FAIL && !r->verbose)
        return;
    char id[VEC_SHOW + 40];
    show(json_object_get(test, "tcId"), id, sizeof id);
    const char *comment = json_string_value(json_object_get(test, "comment"));
    printf("%s %s tcId %s (%s, \"%.80s\")%s%s\n", word[verdict], label, id, op,
           comment ? comment : "", verdict == VEC_FAIL ? ": " : "", verdict == VEC_FAIL ? why : "");
}

static const char *check_header(json_t *f)
{
    const char *schema = json_string_value(json_object_get(f, "schema"));
    if (!schema || strcmp(schema, "mtproof-vectors-1") != 0)
        return "not an mtproof-vectors-1 file (\"schema\")";
    if (!json_is_string(json_object_get(f, "source")))
        return "no \"source\" (every vector file names where its values come from)";
    if (!json_is_array(json_object_get(f, "testGroups")))
        return "no \"testGroups\" array";
    return NULL;
}

int vec_run_file(vec_run *r, const char *path, const char *label)
{
    json_error_t e;
    json_t *f = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    const char *bad = f ? check_header(f) : e.text;
    if (bad) {
        fprintf(stderr, "mtproof vectors: %s: %s\n", label, bad);
        json_decref(f);
        return CLI_ERROR;
    }
    unsigned long count[3] = {0, 0, 0};
    size_t gi, ti;
    json_t *group, *test;
    json_array_foreach(json_object_get(f, "testGroups"), gi, group)
    {
        const char *op = json_string_value(json_object_get(group, "op"));
        json_array_foreach(json_object_get(group, "tests"), ti, test)
        {
            if (r->gave_up)
                break;
            char why[VEC_WHY_LEN] = "";
            int verdict = op ? run_test(r, op, test, why, sizeof why) : VEC_FAIL;
            if (!op)
                snprintf(why, sizeof why, "malformed group %zu: no \"op\"", gi);
            report(r, label, op ? op : "?", test, verdict, why);
            count[verdict]++;
        }
    }
    json_int_t declared = json_integer_value(json_object_get(f, "numberOfTests"));
    if (!r->gave_up && (unsigned long)declared != count[0] + count[1] + count[2])
        fprintf(stderr,
                "mtproof vectors: %s: warning: numberOfTests is %" JSON_INTEGER_FORMAT
                ", the file has %lu\n",
                label, declared, count[0] + count[1] + count[2]);
    json_decref(f);
    printf("%s: %lu passed, %lu failed, %lu skipped%s\n", label, count[VEC_PASS], count[VEC_FAIL],
           count[VEC_SKIP], r->gave_up ? " (stopped: the shim is unusable)" : "");
    fflush(stdout);
    r->passed += count[VEC_PASS];
    r->failed += count[VEC_FAIL];
    r->skipped += count[VEC_SKIP];
    return r->gave_up ? CLI_ERROR : count[VEC_FAIL] ? CLI_FAIL : CLI_OK;
}

void vec_run_end(vec_run *r)
{
    if (r->running)
        shim_client_stop(&r->shim);
    r->running = false;
}
