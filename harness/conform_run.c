/*
 * Running one scenario: each step in order against the target (docs/scenarios.md "Steps"); the
 * first failing step ends the scenario with "step N (line L): why".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/hex.h"
#include "common/rules.h"
#include "harness/conform_e2e.h"
#include "harness/conform_run.h"
#include "proto/container.h"
#include "proto/gzip.h"
#include "proto/tl_mtp.h"

/* A TL object token -> its encoding (malloc'd). */
static int encode_obj(cf_peer *p, const char *text, uint8_t **out, size_t *len, char *why,
                      size_t cap)
{
    sc_resolver r = cf_resolver(p);
    json_t *j = NULL;
    char w[TL_JSON_WHY];
    int err = sc_tl_parse(text, &r, false, &j, w, sizeof w);
    if (!err && (err = sc_nest_relay(j)) != 0)
        snprintf(w, sizeof w, "a relay object inside: %s", mt_err_name(err));
    if (!err)
        err = tl_json_encode(sc_tl_schema_of(j), j, out, len, w, sizeof w);
    if (err)
        snprintf(why, cap, "%s: %s", text, w);
    json_decref(j);
    return err;
}

static int hex_tok(const char *v, uint8_t **out, size_t *n)
{
    if (v[0] == '0' && v[1] == 'x')
        v += 2;
    *n = strlen(v) / 2;
    *out = malloc(*n + 1);
    if (!*out)
        return MT_E_no_memory;
    return hex_decode(v, strlen(v), *out, *n + 1, n) == 0 ? 0 : MT_E_bad_hex;
}

static int env_of(cf_peer *p, const sc_step *st, cf_env *e)
{
    memset(e, 0, sizeof *e);
    for (size_t i = 0; i < st->n; i++) {
        const sc_tok *t = &st->toks[i];
        size_t n = 0;
        int64_t v = 0;
        if (!t->key || !strcmp(t->key, "count"))
            continue;
        if (!strcmp(t->key, "auth_key_id") || !strcmp(t->key, "msg_key")) {
            bool id = t->key[5] == 'k';
            uint8_t *dst = id ? e->ovr.auth_key_id : e->ovr.msg_key;
            size_t want = id ? MT_AUTH_KEY_ID_LEN : MT_MSG_KEY_LEN;
            const char *h = t->val[0] == '0' && t->val[1] == 'x' ? t->val + 2 : t->val;
            if (!strcmp(t->val, "random"))
                drbg_generate(&p->drbg, dst, want);
            else if (hex_decode(h, strlen(h), dst, want, &n) != 0 || n != want)
                return MT_E_bad_hex;
            e->ovr.flags |= id ? MT_OVR_AUTH_KEY_ID : MT_OVR_MSG_KEY;
        } else if (!strcmp(t->key, "length") || !strcmp(t->key, "padding") ||
                   !strcmp(t->key, "split") || !strcmp(t->key, "quick_ack")) {
            (void)sc_int64(t->val, &v);
            if (t->key[0] == 'l')
                e->length = (uint32_t)v, e->has_len = true;
            else if (t->key[0] == 'p')
                e->padding = (size_t)v, e->has_pad = true;
            else if (t->key[0] == 's')
                e->split = (size_t)v;
            else
                e->quick_ack = v != 0;
        } else if (cf_env_value(p, t->key, t->val, e) != 0) {
            return MT_E_bad_field;
        }
    }
    return 0;
}

/* send container OBJ OBJ...: each inner message gets the next msg_id and seqno, the container
 * an id above them and an even seqno, unless overridden. */
static int send_container(cf_peer *p, const sc_step *st, size_t first, const cf_env *e, char *why,
                          size_t cap)
{
    mt_msg m[SC_MAX_TOKENS];
    uint8_t *bodies[SC_MAX_TOKENS];
    size_t k = 0;
    int err = 0;
    for (size_t i = first; !err && i < st->n; i++) {
        if (st->toks[i].key)
            continue;
        size_t len = 0;
        err = encode_obj(p, st->toks[i].val, &bodies[k], &len, why, cap);
        if (err)
            break;
        m[k].body = bodies[k];
        m[k].len = len;
        err = cf_next_msg_id(p, &m[k].msg_id);
        m[k].seqno = cf_next_seqno(p, ld32le(bodies[k]));
        cf_note_sent(p, m[k].msg_id, m[k].seqno);
        k++;
    }
    size_t size = container_size(m, k);
    uint8_t *buf = err ? NULL : malloc(size);
    if (!err && !buf)
        err = MT_E_no_memory;
    if (!err) {
        mt_wr w = wr_init(buf, size);
        err = container_pack(&w, m, k);
        if (!err)
            err = cf_send_msg(p, buf, size, e);
    }
    free(buf);
    for (size_t i = 0; i < k; i++)
        free(bodies[i]);
    return err;
}

