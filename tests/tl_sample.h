/* Random sample values for every constructor of a generated TL schema (tests and corpus seeds). */
#ifndef MTPROOF_TESTS_TL_SAMPLE_H
#define MTPROOF_TESTS_TL_SAMPLE_H

#include "proto/tl_obj.h"

/* Fills a struct of constructor c with random values (tu_rand_*): nested objects, vectors and
 * string bytes come from arena. Returns false when the arena is full. */
bool tl_sample_body(const tl_ctor *c, void *body, tl_arena *arena, unsigned depth);
/* A random boxed object of constructor c. */
bool tl_sample_obj(const tl_ctor *c, tl_obj *out, tl_arena *arena, unsigned depth);

#endif
