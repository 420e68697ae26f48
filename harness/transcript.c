/* Transcripts: the in-memory model, its builders and its comparison (harness/transcript.h). */
#include "harness/transcript.h"

#include <stdlib.h>
#include <string.h>

/* Names of `param` and `expect` lines and the form of their values (docs/transcripts.md). A
 * new engine parameter or result is one row here. */
typedef struct name_kind {
    const char *name;
    int kind;
} name_kind;

static const name_kind param_names[] = {
    {"dc", TR_INT},         /* the DC id the client asks for (p_q_inner_data_dc) */
    {"key-type", TR_WORD},  /* perm or temp */
    {"expires-in", TR_INT}, /* seconds, temporary keys */
    {"strict", TR_INT},     /* 1: the server refuses the deprecated forms */
    {"fault", TR_WORD},     /* the fault a generator injected into this side's messages */
    {"resend", TR_INT},     /* 1-based number of a client message sent twice */
    {"collide", TR_INT},    /* the server pretends auth_key_hash collides this many times */
};

static const name_kind expect_names[] = {
    {"result", TR_WORD},          /* ok, or the rule ID / error name the side stops with */
    {"auth-key", TR_HEX},         /* 256 bytes */
    {"auth-key-id", TR_HEX},      /* 8 wire bytes */
    {"server-salt", TR_HEX},      /* 8 wire bytes */
    {"retries", TR_INT},          /* dh_gen_retry answers seen / sent */
    {"perm-auth-key-id", TR_HEX}, /* records temp-bind: the permanent key's id (wire bytes) */
    {"bind", TR_WORD}, /* records temp-bind: the client's mt_bind_action, the server's rule or ok */
};

static int find_kind(const name_kind *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return t[i].kind;
    return -1;
}

int transcript_param_kind(const char *name)
{
    return find_kind(param_names, sizeof param_names / sizeof param_names[0], name);
}

int transcript_expect_kind(const char *name)
{
    return find_kind(expect_names, sizeof expect_names / sizeof expect_names[0], name);
}

const char *transcript_side_name(unsigned side)
{
    return side == TR_SERVER ? "server" : "client";
}

const char *transcript_dir_name(unsigned dir)
{
    return dir == TR_S2C ? "s2c" : "c2s";
}

void transcript_init(mt_transcript *t)
{
    memset(t, 0, sizeof *t);
    t->version = TRANSCRIPT_VERSION;
}

static void free_value(tr_value *v)
{
    free(v->name);
    free(v->word);
    free(v->hex.p);
}

static void free_values(tr_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free_value(transcript_value(l, i));
    free(l->v);
}

static void free_texts(tr_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(((char **)l->v)[i]);
    free(l->v);
}

void transcript_free(mt_transcript *t)
{
    free(t->records);
    free(t->transport);
    free_texts(&t->sources);
    free_texts(&t->notes);
    for (unsigned s = 0; s < 2; s++) {
        free(t->no_replay[s]);
        free(t->seed[s].p);
    }
    free_values(&t->randoms);
    free_values(&t->params);
    free_values(&t->expects);
    for (size_t i = 0; i < t->rsa_keys.n; i++)
        free(((tr_rsa_key *)t->rsa_keys.v)[i].file);
    free(t->rsa_keys.v);
    free(t->dh_prime.p);
    for (size_t i = 0; i < t->auth_keys.n; i++)
        free(((tr_bytes *)t->auth_keys.v)[i].p);
    free(t->auth_keys.v);
    for (size_t i = 0; i < t->frames.n; i++) {
        free(transcript_frame(t, i)->bytes.p);
        free(transcript_frame(t, i)->unreproducible);
    }
    free(t->frames.v);
    transcript_init(t);
}

/* A zeroed new element at the end of l, or NULL (no_memory / over the limit in *err). */
static void *list_push(tr_list *l, size_t elem, size_t max, int *err)
{
    if (l->n >= max) {
        *err = MT_E_limit_exceeded;
        return NULL;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        void *v = realloc(l->v, cap * elem);
        if (!v) {
            *err = MT_E_no_memory;
            return NULL;
        }
        l->v = v;
        l->cap = cap;
    }
    void *e = (uint8_t *)l->v + l->n * elem;
    memset(e, 0, elem);
    l->n++;
    *err = MT_OK;
    return e;
}

/* Free text holds printable bytes (and UTF-8), no control characters, no edge spaces. */
static bool text_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || s[0] == ' ' || s[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

/* A word or name: [A-Za-z0-9_.:/+-], no spaces. */
static bool word_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/+-", s[i]))
            return false;
    return true;
}

