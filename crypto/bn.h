/*
 * Fixed-capacity unsigned big integers: 64-bit limbs, no heap, flat structs (copy with bn_copy or
 * memcpy). Capacity is 8192 bits so that the product of two 4096-bit values is representable;
 * moduli (division by a modulus is fine at any size, Montgomery contexts) are at most 4096 bits.
 *
 * Representation: limb[0] is the least significant limb; `top` is the number of limbs in use,
 * normalised (limb[top-1] != 0, or top == 0 for zero). Limbs at index >= top are unspecified:
 * never read them. Normalising reveals the number of leading zero limbs of a result through
 * timing; no other information about a value leaks from the constant-time functions below.
 *
 * Timing classes (each function says which it is):
 *  - constant time: no branch and no memory index depends on the values, only on public sizes
 *    (the modulus size of a bn_mont, the exp_bits given by the caller, `top` of the inputs);
 *  - variable time: for public values only (sizes, public exponents, primality of public
 *    candidates, division in non-secret contexts).
 *
 * Errors (mt_err): MT_E_bad_argument (zero modulus or divisor, even modulus for Montgomery,
 * a negative result of bn_sub, an input that breaks a stated precondition), MT_E_limit_exceeded
 * (a value over capacity), MT_E_no_space (export to a width that is too small),
 * MT_E_not_invertible (modular inverse that does not exist), MT_E_rng_failure (from the RNG).
 * On error an output is left as zero (never partially written).
 *
 * Aliasing: unless a function says otherwise, the output may be the same object as any input.
 */
#ifndef MTPROOF_CRYPTO_BN_H
#define MTPROOF_CRYPTO_BN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"

#define BN_LIMB_BITS     64
#define BN_MAX_BITS      8192 /* capacity of a bn */
#define BN_LIMBS         (BN_MAX_BITS / BN_LIMB_BITS)
#define BN_MAX_BYTES     (BN_MAX_BITS / 8)
#define BN_MOD_MAX_BITS  4096 /* largest modulus of a bn_mont */
#define BN_MOD_LIMBS     (BN_MOD_MAX_BITS / BN_LIMB_BITS)
#define BN_MOD_MAX_BYTES (BN_MOD_MAX_BITS / 8)

typedef struct bn {
    uint64_t limb[BN_LIMBS]; /* little-endian limbs; only [0, top) are meaningful */
    size_t top;              /* limbs in use; 0 for zero */
} bn;

/* ---- set, copy, inspect (constant time unless noted) ---- */

void bn_zero(bn *a);
void bn_set_u64(bn *a, uint64_t v);
void bn_copy(bn *dst, const bn *src);
/* Overwrites the whole struct with zeros (for secrets). */
void bn_wipe(bn *a);

bool bn_is_zero(const bn *a);
bool bn_is_one(const bn *a);
bool bn_is_odd(const bn *a);
/* Bit i (0 = least significant); bits above the value are 0. */
bool bn_bit(const bn *a, size_t i);
/* Bit length: 0 for zero, else floor(log2 a) + 1. */
size_t bn_num_bits(const bn *a);
/* Minimal big-endian byte length: 0 for zero. */
size_t bn_num_bytes(const bn *a);
/* The low 64 bits; *fits (may be NULL) says whether the value is < 2^64. */
uint64_t bn_get_u64(const bn *a, bool *fits);

/* Compares a and b: -1, 0 or 1. Variable time (stops at the first differing limb). */
int bn_cmp(const bn *a, const bn *b);
int bn_cmp_u64(const bn *a, uint64_t v);

/* ---- import / export (big-endian bytes) ---- */

/* a = the big-endian value of in[0..len). Leading zero bytes are accepted at any length;
 * limit_exceeded when the value itself has more than BN_MAX_BITS bits. len 0 gives zero. */
MT_WUR int bn_from_bytes(bn *a, const uint8_t *in, size_t len);
/* Writes a as exactly len big-endian bytes, left-padded with zeros (a 2048-bit DH key is always
 * 256 bytes). no_space when the value needs more than len bytes (out is then zeroed). */
