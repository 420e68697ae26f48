/* Internals of the transcript parser, shared by its files (not a public API). */
#ifndef MTPROOF_HARNESS_TRANSCRIPT_PARSE_H
#define MTPROOF_HARNESS_TRANSCRIPT_PARSE_H

#include "harness/transcript.h"

typedef struct tp_state {
    const char *text, *end; /* the whole input */
    const char *ls, *le;    /* the current line, without its newline */
    const char *p;          /* the next unread byte of the line */
    uint32_t line;
    mt_transcript *t;
    tr_error *e;
    bool have_version, have_layer;
    bool frame;         /* inside a frame (frames.n - 1 is open) */
    tr_bytes hex_frame; /* the open frame's bytes so far */
    size_t hex_cap;
} tp_state;

/* Records the first error at `at` (a byte of the current line) and returns its code. */
int tp_fail(tp_state *s, const char *at, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The next blank-separated token of the line; false at its end. */
bool tp_token(tp_state *s, const char **tok, size_t *n);
/* Fails unless the line is used up. */
MT_WUR int tp_end(tp_state *s);
/* The rest of the line, trimmed, as a new string (non-empty, at most TRANSCRIPT_MAX_TEXT). */
MT_WUR int tp_text(tp_state *s, char **out);
/* The rest of the line as hex tokens (each of an even number of digits), appended to b (capacity
 * *cap) / into a new b; at most max bytes in all. */
MT_WUR int tp_hex_append(tp_state *s, tr_bytes *b, size_t *cap, size_t max);
MT_WUR int tp_hex(tp_state *s, tr_bytes *b, size_t max);
/* Decimal numbers without sign or leading zeros, at most max / a signed int64. */
MT_WUR int tp_uint(tp_state *s, const char *tok, size_t n, uint64_t max, uint64_t *out);
MT_WUR int tp_int(tp_state *s, const char *tok, size_t n, int64_t *out);
/* The next token as a side: client or server. */
MT_WUR int tp_side(tp_state *s, unsigned *side);

/* The version line (the first line that is not blank or a comment). */
MT_WUR int tp_version(tp_state *s, const char *kw, size_t n);
/* A header keyword line (transcript_parse_hdr.c); unknown keywords fail here. */
MT_WUR int tp_header_line(tp_state *s, const char *kw, size_t n);
/* A frame keyword line (frame, hex, unreproducible); MT_E_transcript_keyword, with nothing
 * recorded, when kw is not one of them. */
MT_WUR int tp_frame_line(tp_state *s, const char *kw, size_t n);
/* Closes the open frame, if any (a frame needs at least one byte). */
MT_WUR int tp_frame_close(tp_state *s);

#endif