static int dup_bytes(tr_bytes *b, const uint8_t *p, size_t len)
{
    b->p = NULL;
    b->len = 0;
    if (len == 0)
        return MT_OK;
    b->p = malloc(len);
    if (!b->p)
        return MT_E_no_memory;
    memcpy(b->p, p, len);
    b->len = len;
    return MT_OK;
}

int transcript_set_word(char **slot, const char *word)
{
    if (!text_ok(word, TRANSCRIPT_MAX_TEXT))
        return MT_E_bad_argument;
    char *c = strdup(word);
    if (!c)
        return MT_E_no_memory;
    free(*slot);
    *slot = c;
    return MT_OK;
}

int transcript_add_text(tr_list *list, const char *text)
{
    if (!text_ok(text, TRANSCRIPT_MAX_TEXT))
        return MT_E_bad_argument;
    int err;
    char **slot = list_push(list, sizeof(char *), TRANSCRIPT_MAX_ENTRIES, &err);
    if (!slot)
        return err;
    *slot = strdup(text);
    if (*slot)
        return MT_OK;
    list->n--;
    return MT_E_no_memory;
}

int transcript_add_frame(mt_transcript *t, unsigned dir, uint64_t time_ns, const uint8_t *p,
                         size_t len)
{
    if (dir > TR_S2C || len > TRANSCRIPT_MAX_FRAME_LEN)
        return MT_E_bad_argument;
    int err;
    tr_frame *f = list_push(&t->frames, sizeof *f, TRANSCRIPT_MAX_FRAMES, &err);
    if (!f)
        return err;
    f->dir = dir;
    f->time_ns = time_ns;
    err = dup_bytes(&f->bytes, p, len);
    if (err)
        t->frames.n--;
    return err;
}

/* A new value line; the caller fills the value. */
static tr_value *add_value(tr_list *l, unsigned side, const char *name, int *err)
{
    if (side > TR_SERVER || !word_ok(name, TRANSCRIPT_MAX_NAME)) {
        *err = MT_E_bad_argument;
        return NULL;
    }
    tr_value *v = list_push(l, sizeof *v, TRANSCRIPT_MAX_ENTRIES, err);
    if (!v)
        return NULL;
    v->side = side;
    v->name = strdup(name);
    if (!v->name) {
        l->n--;
        *err = MT_E_no_memory;
        return NULL;
    }
    return v;
}

int transcript_add_hex(tr_list *list, unsigned side, const char *name, const uint8_t *p, size_t len)
{
    int err;
    if (len == 0)
        return MT_E_bad_argument; /* the format has no empty hex value */
    tr_value *v = add_value(list, side, name, &err);
    if (!v)
        return err;
    v->kind = TR_HEX;
    err = dup_bytes(&v->hex, p, len);
    if (err) {
        free_value(v);
        list->n--;
    }
    return err;
}

int transcript_add_int(tr_list *list, unsigned side, const char *name, int64_t num)
{
    int err;
    tr_value *v = add_value(list, side, name, &err);
    if (!v)
        return err;
    v->kind = TR_INT;
    v->num = num;
    return MT_OK;
}

int transcript_add_word(tr_list *list, unsigned side, const char *name, const char *w)
{
    int err;
    if (!word_ok(w, TRANSCRIPT_MAX_TEXT))
        return MT_E_bad_argument;
    tr_value *v = add_value(list, side, name, &err);
    if (!v)
        return err;
    v->kind = TR_WORD;
    v->word = strdup(w);
    if (!v->word) {
        free_value(v);
        list->n--;
        return MT_E_no_memory;
    }
    return MT_OK;
}

int transcript_add_rsa_key(mt_transcript *t, uint64_t fingerprint, const char *file)
{
    int err;
    if (file && !word_ok(file, TRANSCRIPT_MAX_TEXT))
        return MT_E_bad_argument;
    tr_rsa_key *k = list_push(&t->rsa_keys, sizeof *k, TRANSCRIPT_MAX_ENTRIES, &err);
    if (!k)
        return err;
    k->fingerprint = fingerprint;
    if (file && !(k->file = strdup(file))) {
        t->rsa_keys.n--;
        return MT_E_no_memory;
    }
    return MT_OK;
}

int transcript_add_key(mt_transcript *t, const uint8_t *p, size_t len)
{
    int err;
    if (len == 0)
        return MT_E_bad_argument;
    tr_bytes *b = list_push(&t->auth_keys, sizeof *b, TRANSCRIPT_MAX_ENTRIES, &err);
    if (!b)
        return err;
    err = dup_bytes(b, p, len);
    if (err)
        t->auth_keys.n--;
    return err;
}

const tr_value *transcript_find(const tr_list *l, unsigned side, const char *name)
{
    for (size_t i = 0; i < l->n; i++) {
        const tr_value *v = transcript_value(l, i);
        if (v->side == side && strcmp(v->name, name) == 0)
            return v;
    }
    return NULL;
}
