/*
 * Target: client_state_parse (reference-peers/client_state.c), the client's --state file
 * DIR/client.key.
 * Input: the whole file (no NUL terminator).
 * Property: never overruns; an accepted file is at most CLIENT_STATE_FILE_MAX bytes, and the
 * saved form of its key and salt parses to the same values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "reference-peers/client_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4 * CLIENT_STATE_FILE_MAX)
        return 0;
    char *text = malloc(size ? size : 1); /* exact size: ASan sees any read past the end */
    if (!text)
        return 0;
    memcpy(text, data, size);
    uint8_t key[MT_AUTH_KEY_LEN], salt[HS_SALT_LEN], key2[MT_AUTH_KEY_LEN], salt2[HS_SALT_LEN];
    if (client_state_parse(text, size, key, salt)) {
        if (size > CLIENT_STATE_FILE_MAX)
            abort();
        char kh[2 * MT_AUTH_KEY_LEN + 1], sh[2 * HS_SALT_LEN + 1], out[CLIENT_STATE_FILE_MAX + 1];
        hex_encode(key, sizeof key, kh);
        hex_encode(salt, sizeof salt, sh);
        int n = snprintf(out, sizeof out, "key %s\nsalt %s\n", kh, sh);
        if (n <= 0 || (size_t)n >= sizeof out || !client_state_parse(out, (size_t)n, key2, salt2) ||
            memcmp(key, key2, sizeof key) != 0 || memcmp(salt, salt2, sizeof salt) != 0)
            abort();
    }
    free(text);
    return 0;
}
