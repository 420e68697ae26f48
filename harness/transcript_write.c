/*
 * The transcript writer: the header in a fixed order, then the frames, each with its bytes in
 * `hex` lines of TRANSCRIPT_HEX_PER_LINE digits and, on request, a decoded view (`|` lines) from
 * the TL printer. Whatever transcript_parse accepts, this writes back so that it parses equal.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "harness/transcript.h"
#include "proto/message.h"
#include "proto/tl_mtp.h"
#include "proto/tl_obj.h"

/* Decoding scratch for the view: the arena and the printed tree. */
#define VIEW_ARENA ((size_t)1 << 20)
#define VIEW_TEXT  ((size_t)1 << 18)

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        fputc(digits[p[i] >> 4], f);
        fputc(digits[p[i] & 15], f);
    }
}

static void put_value(FILE *f, const char *kw, const tr_value *v)
{
    fprintf(f, "%s %s %s ", kw, transcript_side_name(v->side), v->name);
    if (v->kind == TR_HEX)
        put_hex(f, v->hex.p, v->hex.len);
    else if (v->kind == TR_INT)
        fprintf(f, "%" PRId64, v->num);
    else
        fputs(v->word, f);
    fputc('\n', f);
}

static void put_values(FILE *f, const char *kw, const tr_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        put_value(f, kw, transcript_value(l, i));
}

static void put_texts(FILE *f, const char *kw, const tr_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fprintf(f, "%s %s\n", kw, ((char **)l->v)[i]);
}

static void put_header(FILE *f, const mt_transcript *t)
{
    fprintf(f, "mtproof-transcript %u\n", TRANSCRIPT_VERSION);
    fprintf(f, "records %s\n", t->records ? t->records : "handshake");
    fprintf(f, "layer %s\n", t->layer == TR_LAYER_TRANSPORT ? "transport" : "packet");
    if (t->transport)
        fprintf(f, "transport %s\n", t->transport);
    put_texts(f, "source", &t->sources);
    put_texts(f, "note", &t->notes);
    for (unsigned s = 0; s < 2; s++)
        if (t->no_replay[s])
            fprintf(f, "no-replay %s %s\n", transcript_side_name(s), t->no_replay[s]);
    for (size_t i = 0; i < t->rsa_keys.n; i++) {
        const tr_rsa_key *k = (const tr_rsa_key *)t->rsa_keys.v + i;
        fprintf(f, "rsa-key %016" PRIx64 "%s%s\n", k->fingerprint, k->file ? " " : "",
                k->file ? k->file : "");
    }
    if (t->dh_prime.len) {
        fputs("dh-prime ", f);
        put_hex(f, t->dh_prime.p, t->dh_prime.len);
        fputc('\n', f);
    }
    if (t->dh_g)
        fprintf(f, "dh-g %" PRId64 "\n", t->dh_g);
    put_values(f, "param", &t->params);
    for (unsigned s = 0; s < 2; s++)
        if (t->have_seed[s]) {
            fprintf(f, "seed %s ", transcript_side_name(s));
            put_hex(f, t->seed[s].p, t->seed[s].len);
            fputc('\n', f);
        }
    put_values(f, "random", &t->randoms);
    for (size_t i = 0; i < t->auth_keys.n; i++) {
        fputs("auth-key ", f);
        put_hex(f, ((tr_bytes *)t->auth_keys.v)[i].p, ((tr_bytes *)t->auth_keys.v)[i].len);
        fputc('\n', f);
    }
    put_values(f, "expect", &t->expects);
}

/* Prints text (a multi-line tree) as `| ` lines. */
static void put_view(FILE *f, const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        fprintf(f, "| %.*s\n", (int)n, text);
        text += n + (text[n] == '\n');
    }
}

/* The TL body of a packet, printed; or why not. */
static void view_body(FILE *f, const uint8_t *body, size_t n, uint8_t *arena_buf, char *text)
{
    tl_arena a;
    tl_obj o;
    tl_arena_init(&a, arena_buf, VIEW_ARENA);
    int err = tl_decode(&mtp_schema, body, n, &a, TL_LENIENT, &o);
    if (!err)
        err = tl_print_text(&o, text, VIEW_TEXT, NULL);
    if (err)
        fprintf(f, "| (body of %zu bytes does not decode: %s)\n", n, mt_err_name(err));
    else
        put_view(f, text);
}

