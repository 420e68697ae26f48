#include "crypto/cpu.h"

#include <stddef.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static uint32_t cpu_mask = ~0u;
static uint32_t cpu_cache;
static int cpu_cached;

#if defined(__x86_64__) || defined(__i386__)
/* Whether the OS saves the AVX-512 register state: CPUID.1:ECX bit 27 (OSXSAVE) says XGETBV is
 * usable; XCR0 must then have bits 1 (SSE), 2 (AVX), 5 (opmask), 6 (ZMM0-15 upper halves) and
 * 7 (ZMM16-31) set (Intel SDM vol. 1, 15.2 "Detection of AVX-512 support"). */
static bool os_saves_zmm(unsigned leaf1_ecx)
{
    if (!(leaf1_ecx & (1u << 27)))
        return false;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    const unsigned need = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    return (lo & need) == need;
}
#endif

static uint32_t cpu_probe(void)
{
    uint32_t f = 0;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19), aes = c & (1u << 25);
    bool pclmul = c & (1u << 1);
    unsigned c1 = c;
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
        /* leaf 7 EBX: bit 16 AVX512F, bit 21 AVX512IFMA, bit 31 AVX512VL */
        const unsigned ifma = (1u << 16) | (1u << 21) | (1u << 31);
        if ((b & ifma) == ifma && os_saves_zmm(c1))
            f |= CPU_AVX512IFMA;
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
