#include "testutil.h"

#include <fnmatch.h>
#include <ftw.h>

#include "common/hex.h"

tu_buf tu_alloc(size_t len)
{
    tu_buf b = {malloc(len ? len : 1), len};
    assert_non_null(b.p);
    memset(b.p, 0xA5, len ? len : 1);
    return b;
}

tu_buf tu_dup(const void *p, size_t len)
{
    tu_buf b = tu_alloc(len);
    if (len)
        memcpy(b.p, p, len);
    return b;
}

tu_buf tu_hex(const char *hex)
{
    size_t n = strlen(hex);
    tu_buf b = tu_alloc(n / 2);
    size_t got = 0;
    int err = hex_decode(hex, n, b.p, b.len, &got);
    if (err || got != b.len)
        fail_msg("bad hex in test data: %.60s", hex);
    return b;
}

void tu_free(tu_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = 0;
}

static void dump(const char *label, const uint8_t *p, size_t n)
{
    fprintf(stderr, "  %s (%zu bytes): ", label, n);
    for (size_t i = 0; i < n && i < 96; i++)
        fprintf(stderr, "%02x", p[i]);
    fprintf(stderr, n > 96 ? "...\n" : "\n");
}

void tu_assert_bytes(const char *what, const uint8_t *got, size_t got_len, const uint8_t *want,
                     size_t want_len)
{
    if (got_len == want_len && (want_len == 0 || memcmp(got, want, want_len) == 0))
        return;
    fprintf(stderr, "mismatch: %s\n", what);
    dump("got ", got, got_len);
    dump("want", want, want_len);
    fail_msg("%s: bytes differ", what);
}

json_t *tu_load_vectors(const char *rel)
{
    char path[4096];
    if (rel[0] == '/')
        snprintf(path, sizeof path, "%s", rel);
    else
        snprintf(path, sizeof path, "%s/vectors/%s", MTPROOF_SOURCE_DIR, rel);
    json_error_t e;
    json_t *f = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!f)
        fail_msg("%s:%d: %s", path, e.line, e.text);
    const char *schema = json_string_value(json_object_get(f, "schema"));
    if (!schema || strcmp(schema, "mtproof-vectors-1") != 0)
        fail_msg("%s: not an mtproof-vectors-1 file", path);
    if (!json_string_value(json_object_get(f, "source")))
        fail_msg("%s: no \"source\"", path);
    return f;
}

int tu_has(json_t *obj, const char *name)
{
    return json_object_get(obj, name) != NULL;
}

tu_buf tu_field(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    if (json_is_string(v))
        return tu_hex(json_string_value(v));
    if (json_is_object(v)) {
        tu_buf unit = tu_hex(json_string_value(json_object_get(v, "hex")));
        json_int_t rep = json_integer_value(json_object_get(v, "repeat"));
        assert_true(rep >= 0 && rep <= (1 << 26));
        tu_buf b = tu_alloc(unit.len * (size_t)rep);
        for (json_int_t i = 0; i < rep; i++)
            memcpy(b.p + (size_t)i * unit.len, unit.p, unit.len);
        tu_free(&unit);
        return b;
    }
    fail_msg("vector field \"%s\" missing or not hex", name);
    tu_buf none = {NULL, 0};
    return none;
}

long long tu_int(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    if (!json_is_integer(v))
        fail_msg("vector field \"%s\" missing or not an integer", name);
    return (long long)json_integer_value(v);
}

size_t tu_each_vector(json_t *file, const char *op, tu_vector_fn fn, void *arg)
{
    size_t count = 0, gi;
    json_t *group;
    json_array_foreach(json_object_get(file, "testGroups"), gi, group)
    {
        const char *gop = json_string_value(json_object_get(group, "op"));
        if (!gop || strcmp(gop, op) != 0)
            continue;
        size_t ti;
        json_t *test;
        json_array_foreach(json_object_get(group, "tests"), ti, test)
        {
            fn(group, test, arg);
            count++;
        }
    }
    return count;
}

static const char *walk_glob;
static char **walk_names;
static size_t walk_count;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (type == FTW_F && fnmatch(walk_glob, path + ftw->base, 0) == 0) {
        walk_names = realloc(walk_names, (walk_count + 1) * sizeof *walk_names);
        assert_non_null(walk_names);
        walk_names[walk_count++] = strdup(path);
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t tu_vector_files(const char *glob, char ***names_out)
{
    char root[4096];
    snprintf(root, sizeof root, "%s/vectors", MTPROOF_SOURCE_DIR);
    walk_glob = glob;
    walk_names = NULL;
    walk_count = 0;
    assert_int_equal(nftw(root, walk_one, 16, FTW_PHYS), 0);
    if (walk_count)
        qsort(walk_names, walk_count, sizeof *walk_names, cmp_str);
    *names_out = walk_names;
    return walk_count;
}

void tu_free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static uint64_t tu_state = 0x9E3779B97F4A7C15u;

void tu_rand_seed(uint64_t seed)
{
    tu_state = seed ? seed : 1;
}

uint64_t tu_rand_u64(void)
{
    /* xorshift64*: a test-only generator, never used by the product. */
    tu_state ^= tu_state >> 12;
    tu_state ^= tu_state << 25;
    tu_state ^= tu_state >> 27;
    return tu_state * 0x2545F4914F6CDD1Du;
}

size_t tu_rand_below(size_t n)
{
    return n ? (size_t)(tu_rand_u64() % n) : 0;
}

void tu_rand_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(tu_rand_u64() >> 56);
}
