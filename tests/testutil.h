/* Helpers shared by the tests: hex, exact-size heap buffers, vector files, random bytes. */
#ifndef MTPROOF_TESTS_TESTUTIL_H
#define MTPROOF_TESTS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

/* A heap buffer of exactly `len` bytes (ASan catches any overread); len 0 still gets a unique
 * pointer. Free with free(). */
typedef struct tu_buf {
    uint8_t *p;
    size_t len;
} tu_buf;

/* Decodes hex into an exact-size heap buffer; fails the test on bad hex. */
tu_buf tu_hex(const char *hex);
/* Copies bytes into an exact-size heap buffer. */
tu_buf tu_dup(const void *p, size_t len);
/* An exact-size heap buffer of len bytes, uninitialised contents set to 0xA5. */
tu_buf tu_alloc(size_t len);
void tu_free(tu_buf *b);
/* Fails the test with a hex dump of both when a and b differ. */
void tu_assert_bytes(const char *what, const uint8_t *got, size_t got_len, const uint8_t *want,
                     size_t want_len);

/* ---- vector files (the mtproof-vectors-1 format; see vectors/README.md) ---- */

/* Loads $SOURCE/vectors/<rel> (or an absolute path) and checks its header; fails the test when
 * unreadable. */
json_t *tu_load_vectors(const char *rel);
/* A field of a test's "in" or "out" object as an exact-size buffer. A field may be a hex string
 * or {"hex": H, "repeat": N}. Fails the test when missing. */
tu_buf tu_field(json_t *obj, const char *name);
/* Whether obj has `name`. */
int tu_has(json_t *obj, const char *name);
/* An integer field; fails the test when missing. */
long long tu_int(json_t *obj, const char *name);
/* Calls fn for every test of every group whose "op" equals op; returns how many it ran. */
typedef void (*tu_vector_fn)(json_t *group, json_t *test, void *arg);
size_t tu_each_vector(json_t *file, const char *op, tu_vector_fn fn, void *arg);
/* Lists every vectors/ file (recursively) whose name matches a glob, e.g. "*sha256*.json". */
size_t tu_vector_files(const char *glob, char ***names_out);
void tu_free_names(char **names, size_t n);

/* ---- randomness for property and differential tests: deterministic from a seed ---- */
void tu_rand_seed(uint64_t seed);
uint64_t tu_rand_u64(void);
/* Uniform in [0, n). */
size_t tu_rand_below(size_t n);
void tu_rand_bytes(uint8_t *p, size_t n);

#endif
