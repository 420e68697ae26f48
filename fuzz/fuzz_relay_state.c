/*
 * Target: relay_state_parse_line (reference-peers/relay_state.c), one line of the relay's
 * --state file DIR/auth_keys.
 * Input: the bytes of one line (no NUL terminator).
 * Property: never overruns; an accepted line is "perm 0 HEX512" or "temp N HEX512" with N > 0,
 * and writing its values back in the saved form parses to the same key, kind and expiry.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "reference-peers/relay_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4 * RELAY_STATE_LINE_MAX)
        return 0;
    char *line = malloc(size ? size : 1); /* exact size: ASan sees any read past the end */
    if (!line)
        return 0;
    memcpy(line, data, size);
    uint8_t key[MT_AUTH_KEY_LEN], again[MT_AUTH_KEY_LEN];
    bool temp = false, temp2 = false;
    int64_t exp = -1, exp2 = -1;
    if (relay_state_parse_line(line, size, key, &temp, &exp)) {
        if (size > RELAY_STATE_LINE_MAX || (temp ? exp <= 0 : exp != 0))
            abort();
        char hex[2 * MT_AUTH_KEY_LEN + 1], out[RELAY_STATE_LINE_MAX + 1];
        hex_encode(key, sizeof key, hex);
        int n = snprintf(out, sizeof out, "%s %" PRId64 " %s\n", temp ? "temp" : "perm", exp, hex);
        if (n <= 0 || (size_t)n >= sizeof out ||
            !relay_state_parse_line(out, (size_t)n, again, &temp2, &exp2) || temp2 != temp ||
            exp2 != exp || memcmp(again, key, sizeof key) != 0)
            abort();
    }
    free(line);
    return 0;
}
