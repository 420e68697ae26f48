/*
 * Target: mt_plain_unpack and mt_plain_pack (proto/message_plain.c).
 * Input: an unencrypted message (auth_key_id ‖ msg_id ‖ length ‖ body) of any bytes.
 * Property: never crashes; an accepted packet's body lies inside the input and re-packing the
 * view gives back exactly the input; a rejection is one of the PLAIN_* rules with the view zeroed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[MT_PLAIN_HEADER_LEN + 65536];
    mt_plain_view v;
    int err = mt_plain_unpack(data, size, &v);
    if (err) {
        if (v.body || v.msg_id ||
            (err != MT_E_PLAIN_TOO_SHORT && err != MT_E_PLAIN_AUTH_KEY_ID_NOT_ZERO &&
             err != MT_E_PLAIN_LENGTH_MISMATCH && err != MT_E_PLAIN_LENGTH_NOT_ALIGNED))
            abort();
        return 0;
    }
    if (v.body != data + MT_PLAIN_HEADER_LEN || v.body_len != size - MT_PLAIN_HEADER_LEN ||
        v.body_len % 4)
        abort();
    size_t len;
    if (mt_plain_pack(v.msg_id, v.body, v.body_len, again, sizeof again, &len) == MT_OK &&
        (len != size || memcmp(again, data, size) != 0))
        abort();
    return 0;
}
