/* The relay's persisted auth keys (relay_state.h). */
#include "reference-peers/relay_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ct.h"
#include "common/hex.h"

static void path_of(const char *dir, char *out, size_t cap)
{
    snprintf(out, cap, "%s/auth_keys", dir);
}

/* Strips one "\n" or "\r\n" from the end of [line, line+*len). */
static void strip_eol(const char *line, size_t *len)
{
    if (*len && line[*len - 1] == '\n')
        (*len)--;
    if (*len && line[*len - 1] == '\r')
        (*len)--;
}

/* Decimal digits only, no sign, no leading zero except "0" itself, no overflow of int64. */
static bool parse_decimal(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 19 || (n > 1 && s[0] == '0'))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

bool relay_state_parse_line(const char *line, size_t len, uint8_t key[MT_AUTH_KEY_LEN], bool *temp,
                            int64_t *expires_at)
{
    strip_eol(line, &len);
    const size_t hexlen = 2 * MT_AUTH_KEY_LEN;
    /* "perm " / "temp ", then the decimal, one space, then exactly the hex to the end. */
    if (len < 5 + 1 + 1 + hexlen || line[4] != ' ' || line[len - hexlen - 1] != ' ')
        return false;
    bool is_temp = memcmp(line, "temp", 4) == 0;
    if (!is_temp && memcmp(line, "perm", 4) != 0)
        return false;
    int64_t e = 0;
    if (!parse_decimal(line + 5, len - hexlen - 1 - 5, &e) || (is_temp ? e <= 0 : e != 0))
        return false;
    size_t got = 0;
    if (hex_decode(line + len - hexlen, hexlen, key, MT_AUTH_KEY_LEN, &got) != 0 ||
        got != MT_AUTH_KEY_LEN) {
        ct_wipe(key, MT_AUTH_KEY_LEN);
        return false;
    }
    *temp = is_temp;
    *expires_at = e;
    return true;
}

/* Reads one line of at most RELAY_STATE_LINE_MAX bytes into buf; a longer one is consumed to its
 * end and reported as malformed (*len = 0). Returns false at end of file. */
static bool read_line(FILE *f, char *buf, size_t cap, size_t *len)
{
    if (!fgets(buf, (int)cap, f))
        return false;
    *len = strlen(buf);
    if (*len && buf[*len - 1] != '\n' && !feof(f)) {
        int c;
        while ((c = fgetc(f)) != EOF && c != '\n') {
        }
        *len = 0;
    }
    return true;
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
    char line[RELAY_STATE_LINE_MAX + 2];
    size_t len = 0;
    long loaded = 0;
    unsigned no = 0;
    while (read_line(f, line, sizeof line, &len)) {
        no++;
        uint8_t raw[MT_AUTH_KEY_LEN];
        bool temp = false;
        int64_t exp = 0;
        if (!relay_state_parse_line(line, len, raw, &temp, &exp)) {
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
