/*
 * Client faults for transcripts of server refusals: our client engine has no switch to break a
 * rule, so a generator flips one byte of one of its messages, and the replay flips the same byte
 * of what the engine produced before comparing (`param client fault NAME`). Offsets are those of
 * the unencrypted packet: 20 header bytes, then the TL body (mtproto-notes §1):
 *   req_DH_params:        id 4, nonce 16, server_nonce 16, p 8, q 8 (4-byte primes as TL
 *                         strings), public_key_fingerprint 8, encrypted_data (0xFE + 3 + 256);
 *   set_client_DH_params: id 4, nonce 16, server_nonce 16, encrypted_data (0xFE + 3 + n).
 */
#include <string.h>

#include "harness/replay_internal.h"

#define BODY 20 /* unencrypted header: auth_key_id, msg_id, length */

typedef struct client_fault {
    const char *name;
    unsigned msg_no; /* which of the client's messages, 1-based */
    size_t offset;   /* packet offset of the flipped byte */
} client_fault;

static const client_fault faults[] = {
    {"req_dh_nonce", 2, BODY + 4},            /* -> HSS nonce mismatch */
    {"req_dh_server_nonce", 2, BODY + 20},    /* -> server_nonce mismatch */
    {"req_dh_fingerprint", 2, BODY + 52},     /* -> unknown fingerprint */
    {"req_dh_encrypted", 2, BODY + 64 + 128}, /* -> RSA_PAD check fails */
    {"set_dh_server_nonce", 3, BODY + 20},    /* -> server_nonce mismatch */
    {"set_dh_encrypted", 3, BODY + 40 + 100}, /* -> client_DH_inner_data hash */
};

bool replay_client_fault_known(const char *name)
{
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
        if (strcmp(faults[i].name, name) == 0)
            return true;
    return false;
}

bool replay_client_fault(const char *name, unsigned msg_no, uint8_t *pkt, size_t len)
{
    for (size_t i = 0; name && i < sizeof faults / sizeof faults[0]; i++) {
        const client_fault *f = &faults[i];
        if (strcmp(f->name, name) == 0 && f->msg_no == msg_no && f->offset < len) {
            pkt[f->offset] ^= 0x01;
            return true;
        }
    }
    return false;
}
