/* The client's persisted auth key (client_state.h). */
#include "reference-peers/client_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/ct.h"
#include "common/hex.h"
#include "reference-peers/peer_util.h"

/* One line "NAME HEX" with exactly 2n hex digits, then "\n", "\r\n" or (last line) nothing.
 * Returns the bytes consumed, 0 when malformed. */
static size_t hex_line(const char *t, size_t len, const char *name, uint8_t *out, size_t n)
{
    size_t nl = strlen(name), got = 0, need = nl + 1 + 2 * n;
    if (len < need || memcmp(t, name, nl) != 0 || t[nl] != ' ' ||
        hex_decode(t + nl + 1, 2 * n, out, n, &got) != 0 || got != n)
        return 0;
    size_t eol = need < len && t[need] == '\r' ? 1 : 0;
    if (need + eol < len && t[need + eol] == '\n')
        return need + eol + 1;
    return need == len ? need : 0;
}

bool client_state_parse(const char *text, size_t len, uint8_t key[MT_AUTH_KEY_LEN],
                        uint8_t salt[HS_SALT_LEN])
{
    size_t a = hex_line(text, len, "key", key, MT_AUTH_KEY_LEN);
    size_t b =
        a && text[a - 1] == '\n' ? hex_line(text + a, len - a, "salt", salt, HS_SALT_LEN) : 0;
    if (b && a + b == len)
        return true;
    ct_wipe(key, MT_AUTH_KEY_LEN);
    ct_wipe(salt, HS_SALT_LEN);
    return false;
}

int client_state_load(const char *dir, hs_result *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/client.key", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        fprintf(stderr, "mtproof client: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char text[CLIENT_STATE_FILE_MAX + 1];
    size_t n = fread(text, 1, sizeof text, f);
    uint8_t key[MT_AUTH_KEY_LEN];
    bool ok = !ferror(f) && n <= CLIENT_STATE_FILE_MAX &&
              client_state_parse(text, n, key, out->server_salt);
    fclose(f);
    ct_wipe(text, sizeof text);
    if (!ok) {
        ct_wipe(key, sizeof key);
        fprintf(stderr, "mtproof client: %s: not a saved key (delete it to start over)\n", path);
        return -1;
    }
    mt_auth_key_init(&out->key, key);
    ct_wipe(key, sizeof key);
    out->kind = HS_KEY_PERM;
    return 1;
}

bool client_state_save(const char *dir, const hs_result *k)
{
    if (peer_mkdir(dir) != 0) {
        fprintf(stderr, "mtproof client: --state %s: %s\n", dir, strerror(errno));
        return false;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/client.key", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "mtproof client: %s: %s\n", path, strerror(errno));
        return false;
    }
    char buf[700], kh[2 * MT_AUTH_KEY_LEN + 1], sh[2 * HS_SALT_LEN + 1];
    hex_encode(k->key.key, MT_AUTH_KEY_LEN, kh);
    hex_encode(k->server_salt, HS_SALT_LEN, sh);
    int n = snprintf(buf, sizeof buf, "key %s\nsalt %s\n", kh, sh);
    bool ok = n > 0 && write(fd, buf, (size_t)n) == n && fsync(fd) == 0;
    ct_wipe(buf, sizeof buf);
    ct_wipe(kh, sizeof kh);
    close(fd);
    if (!ok)
        fprintf(stderr, "mtproof client: %s: write failed\n", path);
    return ok;
}
