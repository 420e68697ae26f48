/*
 * Expect steps (docs/scenarios.md "expect"): the next matching message within the step's time,
 * skipping others (acks, new_session_created...); or a transport error, a close, a quick ack, or
 * silence. A pattern matches an object when every field it names is equal (objects and vectors
 * compared the same way, recursively).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "harness/conform_run.h"
#include "proto/gzip.h"
#include "proto/tl_mtp.h"

static bool match(const json_t *pat, const json_t *got);

/* A relay object in the pattern where an mtproto field carries an opaque one (rpc_result.result:
 * the mtproto schema does not know relay.joinedReady): match it decoded. */
static bool match_relay(const json_t *pat, const json_t *got)
{
    json_t *r = sc_relay_of_opaque(got);
    /* An id neither schema knows stays opaque: matching it again would recurse without end. */
    const char *rn = r ? json_string_value(json_object_get(r, "_")) : NULL;
    bool ok = r && !(rn && strcmp(rn, "opaque") == 0) && match(pat, r);
    json_decref(r);
    return ok;
}

static bool match(const json_t *pat, const json_t *got)
{
    if (json_is_object(pat)) {
        const char *k;
        json_t *v;
        const char *pn = json_string_value(json_object_get(pat, "_"));
        const char *gn = json_string_value(json_object_get(got, "_"));
        if (pn && gn && strcmp(pn, "opaque") != 0 && strcmp(gn, "opaque") == 0)
            return match_relay(pat, got);
        if (!json_is_object(got))
            return false;
        json_object_foreach((json_t *)pat, k, v)
        {
            if (!match(v, json_object_get(got, k)))
                return false;
        }
        return true;
    }
    if (json_is_array(pat)) {
        if (!json_is_array(got) || json_array_size(pat) != json_array_size(got))
            return false;
        for (size_t i = 0; i < json_array_size(pat); i++)
            if (!match(json_array_get(pat, i), json_array_get(got, i)))
                return false;
        return true;
    }
    return got && json_equal(pat, got);
}

static const char *name_of(const json_t *j)
{
    const char *s = j ? json_string_value(json_object_get(j, "_")) : NULL;
    return s ? s : "?";
}

/* The item's object as JSON (gzip_packed unpacked), or NULL. */
static json_t *decode(const cf_item *it)
{
    const uint8_t *b = it->body;
    size_t n = it->len;
    if (it->kind == CF_PLAIN) {
        b += MT_PLAIN_HEADER_LEN;
        n = n > MT_PLAIN_HEADER_LEN ? n - MT_PLAIN_HEADER_LEN : 0;
    }
    uint8_t *unz = NULL;
    size_t un = 0;
    if (n >= 4 && ld32le(b) == MTP_ID_gzip_packed && (unz = malloc(CF_PAYLOAD)) != NULL &&
        gzip_packed_unpack(b, n, unz, CF_PAYLOAD, &un) == 0) {
        b = unz;
        n = un;
    }
    json_t *j = NULL;
    /* The mtproto schema first; an id it does not know (decoded as "opaque") may be the relay
     * API's (relay.join from the reference client). */
    if (tl_json_decode(tl_json_schema(NULL), b, n, &j) != 0)
        j = NULL;
    json_t *r = NULL;
    if ((!j || !strcmp(name_of(j), "opaque")) && tl_json_decode(&rly_schema, b, n, &r) == 0) {
        json_decref(j);
        j = r;
    }
    free(unz);
    return j;
}

