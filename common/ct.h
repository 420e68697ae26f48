/*
 * Constant-time helpers. Secrets are compared only with ct_eq; secrets are wiped with ct_wipe.
 * Masks are all-ones (true) or all-zeros (false) so validity bits combine without branches.
 */
#ifndef MTPROOF_COMMON_CT_H
#define MTPROOF_COMMON_CT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* All-ones when x == 0, else 0. */
static inline uint32_t ct_is_zero32(uint32_t x)
{
    return (uint32_t)0 - (uint32_t)(1 ^ ((x | (0u - x)) >> 31));
}
static inline uint64_t ct_is_zero64(uint64_t x)
{
    return (uint64_t)0 - (uint64_t)(1 ^ ((x | (0u - x)) >> 63));
}
/* All-ones when a == b, else 0. */
static inline uint32_t ct_eq32(uint32_t a, uint32_t b)
{
    return ct_is_zero32(a ^ b);
}
/* All-ones when a < b (unsigned), else 0. */
static inline uint32_t ct_lt32(uint32_t a, uint32_t b)
{
    return (uint32_t)0 - (uint32_t)((a ^ ((a ^ b) | ((a - b) ^ a))) >> 31);
}
static inline uint64_t ct_lt64(uint64_t a, uint64_t b)
{
    return (uint64_t)0 - ((a ^ ((a ^ b) | ((a - b) ^ a))) >> 63);
}
/* mask ? a : b, for an all-ones or all-zeros mask. */
static inline uint32_t ct_select32(uint32_t mask, uint32_t a, uint32_t b)
{
    return b ^ (mask & (a ^ b));
}
static inline uint64_t ct_select64(uint64_t mask, uint64_t a, uint64_t b)
{
    return b ^ (mask & (a ^ b));
}

/* All-ones when the n bytes at a and b are equal; time depends only on n. */
uint32_t ct_eq_mask(const void *a, const void *b, size_t n);

/* True when the n bytes at a and b are equal; time depends only on n. */
bool ct_eq(const void *a, const void *b, size_t n);

/* True when all n bytes are zero; time depends only on n. */
bool ct_is_zero(const void *p, size_t n);

/* Copies src to dst when mask is all-ones, leaves dst unchanged when mask is 0. */
void ct_copy_if(uint32_t mask, void *dst, const void *src, size_t n);

/* Overwrites n bytes with zeros in a way the compiler may not elide. */
void ct_wipe(void *p, size_t n);

#endif
