#include "crypto/cpu.h"

#include <stddef.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static uint32_t cpu_mask = ~0u;
static uint32_t cpu_cache;
static int cpu_cached;

static uint32_t cpu_probe(void)
{
    uint32_t f = 0;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19), aes = c & (1u << 25);
    bool pclmul = c & (1u << 1);
    if (aes && sse41)
        f |= CPU_AESNI;
    if (pclmul)
        f |= CPU_PCLMUL;
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if ((b & (1u << 29)) && ssse3 && sse41)
            f |= CPU_SHANI;
        if (b & (1u << 5))
            f |= CPU_AVX2;
        if ((b & (1u << 8)) && (b & (1u << 19))) /* leaf 7 EBX: bit 8 BMI2, bit 19 ADX */
            f |= CPU_BMI2_ADX;
    }
#endif
    return f;
}

uint32_t cpu_detected(void)
{
    if (!cpu_cached) {
        cpu_cache = cpu_probe();
        cpu_cached = 1;
    }
    return cpu_cache;
}

uint32_t cpu_features(void)
{
    return cpu_detected() & cpu_mask;
}

uint32_t cpu_set_mask(uint32_t mask)
{
    uint32_t old = cpu_mask;
    cpu_mask = mask;
    return old;
}