static int step_send(cf_peer *p, const sc_step *st, char *why, size_t cap)
{
    cf_env e;
    if (env_of(p, st, &e) != 0) {
        snprintf(why, cap, "bad override");
        return MT_E_bad_field;
    }
    size_t i = 0;
    const char *mode = "";
    static const char *const modes[] = {"plain", "raw", "frame", "wire", "gzip", "container"};
    for (size_t m = 0; m < 6 && st->n; m++)
        if (!st->toks[0].key && !strcmp(st->toks[0].val, modes[m]))
            mode = st->toks[i++].val;
    if (!strcmp(mode, "container"))
        return send_container(p, st, i, &e, why, cap);
    while (i < st->n && st->toks[i].key)
        i++;
    const char *v = i < st->n ? st->toks[i].val : "";
    uint8_t *b = NULL;
    size_t n = 0;
    bool hex = !strcmp(mode, "raw") || !strcmp(mode, "frame") || !strcmp(mode, "wire");
    p->opaque |= hex; /* ids the harness cannot know: no bad_msg_id checks from now on */
    int err = hex ? hex_tok(v, &b, &n) : encode_obj(p, v, &b, &n, why, cap);
    if (!err && !strcmp(mode, "gzip")) {
        /* content-related or not by the packed object (a gzip'd query is still a query) */
        if (!e.has_seqno && n >= 4) {
            e.seqno = cf_next_seqno(p, ld32le(b));
            e.has_seqno = true;
        }
        size_t zcap = n + 1024, zn = 0;
        uint8_t *z = malloc(zcap);
        err = z ? gzip_packed_pack(b, n, z, zcap, &zn) : MT_E_no_memory;
        free(b);
        b = z;
        n = zn;
    }
    if (!err) {
        if (!strcmp(mode, "plain"))
            err = cf_send_plain(p, b, n, &e);
        else if (!strcmp(mode, "frame"))
            err = cf_send_payload(p, b, n, &e);
        else if (!strcmp(mode, "wire"))
            err = cf_send_wire(p, b, n, e.split);
        else
            err = cf_send_msg(p, b, n, &e);
    }
    if (err && !why[0])
        snprintf(why, cap, "send: %s", mt_err_name(err));
    free(b);
    return err;
}

/* send ... count=N: N sends, each with its own derived fields (to fill a peer's msg_id window). */
static int step_send_times(cf_peer *p, const sc_step *st, char *why, size_t cap)
{
    const sc_tok *c = sc_step_get(st, "count");
    int64_t n = 1;
    if (c && !sc_int64(c->val, &n))
        return MT_E_bad_field;
    int err = 0;
    for (int64_t k = 0; k < n && !err; k++)
        err = step_send(p, st, why, cap);
    return err;
}

static int step_handshake(cf_peer *p, const sc_step *st, const cf_opts *o, char *why, size_t cap)
{
    cf_hs_opts h = {.pub = o->pub, .key = o->key, .timeout_ns = o->timeout_ns};
    int64_t v;
    for (size_t i = 0; i < st->n; i++) {
        const sc_tok *t = &st->toks[i];
        if (!strcmp(t->key, "fault"))
            h.fault = t->val;
        else if (!strcmp(t->key, "stop"))
            h.stop = t->val;
        else if (!strcmp(t->key, "kind"))
            h.temp = !strcmp(t->val, "temp");
        else if (!strcmp(t->key, "expires") && sc_int64(t->val, &v))
            h.expires = (int32_t)v;
        else if (!strcmp(t->key, "dc") && sc_int64(t->val, &v))
            h.dc = (int32_t)v;
        else if (!strcmp(t->key, "b"))
            h.b_hex = t->val + 2; /* after 0x: checked by the parser */
        else if (!strcmp(t->key, "steer"))
            h.steer = t->val;
        else if (!strcmp(t->key, "a"))
            h.a_hex = t->val + 2;
        else if (!strcmp(t->key, "prime"))
            h.prime_hex = t->val + 2;
        else if (!strcmp(t->key, "strict"))
            h.strict = !strcmp(t->val, "1");
        else if (!strcmp(t->key, "g") && sc_int64(t->val, &v))
            h.g = (int32_t)v;
    }
    return cf_handshake(p, &h, why, cap);
}

