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

static bool hex_field(const char *line, const char *name, uint8_t *out, size_t n)
{
    size_t nl = strlen(name), got = 0;
    if (strncmp(line, name, nl) != 0 || line[nl] != ' ')
        return false;
    const char *h = line + nl + 1;
    size_t hl = strcspn(h, "\r\n");
    return hl == 2 * n && hex_decode(h, hl, out, n, &got) == 0 && got == n;
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
    char l1[600] = "", l2[64] = "";
    uint8_t key[MT_AUTH_KEY_LEN];
    bool ok = fgets(l1, sizeof l1, f) && fgets(l2, sizeof l2, f) &&
              hex_field(l1, "key", key, sizeof key) &&
              hex_field(l2, "salt", out->server_salt, HS_SALT_LEN);
    fclose(f);
    ct_wipe(l1, sizeof l1);
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
