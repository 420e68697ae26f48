/*
 * Run-time CPU feature choice for the accelerated paths (SHA-NI, AES-NI, MULX/ADX and AVX-512
 * IFMA bignum).
 * Tests and users can mask features off to force the portable code (cpu_set_mask).
 */
#ifndef MTPROOF_CRYPTO_CPU_H
#define MTPROOF_CRYPTO_CPU_H

#include <stdbool.h>
#include <stdint.h>

enum {
    CPU_AESNI = 1u << 0, /* AES-NI + SSE4.1 */
    CPU_SHANI = 1u << 1, /* SHA extensions + SSE4.1 + SSSE3 */
    CPU_PCLMUL = 1u << 2,
    CPU_AVX2 = 1u << 3,
    CPU_BMI2_ADX = 1u << 4, /* MULX (BMI2) and ADCX/ADOX (ADX): both needed by the bignum path */
    /* AVX-512 F + VL + IFMA (52-bit multiply-add) with ZMM state enabled by the OS (XCR0): the
     * dual 1024-bit modexp of the RSA CRT (bn_ifma.c). */
    CPU_AVX512IFMA = 1u << 5,
};

/* Features this CPU has (CPUID), whatever the mask. */
uint32_t cpu_detected(void);

/* Features the crypto code may use: cpu_detected() & the mask. */
uint32_t cpu_features(void);

static inline bool cpu_has(uint32_t feature)
{
    return (cpu_features() & feature) == feature;
}

/* Limits the features used from now on (default: all). cpu_set_mask(0) forces the portable
 * paths everywhere. Returns the previous mask. Not thread-safe; set it before starting work. */
uint32_t cpu_set_mask(uint32_t mask);

#endif