static int step(cf_peer *p, const scenario *sc, const sc_step *st, const cf_opts *o, char *why,
                size_t cap)
{
    int64_t d = 0;
    switch (st->verb) {
    case SV_HANDSHAKE:
        return step_handshake(p, st, o, why, cap);
    case SV_SEND:
        return step_send_times(p, st, why, cap);
    case SV_EXPECT:
        return cf_expect(p, st, o->timeout_ns, why, cap);
    case SV_CLOCK:
        (void)sc_duration(st->toks[0].val, &d);
        p->skew_ns += d;
        cf_logf(p, "-- clock %s (skew now %+llds)", st->toks[0].val,
                (long long)(p->skew_ns / (int64_t)NS_PER_S));
        return 0;
    case SV_WAIT:
        (void)sc_duration(st->toks[0].val, &d);
        cf_logf(p, "-- wait %s", st->toks[0].val);
        p->tg->ops->pass(p->tg, (uint64_t)d);
        return 0;
    case SV_RECONNECT:
    case SV_TRANSPORT: {
        const sc_tok *t = sc_step_get(st, "transport");
        const char *tr = st->verb == SV_TRANSPORT ? st->toks[0].val : t ? t->val : p->transport;
        char name[32];
        snprintf(name, sizeof name, "%s", tr);
        p->tg->ops->close(p->tg);
        return cf_connect(p, name, why, cap);
    }
    case SV_SESSION: {
        cf_env e = {0};
        int err = cf_env_value(p, "session", st->toks[0].val, &e);
        p->session_id = e.session;
        p->content_sent = 0;
        cf_logf(p, "-- session %#llx", (unsigned long long)p->session_id);
        return err;
    }
    case SV_E2E:
        return cf_e2e_step(p, st, o->timeout_ns, why, cap);
    case SV_BIND: {
        const sc_tok *t = sc_step_get(st, "fault");
        return cf_bind(p, t ? t->val : NULL, why, cap);
    }
    default:
        (void)sc;
        snprintf(why, cap, "unknown step");
        return MT_E_bad_argument;
    }
}

/* Seeds differ per scenario (its name) so scenarios do not share random values by accident. */
static uint64_t scenario_seed(uint64_t seed, const char *name)
{
    uint64_t h = 1469598103934665603ull ^ seed;
    for (; *name; name++)
        h = (h ^ (uint8_t)*name) * 1099511628211ull;
    return h;
}

void cf_run_scenario(const scenario *sc, target *tg, const cf_opts *o, conform_case *c)
{
    cf_peer *p = malloc(sizeof *p);
    char why[512] = "";
    c->outcome = CO_ERROR;
    if (!p) {
        c->message = strdup("out of memory");
        return;
    }
    cf_peer_init(p, tg, sc->role == SC_ROLE_SERVER, scenario_seed(o->seed, sc->name));
    const char *tr = o->transport && !sc->transport_named ? o->transport : sc->transport;
    cf_conns cs;
    cf_conns_init(&cs, p, scenario_seed(o->seed, sc->name), tr);
    int err = cf_connect(p, tr, why, sizeof why);
    size_t i = 0;
    for (; !err && i < sc->n_steps; i++) {
        why[0] = '\0';
        cf_logf(p, "# step %zu (line %u): %s", i + 1, sc->steps[i].line,
                sc_verb_name(sc->steps[i].verb));
        if (sc->steps[i].verb == SV_CONNECTION)
            err = cf_conn_step(&cs, &sc->steps[i], why, sizeof why);
        else
            err = step(cf_conns_current(&cs), sc, &sc->steps[i], o, why, sizeof why);
        int v = cf_conns_violation(&cs, why, sizeof why);
        if (v) /* what the server sent broke a rule: that is the failure */
            err = v;
    }
    char msg[700];
    if (err && tg->unsupported) {
        c->outcome = CO_SKIP;
        c->reason = "the client under test does not support this transport (its command exited 3)";
        err = 0;
    } else if (err) {
        snprintf(msg, sizeof msg, "step %zu (line %u, %s): %s", i, sc->steps[i ? i - 1 : 0].line,
                 sc_verb_name(sc->steps[i ? i - 1 : 0].verb), why[0] ? why : mt_err_name(err));
        c->outcome = err == MT_E_mismatch || mt_rule_of(err) ? CO_FAIL : CO_ERROR;
        c->failed_rule = c->outcome == CO_FAIL && sc->n_rules ? sc->rules[0] : 0;
        if (mt_rule_of(err))
            c->failed_rule = err;
        c->message = strdup(msg);
    } else if (c->outcome != CO_SKIP) {
        c->outcome = CO_PASS;
    }
    cf_conns_free(&cs);
    c->transcript = p->log ? strdup(p->log) : NULL;
    tg->ops->close(tg);
    cf_peer_free(p);
    free(p);
}