MT_WUR int bn_to_bytes(const bn *a, uint8_t *out, size_t len);

/* ---- arithmetic (variable time in `top` only, unless noted) ---- */

/* r = a + b; limit_exceeded when the sum exceeds the capacity. */
MT_WUR int bn_add(bn *r, const bn *a, const bn *b);
MT_WUR int bn_add_u64(bn *r, const bn *a, uint64_t v);
/* r = a - b; bad_argument when a < b. */
MT_WUR int bn_sub(bn *r, const bn *a, const bn *b);
MT_WUR int bn_sub_u64(bn *r, const bn *a, uint64_t v);
/* r = a << bits; limit_exceeded when the result exceeds the capacity. */
MT_WUR int bn_shl(bn *r, const bn *a, size_t bits);
/* r = a >> bits (any shift amount; large shifts give zero). */
void bn_shr(bn *r, const bn *a, size_t bits);
/* r = a * b (schoolbook with 128-bit products); limit_exceeded when the product has more
 * than BN_MAX_BITS bits (decided from the operands' sizes: a.top + b.top > BN_LIMBS and the
 * top limb of the product is nonzero). */
MT_WUR int bn_mul(bn *r, const bn *a, const bn *b);
MT_WUR int bn_mul_u64(bn *r, const bn *a, uint64_t v);
/* q = a / d, r = a mod d (Knuth D; variable time). q or r may be NULL. bad_argument when d is 0.
 * q and r must not be the same object. */
MT_WUR int bn_divmod(bn *q, bn *r, const bn *a, const bn *d);
/* r = a mod m; bad_argument when m is 0. Variable time. */
MT_WUR int bn_mod(bn *r, const bn *a, const bn *m);
/* *rem = a mod m for a one-limb m (trial division, residue rules); bad_argument when m is 0. */
MT_WUR int bn_mod_u64(const bn *a, uint64_t m, uint64_t *rem);

/* r = (a + b) mod m and r = (a - b) mod m for a, b < m (bad_argument otherwise, or for m = 0).
 * Constant time for values of the width of m. */
MT_WUR int bn_mod_add(bn *r, const bn *a, const bn *b, const bn *m);
MT_WUR int bn_mod_sub(bn *r, const bn *a, const bn *b, const bn *m);
/* r = a * b mod m (product then division; variable time); bad_argument when m is 0. */
MT_WUR int bn_mod_mul(bn *r, const bn *a, const bn *b, const bn *m);

/* r = gcd(a, b) (binary gcd; variable time); gcd(0, 0) = 0. */
MT_WUR int bn_gcd(bn *r, const bn *a, const bn *b);
/* r = a^-1 mod m, for any modulus m > 1, odd or even (extended Euclid; variable time: use it
 * for public values, or blind secret ones). bad_argument when m < 2; not_invertible when
 * gcd(a, m) != 1 (including a mod m = 0). The result is in [1, m). */
MT_WUR int bn_mod_inverse(bn *r, const bn *a, const bn *m);

/* ---- randomness (from the injected RNG only) ---- */

/* r uniform in [0, 2^bits); limit_exceeded when bits > BN_MAX_BITS. */
MT_WUR int bn_rand_bits(bn *r, size_t bits, mt_rng *rng);
/* r uniform in [0, bound) by rejection sampling on bn_num_bits(bound) bits (expected < 2 draws);
 * bad_argument when bound is 0. */
MT_WUR int bn_rand_below(bn *r, const bn *bound, mt_rng *rng);
/* r uniform in [lo, hi] (inclusive); bad_argument when lo > hi. */
MT_WUR int bn_rand_range(bn *r, const bn *lo, const bn *hi, mt_rng *rng);

/* ---- Montgomery arithmetic modulo an odd n (1 < n < 2^4096) ----
 * R = 2^(64 * nlimbs). The context holds n, n0 = -n^-1 mod 2^64, R mod n and R^2 mod n.
 * The Montgomery multiply is CIOS with 128-bit products and a masked final subtraction; on x86-64
 * CPUs with BMI2 + ADX (cpu_has(CPU_BMI2_ADX)) a MULX/ADCX/ADOX product then reduction is used
 * instead (same results, same constant-time properties; cpu_set_mask(0) forces the portable one).
 */
