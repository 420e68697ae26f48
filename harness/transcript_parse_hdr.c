/* The transcript parser: the version line, header keywords and frame lines (docs/transcripts.md).
 */
#include <stdlib.h>
#include <string.h>

#include "harness/transcript.h"
#include "harness/transcript_parse.h"

#define KW(lit) (n == sizeof(lit) - 1 && memcmp(kw, lit, n) == 0)

int tp_version(tp_state *s, const char *kw, size_t n)
{
    const char *tok;
    size_t tn;
    uint64_t v = 0;
    if (!KW("mtproof-transcript"))
        return tp_fail(s, kw, MT_E_transcript_version, "expected 'mtproof-transcript %d' first",
                       TRANSCRIPT_VERSION);
    tp_token(s, &tok, &tn);
    int err = tp_uint(s, tok, tn, UINT32_MAX, &v);
    if (err)
        return err;
    if (v != TRANSCRIPT_VERSION)
        return tp_fail(s, tok, MT_E_transcript_version, "format version %llu (this is %d)",
                       (unsigned long long)v, TRANSCRIPT_VERSION);
    s->have_version = true;
    return tp_end(s);
}

/* A word token: [A-Za-z0-9_.:/+-]+ up to max bytes, copied. */
static int word(tp_state *s, size_t max, char **out, const char **at)
{
    const char *tok;
    size_t n;
    tp_token(s, &tok, &n);
    *at = tok;
    if (n == 0)
        return tp_fail(s, tok, MT_E_transcript_syntax, "expected a name");
    if (n > max)
        return tp_fail(s, tok, MT_E_transcript_syntax, "name longer than %zu bytes", max);
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/+-", tok[i]))
            return tp_fail(s, tok + i, MT_E_transcript_syntax, "'%c' cannot be part of a name",
                           tok[i]);
    *out = strndup(tok, n);
    return *out ? MT_OK : tp_fail(s, tok, MT_E_no_memory, "out of memory");
}

/* A keyword that may appear once: *slot must still be empty. */
static int once(tp_state *s, const char *kw, bool taken)
{
    return taken ? tp_fail(s, kw, MT_E_transcript_duplicate, "'%.*s' given twice",
                           (int)strcspn(kw, " \t"), kw)
                 : MT_OK;
}

/* random/param/expect SIDE NAME VALUE. kind_of: the name's declared kind, NULL for random (hex). */
static int value_line(tp_state *s, tr_list *l, int (*kind_of)(const char *))
{
    unsigned side;
    char *name = NULL;
    const char *at;
    int err = tp_side(s, &side);
    if (!err)
        err = word(s, TRANSCRIPT_MAX_NAME, &name, &at);
    if (err)
        return err;
    int kind = kind_of ? kind_of(name) : TR_HEX;
    if (kind < 0)
        err = tp_fail(s, at, MT_E_transcript_keyword, "unknown name '%s'", name);
    else if (kind_of && transcript_find(l, side, name))
        err = tp_fail(s, at, MT_E_transcript_duplicate, "'%s' given twice for the %s", name,
                      transcript_side_name(side));
    tr_value v = {.side = side, .name = name, .kind = (unsigned)kind, .line = s->line};
    const char *tok = s->p;
    size_t n = 0;
    if (!err && kind == TR_HEX)
        err = tp_hex(s, &v.hex, TRANSCRIPT_MAX_FRAME_LEN);
    else if (!err && kind == TR_INT && tp_token(s, &tok, &n))
        err = tp_int(s, tok, n, &v.num);
    else if (!err && kind == TR_INT)
        err = tp_fail(s, tok, MT_E_transcript_syntax, "expected a decimal number");
    else if (!err)
        err = word(s, TRANSCRIPT_MAX_TEXT, &v.word, &at);
    if (!err)
        err = tp_end(s);
    if (!err && kind == TR_HEX)
        err = transcript_add_hex(l, side, name, v.hex.p, v.hex.len);
    else if (!err && kind == TR_INT)
        err = transcript_add_int(l, side, name, v.num);
    else if (!err)
        err = transcript_add_word(l, side, name, v.word);
    if (err && !s->e->code)
        err = tp_fail(s, s->ls, err, "%s", mt_err_message(err));
    else if (!err)
        transcript_value(l, l->n - 1)->line = s->line;
    free(v.name);
    free(v.word);
    free(v.hex.p);
    return err;
}

/* rsa-key FINGERPRINT [FILE]: 16 hex digits of the int64 value. */
static int rsa_key_line(tp_state *s)
{
    const char *tok, *at;
    size_t n;
    uint64_t fp = 0;
    tp_token(s, &tok, &n);
    if (n != 16)
        return tp_fail(s, tok, MT_E_transcript_bad_hex,
                       "expected the fingerprint as 16 hex digits of its int64 value");
    for (size_t i = 0; i < n; i++) {
        const char *d = strchr("0123456789abcdef0123456789ABCDEF", tok[i]);
        if (!d || !tok[i])
            return tp_fail(s, tok + i, MT_E_transcript_bad_hex, "'%c' is not a hex digit", tok[i]);
        fp = fp << 4 | (uint64_t)((d - "0123456789abcdef0123456789ABCDEF") & 15);
    }
    char *file = NULL;
    int err = MT_OK;
    const char *save = s->p;
    if (tp_token(s, &tok, &n)) {
        s->p = save;
        err = word(s, TRANSCRIPT_MAX_TEXT, &file, &at);
    }
    if (!err)
        err = tp_end(s);
    if (!err && (err = transcript_add_rsa_key(s->t, fp, file)) != MT_OK)
        err = tp_fail(s, s->ls, err, "%s", mt_err_message(err));
    if (!err)
        ((tr_rsa_key *)s->t->rsa_keys.v)[s->t->rsa_keys.n - 1].line = s->line;
    free(file);
    return err;
}

