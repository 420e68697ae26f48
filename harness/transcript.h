/*
 * Transcripts: a line-oriented text record of one exchange (docs/transcripts.md).
 *
 * A transcript holds a header (format version, what it records, the layer of its frames, where
 * it comes from, the DRBG seeds and explicit random values each side used, engine parameters,
 * RSA keys, the DH group, keys for decryption, and the results each side must reach) and one
 * entry per frame (direction, virtual time, raw bytes, an optional reason why the bytes cannot
 * be reproduced). The handshake replay (harness/replay.h), `mtproof replay`, the golden
 * transcripts under vectors/transcripts/ and, later, the conformance harness and the reference
 * peers' `--record DIR` all read and write it through this one parser and writer.
 *
 * The parser is strict: every line starts with a known keyword, values have their declared form,
 * frames are numbered 1, 2, ... and their times never decrease; the first fault is reported with
 * its line and column. Parsed values are owned by the transcript (freed by transcript_free);
 * sizes are bounded by the named limits below, never by a length the text declares.
 */
#ifndef MTPROOF_HARNESS_TRANSCRIPT_H
#define MTPROOF_HARNESS_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"

#define TRANSCRIPT_VERSION 1
/* The largest transcript text the parser reads. */
#define TRANSCRIPT_MAX_INPUT ((size_t)64 << 20)
/* Frames, and bytes in one frame. */
#define TRANSCRIPT_MAX_FRAMES    65536u
#define TRANSCRIPT_MAX_FRAME_LEN ((size_t)16 << 20)
/* Header entries of each list (sources, notes, randoms, params, expects, keys). */
#define TRANSCRIPT_MAX_ENTRIES 4096u
/* Longest NAME of random/param/expect lines, and longest free text (source, note, reasons). */
#define TRANSCRIPT_MAX_NAME 48u
#define TRANSCRIPT_MAX_TEXT 1024u
/* Hex digits per `hex` line the writer emits (32 bytes). */
#define TRANSCRIPT_HEX_PER_LINE 64u

enum tr_side { TR_CLIENT = 0, TR_SERVER = 1 };
enum tr_dir { TR_C2S = 0, TR_S2C = 1 };
enum tr_layer { TR_LAYER_PACKET = 0, TR_LAYER_TRANSPORT = 1 };

typedef struct tr_bytes {
    uint8_t *p; /* owned; NULL when len is 0 */
    size_t len;
} tr_bytes;

/* One `random`, `param` or `expect` line: SIDE NAME VALUE. A random value is hex; a param or
 * expect value is hex, a decimal integer or a word, by the name's declared kind. */
enum tr_kind { TR_HEX, TR_INT, TR_WORD };
typedef struct tr_value {
    unsigned side; /* enum tr_side */
    char *name;
    unsigned kind; /* enum tr_kind */
    tr_bytes hex;  /* TR_HEX */
    int64_t num;   /* TR_INT */
    char *word;    /* TR_WORD */
    uint32_t line; /* where it was read (0 when built in memory) */
} tr_value;

/* An RSA key by fingerprint (the int64 value), with an optional file (PEM), relative to the
 * transcript's directory. */
typedef struct tr_rsa_key {
    uint64_t fingerprint;
    char *file; /* NULL when not given */
    uint32_t line;
} tr_rsa_key;

typedef struct tr_frame {
    unsigned dir;         /* enum tr_dir */
    uint64_t time_ns;     /* virtual time, Unix nanoseconds */
    tr_bytes bytes;       /* a packet or transport bytes, per the transcript's layer */
    char *unreproducible; /* NULL, or why these bytes cannot be reproduced */
    uint32_t line;
} tr_frame;

typedef struct tr_list {
    void *v; /* array of the element type */
    size_t n;
    size_t cap;
} tr_list;

