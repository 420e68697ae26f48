/*
 * The grammar of each step (docs/scenarios.md "Steps"), checked when a file is parsed so a typo is
 * a file:line:col error, not a failure in the middle of a run.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/replay_internal.h"
#include "harness/scenario_internal.h"
#include "proto/handshake_server.h"
#include "proto/transport.h"

/* Names a value may start with, per envelope key (docs/scenarios.md "Envelope overrides"). */
static const char *const msgid_bases[] = {"now", "last", "prev", "first", "recv", "clock", NULL};
static const char *const seqno_bases[] = {"next", "last", "even", "odd", NULL};
static const char *const salt_bases[] = {"current", "bad", "previous", NULL};
static const char *const session_bases[] = {"current", "new", NULL};

static bool in_list(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (strcmp(*l, s) == 0)
            return true;
    return false;
}

static bool expr_ok(const char *v, const char *const *bases)
{
    sc_expr e;
    return sc_expr_parse(v, &e) && (!e.base[0] || in_list(bases, e.base));
}

static bool hex_ok(const char *v, size_t want)
{
    if (v[0] == '0' && v[1] == 'x')
        v += 2;
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)v[i]))
            return false;
    return n % 2 == 0 && (want == 0 || n == 2 * want);
}

__attribute__((format(printf, 5, 6))) static int bad(unsigned *col, const sc_tok *t, char *why,
                                                     size_t cap, const char *msg, ...)
{
    *col = t->col;
    va_list ap;
    va_start(ap, msg);
    vsnprintf(why, cap, msg, ap);
    va_end(ap);
    return MT_E_bad_field;
}

static int check_obj(const sc_tok *t, bool pattern, unsigned *col, char *why, size_t cap)
{
    json_t *j = NULL;
    char w[SC_WHY];
    int err = sc_tl_parse(t->val, &sc_check_resolver, pattern, &j, w, sizeof w);
    if (!err && !pattern) {
        uint8_t *enc = NULL;
        size_t len = 0;
        char w2[TL_JSON_WHY];
        err = sc_nest_relay(j);
        if (!err)
            err = tl_json_encode(sc_tl_schema_of(j), j, &enc, &len, w2, sizeof w2);
        else
            snprintf(w2, sizeof w2, "a relay object inside does not encode");
        if (err)
            snprintf(w, sizeof w, "%s", w2);
        free(enc);
    }
    json_decref(j);
    if (!err)
        return 0;
    /* sc_tl_parse says "+OFFSET: message": point at the column inside the object */
    char *end = w;
    unsigned long off = w[0] == '+' ? strtoul(w + 1, &end, 10) : 0;
    bool at = w[0] == '+' && end[0] == ':' && end[1] == ' ';
    bad(col, t, why, cap, "%s", at ? end + 2 : w);
    if (at && off < strlen(t->val))
        *col = t->col + (unsigned)off;
    return MT_E_bad_field;
}

/* key=value overrides of send (and of handshake where they make sense). */
static int check_override(const sc_tok *t, unsigned *col, char *why, size_t cap)
{
    const char *k = t->key, *v = t->val;
    int64_t n;
    bool ok;
    if (strcmp(k, "msg_id") == 0)
        ok = expr_ok(v, msgid_bases);
    else if (strcmp(k, "seqno") == 0)
        ok = expr_ok(v, seqno_bases);
    else if (strcmp(k, "salt") == 0)
        ok = expr_ok(v, salt_bases);
    else if (strcmp(k, "session") == 0)
        ok = expr_ok(v, session_bases);
    else if (strcmp(k, "auth_key_id") == 0)
        ok = hex_ok(v, 8) || strcmp(v, "random") == 0;
    else if (strcmp(k, "msg_key") == 0)
        ok = hex_ok(v, 16) || strcmp(v, "random") == 0;
    else if (strcmp(k, "length") == 0 || strcmp(k, "padding") == 0 || strcmp(k, "split") == 0)
        ok = sc_int64(v, &n) && n >= 0 && n <= (1 << 24);
    else if (strcmp(k, "count") == 0) /* the same send again and again (conform_run.c) */
        ok = sc_int64(v, &n) && n >= 1 && n <= 4096;
    else if (strcmp(k, "quick_ack") == 0 || strcmp(k, "wire_length") == 0)
        ok = sc_int64(v, &n) && n >= 0;
    else
        return bad(col, t, why, cap, "unknown override '%s'", k);
    return ok ? 0 : bad(col, t, why, cap, "bad value for %s", k);
}

