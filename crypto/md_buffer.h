/*
 * Internal to crypto/: the Merkle–Damgård buffering that SHA-1 and SHA-256 share (FIPS 180-4
 * §5.1.1 padding with a 64-bit big-endian bit length, 64-byte blocks). Each hash supplies its
 * block function; whole blocks are compressed straight from the caller's buffer, never copied.
 */
#ifndef MTPROOF_CRYPTO_MD_BUFFER_H
#define MTPROOF_CRYPTO_MD_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#define MD_BLOCK_LEN 64

/* Compresses nblocks whole 64-byte blocks at p into the state h. */
typedef void (*md_blocks_fn)(uint32_t *h, const uint8_t *p, size_t nblocks);

/* The buffering state inside a hash context. */
typedef struct md_state {
    uint32_t *h;     /* the hash's chaining state */
    uint8_t *buf;    /* MD_BLOCK_LEN bytes: the partial block */
    size_t *buf_len; /* bytes held in buf, < MD_BLOCK_LEN */
    uint64_t *total; /* bytes absorbed */
    md_blocks_fn blocks;
} md_state;

/* Absorbs n bytes (data may be NULL when n is 0). */
void md_update(const md_state *s, const uint8_t *data, size_t n);
/* Appends the padding and the length and compresses the last block(s). */
void md_pad(const md_state *s);

#endif