typedef struct mt_transcript {
    unsigned version;
    char *records;      /* what it records: handshake, session, scenario */
    unsigned layer;     /* enum tr_layer */
    char *transport;    /* with TR_LAYER_TRANSPORT: abridged, intermediate, ... */
    tr_list sources;    /* char * */
    tr_list notes;      /* char * */
    char *no_replay[2]; /* per side: why it cannot be replayed, or NULL */
    tr_bytes seed[2];   /* per side: DRBG seed material (len 0: none) */
    bool have_seed[2];
    tr_list randoms;   /* tr_value, in the order each side drew them */
    tr_list params;    /* tr_value */
    tr_list expects;   /* tr_value */
    tr_list rsa_keys;  /* tr_rsa_key */
    tr_bytes dh_prime; /* len 0: not given */
    int64_t dh_g;      /* 0: not given */
    tr_list auth_keys; /* tr_bytes: keys that decrypt the frames */
    tr_list frames;    /* tr_frame */
} mt_transcript;

/* Where and why parsing stopped. */
typedef struct tr_error {
    int code;      /* an MT_E_transcript_* error, no_memory or limit_exceeded */
    uint32_t line; /* 1-based */
    uint32_t col;  /* 1-based, in bytes */
    char msg[192]; /* what was expected */
} tr_error;

/* ---- the model (harness/transcript.c) ---- */

void transcript_init(mt_transcript *t);
void transcript_free(mt_transcript *t);
/* Builders for writers (generators, the recorder). Each copies its arguments. Errors: no_memory,
 * limit_exceeded, bad_argument (a name or text the format cannot hold). */
MT_WUR int transcript_set_word(char **slot, const char *word);
MT_WUR int transcript_add_text(tr_list *list, const char *text);
MT_WUR int transcript_add_frame(mt_transcript *t, unsigned dir, uint64_t time_ns, const uint8_t *p,
                                size_t len);
MT_WUR int transcript_add_hex(tr_list *list, unsigned side, const char *name, const uint8_t *p,
                              size_t len);
MT_WUR int transcript_add_int(tr_list *list, unsigned side, const char *name, int64_t v);
MT_WUR int transcript_add_word(tr_list *list, unsigned side, const char *name, const char *w);
MT_WUR int transcript_add_rsa_key(mt_transcript *t, uint64_t fingerprint, const char *file);
MT_WUR int transcript_add_key(mt_transcript *t, const uint8_t *p, size_t len);

/* Element access. */
static inline tr_frame *transcript_frame(const mt_transcript *t, size_t i)
{
    return (tr_frame *)t->frames.v + i;
}
static inline tr_value *transcript_value(const tr_list *l, size_t i)
{
    return (tr_value *)l->v + i;
}
/* The first value of a list with this side and name, or NULL. */
const tr_value *transcript_find(const tr_list *l, unsigned side, const char *name);

/* Whether two transcripts hold the same values (line numbers aside). */
bool transcript_equal(const mt_transcript *a, const mt_transcript *b);

/* The declared kind of a param or expect name (enum tr_kind), or -1 when the name is unknown. */
int transcript_param_kind(const char *name);
int transcript_expect_kind(const char *name);

/* Keyword texts. */
const char *transcript_side_name(unsigned side);
const char *transcript_dir_name(unsigned dir);

/* ---- the parser (harness/transcript_parse.c) ---- */

/* Parses text[0..len) into t (initialised here; free it with transcript_free on every result).
 * Returns 0 or the error, described in *e. */
MT_WUR int transcript_parse(const char *text, size_t len, mt_transcript *t, tr_error *e);
/* Reads and parses a file. io_error (e->msg says why) or a parse error. */
MT_WUR int transcript_load(const char *path, mt_transcript *t, tr_error *e);

/* ---- the writer (harness/transcript_write.c) ---- */

typedef struct tr_write_opts {
    bool decoded; /* add the decoded view of each frame (`|` lines, ignored by the parser) */
} tr_write_opts;

/* Writes t as text. Returns 0 or io_error. */
MT_WUR int transcript_write(FILE *f, const mt_transcript *t, const tr_write_opts *o);
/* Writes t into a new NUL-terminated buffer (free it). */
MT_WUR int transcript_format(const mt_transcript *t, const tr_write_opts *o, char **out,
                             size_t *out_len);

#endif
