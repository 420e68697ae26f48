/* The relay's persisted auth keys (relay_state.h). */
#include "reference-peers/relay_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ct.h"
#include "common/hex.h"

static void path_of(const char *dir, char *out, size_t cap)
{
    snprintf(out, cap, "%s/auth_keys", dir);
}

/* One line: "perm|temp EXPIRES HEX512". */
static bool parse_line(char *line, uint8_t key[MT_AUTH_KEY_LEN], bool *temp, int64_t *exp)
{
    char kind[8], hex[2 * MT_AUTH_KEY_LEN + 2];
    long long e = 0;
    if (sscanf(line, "%7s %lld %513s", kind, &e, hex) != 3)
        return false;
    if (strcmp(kind, "perm") != 0 && strcmp(kind, "temp") != 0)
        return false;
    *temp = kind[0] == 't';
    *exp = e;
    size_t got = 0;
    bool ok = strlen(hex) == 2 * MT_AUTH_KEY_LEN &&
              hex_decode(hex, 2 * MT_AUTH_KEY_LEN, key, MT_AUTH_KEY_LEN, &got) == 0 &&
              got == MT_AUTH_KEY_LEN;
    ct_wipe(hex, sizeof hex);
    return ok && (*temp ? e > 0 : e == 0);
}

long relay_state_load(const char *dir, relay *r, int64_t now_s)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "mtproof relay: --state %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char path[4096];
    path_of(dir, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT
                   ? 0
                   : (fprintf(stderr, "mtproof relay: %s: %s\n", path, strerror(errno)), -1);
    char line[640];
    long loaded = 0;
    unsigned no = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        uint8_t raw[MT_AUTH_KEY_LEN];
        bool temp = false;
        int64_t exp = 0;
        if (!parse_line(line, raw, &temp, &exp)) {
            fprintf(stderr, "mtproof relay: %s:%u: not a key line, skipped\n", path, no);
            continue;
        }
        mt_auth_key k;
        mt_auth_key_init(&k, raw);
        ct_wipe(raw, sizeof raw);
        if (!temp || exp > now_s) {
            if (relay_add_key(r, &k, temp, exp) == 0)
                loaded++;
        }
        mt_auth_key_wipe(&k);
    }
    ct_wipe(line, sizeof line);
    fclose(f);
    return loaded;
}

bool relay_state_save(const char *dir, const mt_auth_key *key, bool temp, int64_t expires_at)
{
    char path[4096];
    path_of(dir, path, sizeof path);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "mtproof relay: %s: %s\n", path, strerror(errno));
        return false;
    }
    char line[600];
    char hex[2 * MT_AUTH_KEY_LEN + 1];
    hex_encode(key->key, MT_AUTH_KEY_LEN, hex);
    int n = snprintf(line, sizeof line, "%s %lld %s\n", temp ? "temp" : "perm",
                     (long long)(temp ? expires_at : 0), hex);
    bool ok = n > 0 && write(fd, line, (size_t)n) == n && fsync(fd) == 0;
    if (!ok)
        fprintf(stderr, "mtproof relay: %s: %s\n", path, strerror(errno));
    ct_wipe(hex, sizeof hex);
    ct_wipe(line, sizeof line);
    close(fd);
    return ok;
}