/* The pattern of a shorthand form or an object; NULL with why on an error. */
static json_t *pattern(cf_peer *p, const sc_step *st, bool *plain, char *why, size_t cap)
{
    const char *f = st->toks[0].val;
    char txt[SC_MAX_LINE + 128];
    const char *a1 = st->n > 1 && !st->toks[1].key ? st->toks[1].val : "0";
    *plain = !strcmp(f, "plain");
    if (!strcmp(f, "bad_msg"))
        snprintf(txt, sizeof txt, "bad_msg_notification(bad_msg_id=last, error_code=%s)", a1);
    else if (!strcmp(f, "bad_server_salt"))
        snprintf(txt, sizeof txt, "bad_server_salt(bad_msg_id=last)");
    else if (!strcmp(f, "rpc_error") && st->n > 2 && !st->toks[2].key)
        snprintf(txt, sizeof txt,
                 "rpc_result(req_msg_id=last, result=rpc_error(error_code=%s, error_message=%s))",
                 a1, st->toks[2].val);
    else if (!strcmp(f, "rpc_error"))
        snprintf(txt, sizeof txt, "rpc_result(req_msg_id=last, result=rpc_error(error_code=%s))",
                 a1);
    else
        snprintf(txt, sizeof txt, "%s", *plain ? a1 : f);
    sc_resolver r = cf_resolver(p);
    json_t *j = NULL;
    char w[SC_WHY];
    if (sc_tl_parse(txt, &r, true, &j, w, sizeof w) != 0)
        snprintf(why, cap, "bad pattern %s: %s", txt, w);
    return j;
}

/* Looks through the queue (reading more while time is left) for a match of pat, or for pat NULL
 * a query (`expect query`). As server, what the step does not want is answered when it is a
 * setup message of the client (harness/conform_setup.c). */
static int find(cf_peer *p, const json_t *pat, bool plain, uint64_t timeout, char *why, size_t cap)
{
    uint64_t start = clock_now(p->tg->clock);
    char seen[1024] = "";
    for (;;) {
        while (p->nq) {
            cf_item *it = &p->q[0];
            json_t *j = (it->kind == CF_MSG && !plain) || (it->kind == CF_PLAIN && plain)
                            ? decode(it)
                            : NULL;
            bool ok = pat ? j && match(pat, j) : cf_is_query(it);
            if (ok && p->server)
                p->last_recv = it->msg_id; /* recv: the client's message this expect took */
            else if (!ok && cf_setup_answer(p, it))
                cf_logf(p, "-- (not what step waits for: answered as the relay does)");
            if (!ok && strlen(seen) < sizeof seen - 40) {
                char *d = j ? json_dumps(j, JSON_COMPACT) : NULL;
                snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%.200s",
                         seen[0] ? ", " : "",
                         it->kind == CF_TERR ? "transport error"
                         : d                 ? d
                                             : name_of(j));
                free(d);
            }
            json_decref(j);
            cf_drop(p, 0);
            if (ok)
                return 0;
        }
        uint64_t now = clock_now(p->tg->clock);
        if (p->closed || now - start >= timeout || cf_pump(p, timeout - (now - start)) != 0 ||
            (p->nq == 0 && !p->tg->virtual_time))
            break;
    }
    char *txt = pat ? json_dumps(pat, JSON_COMPACT | JSON_SORT_KEYS) : strdup("a query");
    snprintf(why, cap, "expected %s; got %s%s", txt ? txt : "?", seen[0] ? seen : "nothing",
             p->closed ? ", then a close" : "");
    free(txt);
    return MT_E_mismatch;
}

/* Messages that do not break a silence: acknowledgments and session bookkeeping. */
static bool noise(const cf_item *it)
{
    uint32_t id = it->len >= 4 ? ld32le(it->body) : 0;
    return it->kind == CF_MSG && (id == MTP_ID_msgs_ack || id == MTP_ID_new_session_created);
}

static int silence(cf_peer *p, uint64_t d, char *why, size_t cap)
{
    uint64_t start = clock_now(p->tg->clock);
    for (;;) {
        cf_setup_drain(p); /* a client's keep-alive and setup queries do not break a silence */
        for (size_t i = 0; i < p->nq; i++)
            if (!noise(&p->q[i])) {
                json_t *j = decode(&p->q[i]);
                snprintf(why, cap, "expected silence; got %s",
                         p->q[i].kind == CF_TERR ? "a transport error" : name_of(j));
                json_decref(j);
                return MT_E_mismatch;
            }
        if (p->closed) {
            snprintf(why, cap, "expected silence; the connection was closed");
            return MT_E_mismatch;
        }
        uint64_t now = clock_now(p->tg->clock);
        if (now - start >= d)
            return 0;
        size_t before = p->nq;
        if (cf_pump(p, d - (now - start)) != 0)
            return MT_E_io_error;
        if (p->nq == before && !p->closed && !p->tg->virtual_time)
            return 0;
    }
}