static int check_send(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    size_t i = 0, objs = 0;
    const char *mode = "";
    static const char *const modes[] = {"plain", "raw", "frame", "wire", "gzip", "container", NULL};
    if (s->n && !s->toks[0].key && in_list(modes, s->toks[0].val))
        mode = s->toks[i++].val;
    bool hex = !strcmp(mode, "raw") || !strcmp(mode, "frame") || !strcmp(mode, "wire");
    for (; i < s->n; i++) {
        const sc_tok *t = &s->toks[i];
        int err = 0;
        if (t->key)
            err = check_override(t, col, why, cap);
        else if (hex && !hex_ok(t->val, 0))
            err = bad(col, t, why, cap, "'%s' is not hex bytes", t->val);
        else if (!hex)
            err = check_obj(t, false, col, why, cap);
        if (err)
            return err;
        objs += !t->key;
    }
    bool many = strcmp(mode, "container") == 0;
    if (objs == 0 || (!many && objs > 1)) {
        *col = s->col;
        snprintf(why, cap,
                 many ? "a container needs at least one object"
                      : "exactly one object or hex string to send");
        return MT_E_bad_field;
    }
    return 0;
}

static int check_expect(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    static const char *const forms[] = {
        "bad_msg", "bad_server_salt", "rpc_error", "transport_error", "close", "silence",
        "plain",   "quick_ack",       "no_close",  "query",           NULL};
    int64_t v;
    if (s->n == 0 || s->toks[0].key) {
        *col = s->col;
        snprintf(why, cap, "what to expect? (an object, bad_msg CODE, close, silence ...)");
        return MT_E_bad_field;
    }
    const sc_tok *t = &s->toks[0];
    size_t bare = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->toks[i].key && strcmp(s->toks[i].key, "within") != 0)
            return bad(col, &s->toks[i], why, cap, "unknown option '%s'", s->toks[i].key);
        if (s->toks[i].key && !sc_duration(s->toks[i].val, &v))
            return bad(col, &s->toks[i], why, cap, "bad duration '%s'", s->toks[i].val);
        bare += !s->toks[i].key;
    }
    if (!in_list(forms, t->val))
        return bare == 1 ? check_obj(t, true, col, why, cap)
                         : bad(col, &s->toks[1], why, cap, "one object to expect%s", "");
    const char *f = t->val;
    const sc_tok *a = bare > 1 ? &s->toks[1] : NULL;
    if ((!strcmp(f, "bad_msg") || !strcmp(f, "transport_error")) &&
        (bare != 2 || !sc_int64(a->val, &v)))
        return bad(col, t, why, cap, "write '%s CODE'", f);
    if (!strcmp(f, "rpc_error") && (bare < 2 || bare > 3 || !sc_int64(a->val, &v)))
        return bad(col, t, why, cap, "write 'rpc_error CODE [MESSAGE]'%s", "");
    if (!strcmp(f, "silence") && bare == 2 && !sc_duration(a->val, &v))
        return bad(col, a, why, cap, "bad duration '%s'", a->val);
    if (!strcmp(f, "plain"))
        return bare == 2 ? check_obj(a, true, col, why, cap)
                         : bad(col, t, why, cap, "write 'plain OBJECT'%s", "");
    size_t max = !strcmp(f, "rpc_error") ? 3
                 : !strcmp(f, "silence") || !strcmp(f, "bad_msg") || !strcmp(f, "transport_error")
                     ? 2
                     : 1;
    return bare <= max ? 0 : bad(col, &s->toks[max], why, cap, "unexpected '%s'", s->toks[max].val);
}

static int check_handshake(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    int64_t v;
    for (size_t i = 0; i < s->n; i++) {
        const sc_tok *t = &s->toks[i];
        const char *k = t->key ? t->key : "";
        bool ok;
        if (!strcmp(k, "fault"))
            ok = replay_client_fault_known(t->val) ||
                 hss_fault_by_name(t->val) != HSS_FAULT_COUNT ||
                 hs_client_fault_by_name(t->val) != HSC_FAULT_COUNT;
        else if (!strcmp(k, "steer")) /* conform_steer.c */
            ok = !strcmp(t->val, "key0") || !strcmp(t->val, "gb0");
        else if (!strcmp(k, "stop"))
            ok =
                !strcmp(t->val, "req_pq") || !strcmp(t->val, "req_dh") || !strcmp(t->val, "set_dh");
        else if (!strcmp(k, "kind"))
            ok = !strcmp(t->val, "perm") || !strcmp(t->val, "temp");
        else if (!strcmp(k, "b") || !strcmp(k, "a") || !strcmp(k, "prime"))
            /* b: the client's DH exponent; a, prime: the server's exponent and dh_prime (the
             * harness as server); 256 bytes each */
            ok = strncmp(t->val, "0x", 2) == 0 && strlen(t->val) == 2 + 2 * 256 &&
                 strspn(t->val + 2, "0123456789abcdefABCDEF") == 2 * 256;
        else if (!strcmp(k, "strict")) /* the server refuses the deprecated forms */
            ok = !strcmp(t->val, "0") || !strcmp(t->val, "1");
        else if (!strcmp(k, "g")) /* the server's g: the spec's 2..7 and beyond, for faults */
            ok = sc_int64(t->val, &v) && v >= 2 && v <= 255;
        else if (!strcmp(k, "expires") || !strcmp(k, "dc"))
            ok = sc_int64(t->val, &v) && v >= INT32_MIN && v <= INT32_MAX;
        else
            return bad(col, t, why, cap,
                       "unknown option '%s' (fault, stop, kind, expires, dc, b, a, g, prime, "
                       "strict, steer)",
                       t->key ? t->key : t->val);
        if (!ok)
            return bad(col, t, why, cap, "bad value for %s", k);
    }
    return 0;
}

