/* Helpers of the libuv programs (peer_util.h). */
#include "reference-peers/peer_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/ct.h"
#include "crypto/rng.h"
#include "harness/cli.h"
#include "harness/keyfile.h"

static uint64_t wall_now(const mt_clock *self)
{
    (void)self;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

const mt_clock *peer_wall_clock(void)
{
    static const mt_clock c = {wall_now};
    return &c;
}

/* ---- id map (Fibonacci hashing, linear probing, backward-shift deletion) ---- */

static size_t slot_of(const peer_idmap *m, uint32_t id)
{
    return (size_t)((id * 2654435769u) & (uint32_t)(m->cap - 1));
}

static int grow(peer_idmap *m)
{
    peer_idmap bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 64;
    bigger.ids = calloc(bigger.cap, sizeof *bigger.ids);
    bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
    if (!bigger.ids || !bigger.vals) {
        free(bigger.ids);
        free(bigger.vals);
        return MT_E_no_memory;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->ids[i])
            (void)peer_idmap_put(&bigger, m->ids[i], m->vals[i]);
    peer_idmap_free(m);
    *m = bigger;
    return 0;
}

int peer_idmap_put(peer_idmap *m, uint32_t id, void *v)
{
    if ((m->n + 1) * 2 > m->cap) {
        int err = grow(m);
        if (err)
            return err;
    }
    size_t i = slot_of(m, id);
    while (m->ids[i] && m->ids[i] != id)
        i = (i + 1) & (m->cap - 1);
    if (!m->ids[i])
        m->n++;
    m->ids[i] = id;
    m->vals[i] = v;
    return 0;
}

void *peer_idmap_get(const peer_idmap *m, uint32_t id)
{
    if (!m->cap || !id)
        return NULL;
    for (size_t i = slot_of(m, id); m->ids[i]; i = (i + 1) & (m->cap - 1))
        if (m->ids[i] == id)
            return m->vals[i];
    return NULL;
}

void peer_idmap_del(peer_idmap *m, uint32_t id)
{
    if (!m->cap || !id)
        return;
    size_t i = slot_of(m, id);
    while (m->ids[i] && m->ids[i] != id)
        i = (i + 1) & (m->cap - 1);
    if (!m->ids[i])
        return;
    m->ids[i] = 0;
    m->vals[i] = NULL;
    m->n--;
    /* Move later members of the probe run back so lookups never stop at the hole. */
    for (size_t j = (i + 1) & (m->cap - 1); m->ids[j]; j = (j + 1) & (m->cap - 1)) {
        size_t home = slot_of(m, m->ids[j]);
        bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (between)
            continue;
        m->ids[i] = m->ids[j];
        m->vals[i] = m->vals[j];
        m->ids[j] = 0;
        m->vals[j] = NULL;
        i = j;
    }
}

void peer_idmap_free(peer_idmap *m)
{
    free(m->ids);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

bool peer_split_addr(const char *s, char *host, size_t cap, int *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return false;
    const char *h = s;
    size_t hlen = (size_t)(colon - s);
    if (*h == '[') {
        if (hlen < 3 || h[hlen - 1] != ']')
            return false;
        h++;
        hlen -= 2;
    }
    if (hlen >= cap)
        return false;
    char *end = NULL;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (errno || !end || *end || end == colon + 1 || p < 0 || p > 65535)
        return false;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = (int)p;
    return true;
}

bool peer_load_public(const char *path, rsa_public *k, const char *cmd)
{
    static char pem[PEM_MAX_TEXT];
    size_t len = 0;
    if (keyfile_read(path, pem, sizeof pem, &len, cmd) != 0)
        return false;
    int err = rsa_public_load_pem(k, pem, len, NULL, NULL);
    ct_wipe(pem, sizeof pem);
    if (err) {
        cli_err(CLI_ERROR, cmd, "%s: not an RSA key: %s", path, mt_err_message(err));
        return false;
    }
    return true;
}

static bool create_private(const char *path, rsa_private *k, const char *cmd)
{
    static char pem[PEM_MAX_TEXT];
    size_t len = 0;
    int err = rsa_generate(k, RSA_KEYGEN_BITS, rng_os());
    if (!err)
        err = rsa_private_to_pem(k, RSA_FORM_PKCS1_PRIVATE, pem, sizeof pem, &len);
    if (err) {
        cli_err(CLI_ERROR, cmd, "key generation failed: %s", mt_err_message(err));
        return false;
    }
    int rc = keyfile_write_private(path, pem, len, false, cmd);
    ct_wipe(pem, sizeof pem);
    if (rc != 0)
        return false;
    fprintf(stderr, "mtproof %s: generated a new RSA-2048 key in %s\n", cmd, path);
    return true;
}

bool peer_load_or_create_private(const char *path, bool create, rsa_private *k, const char *cmd)
{
    struct stat st;
    if (create && stat(path, &st) != 0 && errno == ENOENT) {
        if (!create_private(path, k, cmd))
            return false;
    } else {
        static char pem[PEM_MAX_TEXT];
        size_t len = 0;
        if (keyfile_read(path, pem, sizeof pem, &len, cmd) != 0)
            return false;
        int err = rsa_private_load_pem(k, pem, len, rng_os(), NULL, NULL);
        ct_wipe(pem, sizeof pem);
        if (err) {
            cli_err(CLI_ERROR, cmd, "%s: not an RSA private key: %s", path, mt_err_message(err));
            return false;
        }
    }
    fprintf(stderr, "mtproof %s: RSA key %s, fingerprint 0x%016llx\n", cmd, path,
            (unsigned long long)rsa_fingerprint_u64(&k->pub));
    return true;
}

void peer_timestamp(char *out, size_t cap)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[32];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, cap, "%s.%03ldZ", day, ts.tv_nsec / 1000000);
}

int peer_mkdir(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0700) == 0)
        return 0;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return -1;
}