typedef struct bn_mont {
    uint64_t n[BN_MOD_LIMBS];
    uint64_t rr[BN_MOD_LIMBS];  /* R^2 mod n */
    uint64_t one[BN_MOD_LIMBS]; /* R mod n (1 in Montgomery form) */
    uint64_t n0;                /* -n^-1 mod 2^64 */
    size_t nlimbs;              /* limbs of n (public) */
    size_t bits;                /* bit length of n (public) */
} bn_mont;

/* Sets up ctx for modulus n: bad_argument when n is even or n < 3 (zero modulus included),
 * limit_exceeded when n has more than BN_MOD_MAX_BITS bits. Constant time in the value of n
 * for a given size (n may be a secret RSA prime). */
MT_WUR int bn_mont_init(bn_mont *ctx, const bn *n);
/* The modulus as a bn. */
void bn_mont_modulus(const bn_mont *ctx, bn *n);
void bn_mont_wipe(bn_mont *ctx);

/* r = a mod n for any a < 2^(128 * nlimbs) (a twice the width of n, e.g. an RSA ciphertext
 * reduced modulo a CRT prime); limit_exceeded when a is wider. Constant time. */
MT_WUR int bn_mont_reduce(const bn_mont *ctx, bn *r, const bn *a);
/* r = a * b mod n for a, b < n (bad_argument otherwise, checked in constant time). Constant time.
 */
MT_WUR int bn_mont_mul(const bn_mont *ctx, bn *r, const bn *a, const bn *b);
/* r = base^exp mod n with a constant-time fixed-window (4-bit) ladder for a SECRET exponent:
 * exactly ceil(exp_bits / 4) windows are processed, each table entry is read with a mask
 * (no secret-dependent branch or index). base may be any value < 2^(128 * nlimbs) (reduced in
 * constant time); exp must have at most exp_bits bits (bad_argument otherwise) and exp_bits
 * must be in [1, BN_MOD_MAX_BITS] (a public size, e.g. 2048 for a DH exponent).
 * exp = 0 gives 1 mod n. r must not alias exp. */
MT_WUR int bn_mod_exp_ct(const bn_mont *ctx, bn *r, const bn *base, const bn *exp, size_t exp_bits);
/* r1 = b1^e1 mod n1 and r2 = b2^e2 mod n2 (m1, m2 their contexts): two bn_mod_exp_ct with the same
 * public exponent size exp_bits, e.g. the two halves of an RSA CRT private operation. Same
 * arguments, limits and constant-time properties as bn_mod_exp_ct for each; on any error both
 * results are zero. When cpu_has(CPU_AVX512IFMA) and both moduli have exactly 1024 bits, the two
 * run together in radix 2^52 with AVX-512 IFMA (bn_ifma.c: fixed 5-bit window, every table entry
 * read under a mask); otherwise this is two bn_mod_exp_ct calls. Results are the same either way.
 * r1 and r2 must be distinct; each may alias any input. */
MT_WUR int bn_mod_exp_ct_x2(const bn_mont *m1, bn *r1, const bn *b1, const bn *e1,
                            const bn_mont *m2, bn *r2, const bn *b2, const bn *e2, size_t exp_bits);
/* r = base^exp mod n for a PUBLIC exponent (RSA e, Miller–Rabin witnesses, checks): sliding
 * window, variable time. Same limits on base; exp up to BN_MAX_BITS. */
MT_WUR int bn_mod_exp_vartime(const bn_mont *ctx, bn *r, const bn *base, const bn *exp);
/* r = a^-1 mod n for a PRIME n and 0 < a < n, as a^(n-2) with bn_mod_exp_ct (constant time; for
 * secret values such as an RSA q^-1 mod p). bad_argument when a is 0 or a >= n. */
MT_WUR int bn_mont_inverse_prime(const bn_mont *ctx, bn *r, const bn *a);

#endif