static int one_bare(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    if (s->n != 1 || s->toks[0].key) {
        *col = s->n ? s->toks[s->n > 1].col : s->col;
        snprintf(why, cap, "takes exactly one value");
        return MT_E_bad_field;
    }
    return 0;
}

int sc_check_step(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    int64_t v;
    int err;
    switch (s->verb) {
    case SV_HANDSHAKE:
        return check_handshake(s, col, why, cap);
    case SV_SEND:
        return check_send(s, col, why, cap);
    case SV_EXPECT:
        return check_expect(s, col, why, cap);
    case SV_CLOCK:
    case SV_WAIT:
        if ((err = one_bare(s, col, why, cap)) != 0)
            return err;
        if (!sc_duration(s->toks[0].val, &v) || (s->verb == SV_WAIT && v < 0) ||
            (s->verb == SV_CLOCK && !strchr("+-", s->toks[0].val[0])))
            return bad(col, &s->toks[0], why, cap,
                       s->verb == SV_CLOCK ? "write +DURATION or -DURATION ('%s')"
                                           : "bad duration '%s'",
                       s->toks[0].val);
        return 0;
    case SV_TRANSPORT:
        if ((err = one_bare(s, col, why, cap)) != 0)
            return err;
        return sc_transport_ok(s->toks[0].val)
                   ? 0
                   : bad(col, &s->toks[0], why, cap, "unknown transport '%s'", s->toks[0].val);
    case SV_RECONNECT:
        for (size_t i = 0; i < s->n; i++)
            if (!s->toks[i].key || strcmp(s->toks[i].key, "transport") != 0 ||
                !sc_transport_ok(s->toks[i].val))
                return bad(col, &s->toks[i], why, cap, "only transport=NAME here%s", "");
        return 0;
    case SV_BIND:
        for (size_t i = 0; i < s->n; i++)
            if (!s->toks[i].key || strcmp(s->toks[i].key, "fault") != 0 ||
                !sc_bind_fault_ok(s->toks[i].val))
                return bad(col, &s->toks[i], why, cap, "only fault=NAME of the bind step%s", "");
        return 0;
    case SV_E2E:
        return sc_check_e2e(s, col, why, cap);
    case SV_SESSION:
        if ((err = one_bare(s, col, why, cap)) != 0)
            return err;
        return strcmp(s->toks[0].val, "new") == 0 || sc_int64(s->toks[0].val, &v)
                   ? 0
                   : bad(col, &s->toks[0], why, cap, "write 'session new' or a number%s", "");
    case SV_CONNECTION:
        return sc_check_connection(s, col, why, cap);
    default:
        *col = s->col;
        snprintf(why, cap, "unknown verb");
        return MT_E_bad_field;
    }
}

/* Symbols the runner knows (harness/conform_sym.c), by field kind. */
static int check_sym(void *ctx, const char *name, int kind, json_t **out)
{
    (void)ctx;
    static const char *const longs[] = {"last", "prev",   "first", "recv", "session",
                                        "salt", "random", "now",   NULL};
    static const char *const blobs[] = {"random", "nonce", "server_nonce", "new_nonce", NULL};
    size_t fill;
    if ((kind == TL_K_BYTES || kind == TL_K_STRING) && sc_fill_len(name, &fill)) {
        *out = json_string(""); /* the length is checked; the bytes are the runner's */
        return 0;
    }
    if (kind == TL_K_LONG && in_list(longs, name)) {
        *out = json_string("0");
        return 0;
    }
    if (kind == TL_K_INT128 && in_list(blobs, name)) {
        *out = json_string("00000000000000000000000000000000");
        return 0;
    }
    if (kind == TL_K_INT256 && (!strcmp(name, "random") || !strcmp(name, "new_nonce"))) {
        *out = json_string("0000000000000000000000000000000000000000000000000000000000000000");
        return 0;
    }
    return -1;
}

const sc_resolver sc_check_resolver = {NULL, check_sym};
