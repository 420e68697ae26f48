/* Replay: engine setup from a transcript header (keys, names, random values, seeds, params). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/replay_internal.h"

static int setup_fail(replay_report *r, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int setup_fail(replay_report *r, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    return err;
}

/* Reads a key file (at most 64 KiB) into a new NUL-terminated buffer. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc(65536) : NULL;
    *len = buf ? fread(buf, 1, 65535, f) : 0;
    if (f)
        fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

static int load_one(const tr_rsa_key *k, const char *dir, bool want_private, replay_keys *out,
                    replay_report *r)
{
    char path[4096];
    if (k->file[0] == '/')
        snprintf(path, sizeof path, "%s", k->file);
    else
        snprintf(path, sizeof path, "%s/%s", dir, k->file);
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return setup_fail(r, MT_E_io_error, "cannot read the key file %s", path);
    int err;
    mt_drbg d; /* Miller-Rabin bases for the private key's check: not the engine's DRBG */
    drbg_init(&d, (const uint8_t *)"replay key check", 16);
    rsa_public *pub = NULL;
    if (want_private) {
        rsa_private *p = calloc(1, sizeof *p);
        err = p ? rsa_private_load_pem(p, text, len, &d.rng, NULL, NULL) : MT_E_no_memory;
        out->priv[out->n] = p;
        pub = p ? &p->pub : NULL;
    } else {
        pub = calloc(1, sizeof *pub);
        err = pub ? rsa_public_load_pem(pub, text, len, NULL, NULL) : MT_E_no_memory;
        out->pub[out->n] = pub;
    }
    out->n++;
    free(text);
    drbg_wipe(&d);
    if (err)
        return setup_fail(r, err, "%s: %s", path, mt_err_message(err));
    if (rsa_fingerprint_u64(pub) != k->fingerprint)
        return setup_fail(r, MT_E_bad_argument, "%s holds the key %016llx, not %016llx", path,
                          (unsigned long long)rsa_fingerprint_u64(pub),
                          (unsigned long long)k->fingerprint);
    return MT_OK;
}

int replay_load_keys(const mt_transcript *t, const char *dir, bool want_private, replay_keys *k,
                     replay_report *r)
{
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < t->rsa_keys.n; i++) {
        const tr_rsa_key *key = (const tr_rsa_key *)t->rsa_keys.v + i;
        if (!key->file)
            continue;
        if (k->n == REPLAY_MAX_KEYS)
            return setup_fail(r, MT_E_limit_exceeded, "more than %d key files", REPLAY_MAX_KEYS);
        int err = load_one(key, dir, want_private, k, r);
        if (err)
            return err;
    }
    if (k->n == 0)
        return setup_fail(r, MT_E_bad_argument, "no 'rsa-key' line with a key file");
    return MT_OK;
}

void replay_keys_free(replay_keys *k)
{
    for (size_t i = 0; i < k->n; i++) {
        if (k->priv[i]) {
            rsa_private_wipe(k->priv[i]);
            free(k->priv[i]);
        }
        if (k->pub[i]) {
            rsa_public_wipe(k->pub[i]);
            free(k->pub[i]);
        }
    }
    memset(k, 0, sizeof *k);
}

static bool listed(const char *const *names, const char *name)
{
    for (; *names; names++)
        if (strcmp(*names, name) == 0)
            return true;
    return false;
}

int replay_check_names(const mt_transcript *t, unsigned side, const char *const *randoms,
                       const char *const *params, replay_report *r)
{
    const char *sn = transcript_side_name(side);
    if (t->no_replay[side])
        return setup_fail(r, MT_E_bad_argument, "the %s cannot be replayed: %s", sn,
                          t->no_replay[side]);
    for (size_t i = 0; i < t->randoms.n; i++) {
        const tr_value *v = transcript_value(&t->randoms, i);
        if (v->side == side && !listed(randoms, v->name))
            return setup_fail(r, MT_E_bad_argument, "line %u: the %s replay has no random '%s'",
                              v->line, sn, v->name);
    }
    for (size_t i = 0; i < t->params.n; i++) {
        const tr_value *v = transcript_value(&t->params, i);
        if (v->side == side && !listed(params, v->name))
            return setup_fail(r, MT_E_bad_argument, "line %u: the %s replay has no param '%s'",
                              v->line, sn, v->name);
    }
    return MT_OK;
}

/* The nth (0-based) random line of this side and name, or NULL. */
static const tr_value *find_nth(const tr_list *l, unsigned side, const char *name, unsigned nth)
{
    for (size_t i = 0; i < l->n; i++) {
        const tr_value *v = transcript_value(l, i);
        if (v->side == side && strcmp(v->name, name) == 0 && nth-- == 0)
            return v;
    }
    return NULL;
}

const uint8_t *replay_random(const mt_transcript *t, unsigned side, const char *name, size_t len,
                             size_t *got_len, int *err, replay_report *r)
{
    return replay_random_nth(t, side, name, 0, len, got_len, err, r);
}

const uint8_t *replay_random_nth(const mt_transcript *t, unsigned side, const char *name,
                                 unsigned nth, size_t len, size_t *got_len, int *err,
                                 replay_report *r)
{
    const tr_value *v = find_nth(&t->randoms, side, name, nth);
    if (got_len)
        *got_len = v ? v->hex.len : 0;
    if (!v)
        return NULL;
    if (len && v->hex.len != len) {
        *err = setup_fail(r, MT_E_bad_argument, "line %u: random %s %s has %zu bytes, not %zu",
                          v->line, transcript_side_name(side), name, v->hex.len, len);
        return NULL;
    }
    return v->hex.p;
}

void replay_drbg(const mt_transcript *t, unsigned side, mt_drbg *d)
{
    if (t->have_seed[side])
        drbg_init(d, t->seed[side].p, t->seed[side].len);
    else
        drbg_init(d, (const uint8_t *)REPLAY_DEFAULT_SEED, strlen(REPLAY_DEFAULT_SEED));
}

int64_t replay_param_int(const mt_transcript *t, unsigned side, const char *name, int64_t def)
{
    const tr_value *v = transcript_find(&t->params, side, name);
    return v ? v->num : def;
}

const char *replay_param_word(const mt_transcript *t, unsigned side, const char *name)
{
    const tr_value *v = transcript_find(&t->params, side, name);
    return v ? v->word : NULL;
}