/* A queued item of this kind (and code, for transport errors), waiting while time is left. */
static int find_kind(cf_peer *p, cf_kind kind, bool any_code, int32_t code, uint64_t timeout,
                     char *why, size_t cap)
{
    uint64_t start = clock_now(p->tg->clock);
    for (;;) {
        for (size_t i = 0; i < p->nq; i++)
            if (p->q[i].kind == kind && (any_code || p->q[i].code == code)) {
                cf_drop(p, i);
                return 0;
            }
        uint64_t now = clock_now(p->tg->clock);
        size_t before = p->nq;
        if (p->closed || now - start >= timeout || cf_pump(p, timeout - (now - start)) != 0 ||
            (p->nq == before && !p->closed && !p->tg->virtual_time))
            break;
    }
    int32_t got = 0;
    for (size_t i = 0; i < p->nq; i++)
        if (p->q[i].kind == CF_TERR)
            got = p->q[i].code;
    if (kind == CF_TERR && got)
        snprintf(why, cap, "expected transport error %d; got %d", code, got);
    else
        snprintf(why, cap, "expected %s; got %s",
                 kind == CF_TERR ? "a transport error" : "a quick ack",
                 p->closed ? "a close"
                 : p->nq   ? "other messages"
                           : "nothing");
    return MT_E_mismatch;
}

static int closed(cf_peer *p, uint64_t timeout, char *why, size_t cap)
{
    uint64_t start = clock_now(p->tg->clock);
    while (!p->closed) {
        cf_setup_drain(p); /* a client still asking gets its answers: its close is its own */
        uint64_t now = clock_now(p->tg->clock);
        size_t before = p->nq;
        if (now - start >= timeout || cf_pump(p, timeout - (now - start)) != 0 ||
            (p->nq == before && !p->closed && !p->tg->virtual_time))
            break;
    }
    if (p->closed)
        return 0;
    snprintf(why, cap, "expected a close; the connection stayed open");
    return MT_E_mismatch;
}

int cf_expect(cf_peer *p, const sc_step *st, uint64_t timeout, char *why, size_t cap)
{
    const sc_tok *w = sc_step_get(st, "within");
    int64_t d;
    if (w && sc_duration(w->val, &d))
        timeout = (uint64_t)d;
    const char *f = st->toks[0].val;
    int64_t code = 0;
    if (st->n > 1 && !st->toks[1].key)
        (void)sc_int64(st->toks[1].val, &code);
    if (!strcmp(f, "close"))
        return closed(p, timeout, why, cap);
    if (!strcmp(f, "transport_error"))
        return find_kind(p, CF_TERR, false, (int32_t)code, timeout, why, cap);
    if (!strcmp(f, "quick_ack"))
        return find_kind(p, CF_QACK, true, 0, timeout, why, cap);
    if (!strcmp(f, "silence")) {
        uint64_t dur = CF_DEFAULT_SILENCE_NS;
        if (st->n > 1 && !st->toks[1].key && sc_duration(st->toks[1].val, &d))
            dur = (uint64_t)d;
        return silence(p, dur, why, cap);
    }
    if (!strcmp(f, "no_close")) {
        int err = silence(p, w ? timeout : CF_DEFAULT_SILENCE_NS, why, cap);
        return p->closed ? err : 0;
    }
    if (!strcmp(f, "query"))
        return find(p, NULL, false, timeout, why, cap);
    bool plain;
    json_t *pat = pattern(p, st, &plain, why, cap);
    if (!pat)
        return MT_E_bad_field;
    int err = find(p, pat, plain, timeout, why, cap);
    json_decref(pat);
    return err;
}