/* An encrypted packet, decrypted with the first key that opens it. */
static void view_encrypted(FILE *f, const mt_transcript *t, const tr_frame *fr, uint8_t *arena_buf,
                           char *text)
{
    size_t n = fr->bytes.len;
    uint8_t *plain = malloc(n);
    for (size_t i = 0; plain && i < t->auth_keys.n; i++) {
        const tr_bytes *kb = (const tr_bytes *)t->auth_keys.v + i;
        if (kb->len != MT_AUTH_KEY_LEN)
            continue;
        mt_auth_key k;
        mt_msg_view v;
        mt_auth_key_init(&k, kb->p);
        unsigned x = fr->dir == TR_C2S ? 0 : 8;
        int err = mt_msg_unpack(&k, x, NULL, fr->bytes.p, n, plain, n, &v);
        mt_auth_key_wipe(&k);
        if (err)
            continue;
        fprintf(f, "| encrypted, auth-key %zu: msg_id 0x%016" PRIx64 " seq_no %" PRIu32 "\n", i + 1,
                v.hdr.msg_id, v.hdr.seq_no);
        view_body(f, v.body, v.body_len, arena_buf, text);
        free(plain);
        return;
    }
    free(plain);
    fprintf(f, "| encrypted (%zu bytes), no auth-key opens it\n", n);
}

static void put_frame_view(FILE *f, const mt_transcript *t, const tr_frame *fr, uint8_t *arena_buf,
                           char *text)
{
    mt_plain_view pv;
    if (t->layer == TR_LAYER_TRANSPORT) {
        fprintf(f, "| %zu transport bytes\n", fr->bytes.len);
    } else if (mt_plain_unpack(fr->bytes.p, fr->bytes.len, &pv) == MT_OK) {
        fprintf(f, "| unencrypted: msg_id 0x%016" PRIx64 ", %zu bytes\n", pv.msg_id, pv.body_len);
        view_body(f, pv.body, pv.body_len, arena_buf, text);
    } else {
        view_encrypted(f, t, fr, arena_buf, text);
    }
}

int transcript_write(FILE *f, const mt_transcript *t, const tr_write_opts *o)
{
    bool decoded = o && o->decoded;
    uint8_t *arena_buf = decoded ? malloc(VIEW_ARENA) : NULL;
    char *text = decoded ? malloc(VIEW_TEXT) : NULL;
    if (decoded && (!arena_buf || !text))
        decoded = false;
    put_header(f, t);
    for (size_t i = 0; i < t->frames.n; i++) {
        const tr_frame *fr = transcript_frame(t, i);
        fprintf(f, "\nframe %zu %s %" PRIu64 ".%09" PRIu64 "\n", i + 1,
                transcript_dir_name(fr->dir), fr->time_ns / 1000000000u, fr->time_ns % 1000000000u);
        if (fr->unreproducible)
            fprintf(f, "unreproducible %s\n", fr->unreproducible);
        for (size_t at = 0; at < fr->bytes.len; at += TRANSCRIPT_HEX_PER_LINE / 2) {
            size_t k = fr->bytes.len - at;
            fputs("hex ", f);
            put_hex(f, fr->bytes.p + at,
                    k < TRANSCRIPT_HEX_PER_LINE / 2 ? k : TRANSCRIPT_HEX_PER_LINE / 2);
            fputc('\n', f);
        }
        if (decoded)
            put_frame_view(f, t, fr, arena_buf, text);
    }
    free(arena_buf);
    free(text);
    return ferror(f) ? MT_E_io_error : MT_OK;
}

int transcript_format(const mt_transcript *t, const tr_write_opts *o, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    FILE *f = open_memstream(out, out_len);
    if (!f)
        return MT_E_no_memory;
    int err = transcript_write(f, t, o);
    if (fclose(f) != 0 && !err)
        err = MT_E_io_error;
    if (err) {
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    return err;
}
