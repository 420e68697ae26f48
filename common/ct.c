#include "common/ct.h"

#include <string.h>

uint32_t ct_eq_mask(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= (uint32_t)(x[i] ^ y[i]);
    return ct_is_zero32(acc);
}

bool ct_eq(const void *a, const void *b, size_t n)
{
    return ct_eq_mask(a, b, n) != 0;
}

bool ct_is_zero(const void *p, size_t n)
{
    const volatile uint8_t *x = p;
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= x[i];
    return ct_is_zero32(acc) != 0;
}

void ct_copy_if(uint32_t mask, void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    uint8_t m = (uint8_t)mask;
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(d[i] ^ (m & (d[i] ^ s[i])));
}

void ct_wipe(void *p, size_t n)
{
    if (p == NULL || n == 0)
        return;
    memset(p, 0, n);
    /* The barrier tells the compiler the zeros are observed, so the memset stays. */
    __asm__ __volatile__("" : : "r"(p) : "memory");
}