/* seed / no-replay SIDE ...: once per side. */
static int side_line(tp_state *s, const char *kw, bool seed)
{
    unsigned side;
    int err = tp_side(s, &side);
    if (err)
        return err;
    mt_transcript *t = s->t;
    if ((err = once(s, kw, seed ? t->have_seed[side] : t->no_replay[side] != NULL)) != MT_OK)
        return err;
    if (!seed)
        return tp_text(s, &t->no_replay[side]);
    err = tp_hex(s, &t->seed[side], TRANSCRIPT_MAX_TEXT);
    t->have_seed[side] = !err;
    return err ? err : tp_end(s);
}

static int layer_line(tp_state *s, const char *kw)
{
    const char *tok;
    size_t n;
    int err = once(s, kw, s->have_layer);
    if (err)
        return err;
    tp_token(s, &tok, &n);
    if (n == 6 && memcmp(tok, "packet", 6) == 0)
        s->t->layer = TR_LAYER_PACKET;
    else if (n == 9 && memcmp(tok, "transport", 9) == 0)
        s->t->layer = TR_LAYER_TRANSPORT;
    else
        return tp_fail(s, tok, MT_E_transcript_syntax, "expected a layer: packet or transport");
    s->have_layer = true;
    return tp_end(s);
}

static int dh_g_line(tp_state *s, const char *kw)
{
    const char *tok;
    size_t n;
    int err = once(s, kw, s->t->dh_g != 0);
    if (!err && !tp_token(s, &tok, &n))
        err = tp_fail(s, tok, MT_E_transcript_syntax, "expected g");
    if (!err)
        err = tp_int(s, tok, n, &s->t->dh_g);
    if (!err && s->t->dh_g == 0)
        err = tp_fail(s, tok, MT_E_transcript_syntax, "g cannot be 0");
    return err ? err : tp_end(s);
}

int tp_header_line(tp_state *s, const char *kw, size_t n)
{
    mt_transcript *t = s->t;
    const char *at;
    tr_bytes b = {0};
    int err;
    if (t->frames.n &&
        (KW("records") || KW("layer") || KW("transport") || KW("source") || KW("note") ||
         KW("no-replay") || KW("seed") || KW("random") || KW("param") || KW("expect") ||
         KW("rsa-key") || KW("dh-prime") || KW("dh-g") || KW("auth-key")))
        return tp_fail(s, kw, MT_E_transcript_misplaced, "header line '%.*s' after the frames",
                       (int)n, kw);
    if (KW("records"))
        return (err = once(s, kw, t->records != NULL))                  ? err
               : (err = word(s, TRANSCRIPT_MAX_NAME, &t->records, &at)) ? err
                                                                        : tp_end(s);
    if (KW("layer"))
        return layer_line(s, kw);
    if (KW("transport"))
        return (err = once(s, kw, t->transport != NULL))                  ? err
               : (err = word(s, TRANSCRIPT_MAX_NAME, &t->transport, &at)) ? err
                                                                          : tp_end(s);
    if (KW("source") || KW("note")) {
        char *text = NULL;
        err = tp_text(s, &text);
        if (!err && (err = transcript_add_text(KW("note") ? &t->notes : &t->sources, text)))
            err = tp_fail(s, kw, err, "%s", mt_err_message(err));
        free(text);
        return err;
    }
    if (KW("no-replay") || KW("seed"))
        return side_line(s, kw, KW("seed"));
    if (KW("random"))
        return value_line(s, &t->randoms, NULL);
    if (KW("param"))
        return value_line(s, &t->params, transcript_param_kind);
    if (KW("expect"))
        return value_line(s, &t->expects, transcript_expect_kind);
    if (KW("rsa-key"))
        return rsa_key_line(s);
    if (KW("dh-prime"))
        return (err = once(s, kw, t->dh_prime.len != 0))              ? err
               : (err = tp_hex(s, &t->dh_prime, TRANSCRIPT_MAX_TEXT)) ? err
                                                                      : tp_end(s);
    if (KW("dh-g"))
        return dh_g_line(s, kw);
    if (KW("auth-key")) {
        err = tp_hex(s, &b, TRANSCRIPT_MAX_TEXT);
        if (!err && (err = transcript_add_key(t, b.p, b.len)) != MT_OK)
            err = tp_fail(s, kw, err, "%s", mt_err_message(err));
        free(b.p);
        return err;
    }
    return tp_fail(s, kw, MT_E_transcript_keyword, "unknown keyword '%.*s'", (int)(n > 32 ? 32 : n),
                   kw);
}
