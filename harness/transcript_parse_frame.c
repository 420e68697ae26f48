/* The transcript parser: frame lines (`frame N DIR TIME`, `hex`, `unreproducible`). */
#include <stdlib.h>
#include <string.h>

#include "harness/transcript.h"
#include "harness/transcript_parse.h"

#define KW(lit) (n == sizeof(lit) - 1 && memcmp(kw, lit, n) == 0)

/* The largest whole-second value whose nanoseconds fit a uint64. */
#define MAX_SECONDS (UINT64_MAX / 1000000000u - 1)

/* TIME: seconds, optionally '.' and 1..9 digits of fraction. */
static int parse_time(tp_state *s, const char *tok, size_t n, uint64_t *ns)
{
    const char *dot = memchr(tok, '.', n);
    size_t whole = dot ? (size_t)(dot - tok) : n;
    uint64_t sec = 0, frac = 0;
    int err = tp_uint(s, tok, whole, MAX_SECONDS, &sec);
    if (err || !dot)
        goto out;
    size_t fn = n - whole - 1;
    if (fn == 0 || fn > 9)
        return tp_fail(s, dot, MT_E_transcript_syntax,
                       "expected 1 to 9 digits of fraction after '.'");
    for (size_t i = 0; i < 9; i++) {
        char c = i < fn ? dot[1 + i] : '0';
        if (c < '0' || c > '9')
            return tp_fail(s, dot + 1 + i, MT_E_transcript_syntax, "'%c' is not a decimal digit",
                           c);
        frac = frac * 10 + (uint64_t)(c - '0');
    }
out:
    *ns = sec * 1000000000u + frac;
    return err;
}

int tp_frame_close(tp_state *s)
{
    if (!s->frame)
        return MT_OK;
    tr_frame *f = transcript_frame(s->t, s->t->frames.n - 1);
    s->frame = false;
    if (s->hex_frame.len == 0) {
        /* Reported at the frame's own line. */
        s->line = f->line;
        s->ls = s->p = s->le;
        s->e->code = MT_E_transcript_missing;
        s->e->line = f->line;
        s->e->col = 1;
        snprintf(s->e->msg, sizeof s->e->msg, "frame %zu has no 'hex' line", s->t->frames.n);
        return s->e->code;
    }
    f->bytes = s->hex_frame;
    s->hex_frame.p = NULL;
    s->hex_frame.len = 0;
    s->hex_cap = 0;
    return MT_OK;
}

/* frame N DIR TIME */
static int frame_start(tp_state *s)
{
    const char *tok;
    size_t n;
    uint64_t num = 0, ns = 0;
    unsigned dir;
    int err = tp_frame_close(s);
    if (err)
        return err;
    tp_token(s, &tok, &n);
    if ((err = tp_uint(s, tok, n, UINT32_MAX, &num)) != MT_OK)
        return err;
    if (num != s->t->frames.n + 1)
        return tp_fail(s, tok, MT_E_transcript_frame_order, "frame %llu where %zu was expected",
                       (unsigned long long)num, s->t->frames.n + 1);
    tp_token(s, &tok, &n);
    if (n == 3 && memcmp(tok, "c2s", 3) == 0)
        dir = TR_C2S;
    else if (n == 3 && memcmp(tok, "s2c", 3) == 0)
        dir = TR_S2C;
    else
        return tp_fail(s, tok, MT_E_transcript_syntax, "expected a direction: c2s or s2c");
    if (!tp_token(s, &tok, &n))
        return tp_fail(s, tok, MT_E_transcript_syntax, "expected the frame's time (seconds)");
    if ((err = parse_time(s, tok, n, &ns)) != MT_OK)
        return err;
    size_t k = s->t->frames.n;
    if (k && ns < transcript_frame(s->t, k - 1)->time_ns)
        return tp_fail(s, tok, MT_E_transcript_frame_order,
                       "time goes back: earlier than frame %zu's", k);
    if ((err = tp_end(s)) != MT_OK)
        return err;
    if ((err = transcript_add_frame(s->t, dir, ns, NULL, 0)) != MT_OK)
        return tp_fail(s, s->ls, err, "%s", mt_err_message(err));
    transcript_frame(s->t, k)->line = s->line;
    s->frame = true;
    return MT_OK;
}

int tp_frame_line(tp_state *s, const char *kw, size_t n)
{
    if (KW("frame"))
        return frame_start(s);
    if (!KW("hex") && !KW("unreproducible"))
        return MT_E_transcript_keyword;
    if (!s->frame)
        return tp_fail(s, kw, MT_E_transcript_misplaced, "'%.*s' outside a frame", (int)n, kw);
    if (KW("hex"))
        return tp_hex_append(s, &s->hex_frame, &s->hex_cap, TRANSCRIPT_MAX_FRAME_LEN);
    tr_frame *f = transcript_frame(s->t, s->t->frames.n - 1);
    if (f->unreproducible)
        return tp_fail(s, kw, MT_E_transcript_duplicate, "'unreproducible' given twice");
    return tp_text(s, &f->unreproducible);
}
