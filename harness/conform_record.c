/*
 * `mtproof conform --record DIR`: the recording target (harness/conform_record.h). Recording
 * never changes a run: a file that cannot be written is reported on stderr once and the run
 * goes on.
 */
#include "harness/conform_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "fuzz/fuzz_session_input.h"
#include "harness/transcript.h"

/* Most bytes of session records kept per scenario (a seed, not an archive). */
#define REC_SESSION_MAX (64u << 10)

typedef struct rec_target {
    target base;
    target *in;
    char *prefix; /* DIR/NAME */
    unsigned conn;
    mt_transcript tr;
    bool open;
    uint64_t last_ns; /* transcript times never decrease */
    uint8_t *sess;
    size_t sess_len;
    uint64_t sess_last_ns;
    bool warned;
    unsigned subs; /* further connections made */
} rec_target;

static void warn(rec_target *r, const char *what)
{
    if (!r->warned)
        fprintf(stderr, "mtproof conform: --record: %s.%s: cannot write\n", r->prefix, what);
    r->warned = true;
}

static void flush(rec_target *r)
{
    if (!r->open)
        return;
    r->open = false;
    char *text = NULL;
    size_t n = 0;
    char path[4200];
    snprintf(path, sizeof path, "%s.%u.txt", r->prefix, r->conn);
    tr_write_opts o = {.decoded = false};
    FILE *f = NULL;
    if (r->tr.frames.n && transcript_format(&r->tr, &o, &text, &n) == MT_OK &&
        (f = fopen(path, "w")) != NULL) {
        if (fwrite(text, 1, n, f) != n)
            warn(r, "txt");
        fclose(f);
    } else if (r->tr.frames.n) {
        warn(r, "txt");
    }
    free(text);
    transcript_free(&r->tr);
}

static void frame(rec_target *r, unsigned dir, const uint8_t *p, size_t n)
{
    uint64_t now = clock_now(r->in->clock);
    r->last_ns = now > r->last_ns ? now : r->last_ns;
    if (r->open && transcript_add_frame(&r->tr, dir, r->last_ns, p, n) != MT_OK)
        warn(r, "txt");
}

static int r_open(target *t, const char *transport, char *why, size_t cap)
{
    rec_target *r = (rec_target *)t;
    flush(r);
    transcript_init(&r->tr);
    r->conn++;
    r->tr.layer = TR_LAYER_TRANSPORT;
    r->open = transcript_set_word(&r->tr.records, "scenario") == MT_OK &&
              transcript_set_word(&r->tr.transport, transport ? transport : "auto") == MT_OK &&
              transcript_add_text(&r->tr.sources, "mtproof conform --record") == MT_OK;
    return r->in->ops->open(r->in, transport, why, cap);
}

static int r_send(target *t, const uint8_t *p, size_t n)
{
    rec_target *r = (rec_target *)t;
    frame(r, TR_C2S, p, n);
    return r->in->ops->send(r->in, p, n);
}

static int r_recv(target *t, uint8_t *buf, size_t cap, size_t *n, bool *closed, uint64_t tmo)
{
    rec_target *r = (rec_target *)t;
    int err = r->in->ops->recv(r->in, buf, cap, n, closed, tmo);
    r->base.peer_rule = r->in->peer_rule;
    if (!err && *n)
        frame(r, TR_S2C, buf, *n);
    return err;
}

static void r_pass(target *t, uint64_t ns)
{
    rec_target *r = (rec_target *)t;
    r->in->ops->pass(r->in, ns);
    r->base.peer_rule = r->in->peer_rule;
}

static void r_close(target *t)
{
    rec_target *r = (rec_target *)t;
    r->in->ops->close(r->in);
}

static void r_free(target *t)
{
    rec_target *r = (rec_target *)t;
    flush(r);
    if (r->sess_len) {
        char path[4200];
        snprintf(path, sizeof path, "%s.session", r->prefix);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(r->sess, 1, r->sess_len, f) != r->sess_len)
            warn(r, "session");
        if (f)
            fclose(f);
    }
    r->in->ops->free(r->in);
    free(r->sess);
    free(r->prefix);
    free(r);
}

static int r_another(target *t, target **out);
static const target_ops REC_OPS = {r_open, r_send, r_recv, r_pass, r_close, r_free, r_another};

/* A further connection (`connection NAME`) is recorded too: DIR/NAME.cK.N.txt. */
static int r_another(target *t, target **out)
{
    rec_target *r = (rec_target *)t;
    target *sub = NULL;
    if (!r->in->ops->another)
        return MT_E_bad_argument;
    int err = r->in->ops->another(r->in, &sub);
    if (err)
        return err;
    char name[32];
    snprintf(name, sizeof name, "c%u", ++r->subs);
    err = cf_record_target(sub, r->prefix, name, out);
    if (!err) /* DIR/NAME/cK -> DIR/NAME.cK */
        ((rec_target *)*out)->prefix[strlen(r->prefix)] = '.';
    return err;
}

int cf_record_target(target *inner, const char *dir, const char *name, target **out)
{
    rec_target *r = calloc(1, sizeof *r);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *prefix = r ? malloc(n) : NULL;
    if (!prefix) {
        free(r);
        inner->ops->free(inner);
        *out = NULL;
        return MT_E_no_memory;
    }
    snprintf(prefix, n, "%s/%s", dir, name);
    r->base = *inner;
    r->base.ops = &REC_OPS;
    r->in = inner;
    r->prefix = prefix;
    *out = &r->base;
    return MT_OK;
}

/* The fuzz record's delta (fuzz_msg_id): steps of 2^12 from now, and the id's own low bits. */
static int32_t delta_of(uint64_t msg_id, uint64_t now_ns)
{
    int64_t diff = (int64_t)(msg_id - (msgid_from_ns(now_ns) & ~(uint64_t)3));
    int64_t steps = (diff - (diff & 3)) / 4096;
    if (steps > INT32_MAX / 4)
        steps = INT32_MAX / 4;
    if (steps < INT32_MIN / 4)
        steps = INT32_MIN / 4;
    return (int32_t)(steps * 4 + (diff & 3));
}

void cf_record_message(target *t, uint64_t msg_id, uint64_t now_ns, uint32_t seqno,
                       const uint8_t *body, size_t len, bool bad_salt, bool other_session)
{
    if (!t || t->ops != &REC_OPS || len > 0xffff)
        return;
    rec_target *r = (rec_target *)t;
    if (r->sess_len + REC_HDR + len > REC_SESSION_MAX)
        return;
    if (!r->sess && !(r->sess = malloc(REC_SESSION_MAX)))
        return;
    uint64_t tenths =
        r->sess_len && now_ns > r->sess_last_ns ? (now_ns - r->sess_last_ns) / (NS_PER_S / 10) : 0;
    r->sess_last_ns = now_ns;
    uint8_t *p = r->sess + r->sess_len;
    st16le(p, (uint16_t)len);
    p[2] = (uint8_t)((bad_salt ? 1 : 0) | (other_session ? 2 : 0));
    p[3] = (uint8_t)(tenths > 255 ? 255 : tenths);
    st32le(p + 4, (uint32_t)delta_of(msg_id, now_ns));
    st32le(p + 8, seqno);
    memcpy(p + 12, body, len);
    r->sess_len += REC_HDR + len;
}
