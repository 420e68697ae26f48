/*
 * `e2e expect KIND [field=value...]` and `e2e expect abort RULE` (docs/scenarios.md "e2e"): what
 * the client sends back to its room peer through relay.send, decrypted with the chat key, or
 * its visible reaction to a fatal rule. Envelopes that do not match are skipped (after the
 * harness has taken their seq numbers and re-key answers into account), like `expect` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/hex.h"
#include "common/rules.h"
#include "harness/conform_e2e.h"

/* KIND -> the envelope's or the layer action's constructor name. */
static const struct {
    const char *kind, *name;
} kinds[] = {
    {"request", "e2e.request"},
    {"accept", "e2e.accept"},
    {"discard", "e2e.discard"},
    {"text", "decryptedMessage"},
    {"noop", "decryptedMessageActionNoop"},
    {"resend", "decryptedMessageActionResend"},
    {"notify_layer", "decryptedMessageActionNotifyLayer"},
    {"request_key", "decryptedMessageActionRequestKey"},
    {"accept_key", "decryptedMessageActionAcceptKey"},
    {"commit_key", "decryptedMessageActionCommitKey"},
    {"abort_key", "decryptedMessageActionAbortKey"},
    {"any", "*"},
};

static const char *ctor(const json_t *j)
{
    const char *s = j ? json_string_value(json_object_get(j, "_")) : NULL;
    return s ? s : "";
}

/* The client accepted the harness's re-key: the new key from its g_b, checked against its
 * key_fingerprint (E2E_REKEY_FINGERPRINT from the client's side is a failure of the client). */
static int take_accept_key(cf_e2e *e, const json_t *act, char *why, size_t cap)
{
    const char *id = json_string_value(json_object_get(act, "exchange_id"));
    const char *fp = json_string_value(json_object_get(act, "key_fingerprint"));
    int64_t idv = 0, fpv = 0;
    uint8_t g_b[DH_BYTES + 8];
    size_t n = 0;
    if (!e->has_rk || !id || !sc_int64(id, &idv) || idv != e->rk_id)
        return 0;
    if (!cf_e2e_json_bytes(act, "g_b", g_b, sizeof g_b, &n))
        return MT_E_bad_field;
    int err = dh_compute_key(&e->rk_dh, g_b, n, DH_VALUE_GB, e->new_key);
    if (!err && (!fp || !sc_int64(fp, &fpv) || fpv != e2e_key_fingerprint(e->new_key)))
        err = MT_E_E2E_REKEY_FINGERPRINT;
    if (err)
        snprintf(why, cap, "the client's AcceptKey: %s", mt_err_name(err));
    e->has_new = !err;
    dh_wipe(&e->rk_dh);
    e->has_rk = false;
    return err;
}

/* One field of a pattern against the JSON value got (tl_print_json's forms: ints as numbers,
 * longs as decimal strings, strings and bytes as hex). */
static bool field_eq(const json_t *got, const char *want)
{
    int64_t w;
    if (json_is_integer(got))
        return sc_int64(want, &w) && w == json_integer_value(got);
    const char *s = json_string_value(got);
    if (!s)
        return false;
    size_t n = strlen(want);
    if (n >= 2 && want[0] == '"') {
        char *h = malloc(2 * n + 1);
        bool eq = h && (hex_encode((const uint8_t *)want + 1, n - 2, h), strcmp(h, s) == 0);
        free(h);
        return eq;
    }
    int64_t g;
    if (sc_int64(want, &w) && sc_int64(s, &g) && strncmp(want, "0x", 2) != 0)
        return w == g;
    return strcmp(want + (strncmp(want, "0x", 2) ? 0 : 2), s) == 0;
}

/* Whether env/layer is what st asks for: the kind, then every field=value (looked up in the
 * action, the message, the layer, the envelope). */
static bool matches(const sc_step *st, const char *name, const json_t *env, const json_t *layer)
{
    const json_t *msg = layer ? json_object_get(layer, "message") : NULL;
    const json_t *act = msg ? json_object_get(msg, "action") : NULL;
    const char *got = act ? ctor(act) : msg ? ctor(msg) : ctor(env);
    if (strcmp(name, "*") != 0 && strcmp(name, got) != 0)
        return false;
    for (size_t i = 2; i < st->n; i++) {
        const sc_tok *t = &st->toks[i];
        if (!t->key || !strcmp(t->key, "within"))
            continue;
        const json_t *v = NULL;
        const json_t *where[] = {act, msg, layer, env};
        for (size_t k = 0; k < 4 && !v; k++)
            v = where[k] ? json_object_get(where[k], t->key) : NULL;
        if (!v || !field_eq(v, t->val))
            return false;
    }
    return true;
}

static void note_seen(char *seen, size_t cap, const json_t *env, const json_t *layer)
{
    const json_t *msg = layer ? json_object_get(layer, "message") : NULL;
    const json_t *act = msg ? json_object_get(msg, "action") : NULL;
    char *d = json_dumps(act ? act : msg ? msg : env, JSON_COMPACT);
    cf_seen_add(seen, cap, d ? d : "?", 160);
    free(d);
}

/* The client's visible reaction to a fatal rule: it closes (after an e2e.discard naming the
 * rule, when it sends one). An in-process target also says which rule it saw broken. */
static int expect_abort(cf_peer *p, const sc_step *st, uint64_t timeout, char *why, size_t cap)
{
    int rule = sc_rule_by_id(st->toks[2].val);
    for (;;) {
        json_t *env = NULL, *layer = NULL;
        int err = cf_e2e_next(p, timeout, &env, &layer, why, cap);
        const char *reason = json_string_value(json_object_get(env, "reason"));
        char want[2 * 64 + 1];
        const char *id = mt_err_name(rule);
        hex_encode((const uint8_t *)id, strlen(id) < 64 ? strlen(id) : 64, want);
        bool other = !strcmp(ctor(env), "e2e.discard") && reason && strcmp(reason, want) != 0;
        json_decref(env);
        json_decref(layer);
        if (other) {
            snprintf(why, cap, "the client discarded the chat for another reason than %s", id);
            return MT_E_mismatch;
        }
        if (err && p->closed)
            break;
        if (err) {
            snprintf(why, cap, "expected the client to end the chat (%s) and close; %s", id,
                     "the connection stayed open");
            return MT_E_mismatch;
        }
    }
    if (p->tg->peer_rule && p->tg->peer_rule != rule) {
        snprintf(why, cap, "the client closed naming %s, not %s", mt_err_name(p->tg->peer_rule),
                 mt_err_name(rule));
        return MT_E_mismatch;
    }
    cf_logf(p, "-- the client closed (%s)",
            p->tg->peer_rule ? mt_err_name(p->tg->peer_rule) : "rule not named by the target");
    return 0;
}

int cf_e2e_expect(cf_peer *p, const sc_step *st, uint64_t timeout, char *why, size_t cap)
{
    timeout = cf_step_within(st, timeout);
    const char *kind = st->toks[1].val;
    if (!strcmp(kind, "abort"))
        return expect_abort(p, st, timeout, why, cap);
    const char *name = "*";
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].kind, kind))
            name = kinds[i].name;
    char seen[768] = "";
    uint64_t start = clock_now(p->tg->clock);
    for (;;) {
        uint64_t spent = clock_now(p->tg->clock) - start;
        json_t *env = NULL, *layer = NULL;
        char w2[256] = "";
        int err =
            cf_e2e_next(p, spent < timeout ? timeout - spent : 0, &env, &layer, w2, sizeof w2);
        const json_t *msg = layer ? json_object_get(layer, "message") : NULL;
        const json_t *act = msg ? json_object_get(msg, "action") : NULL;
        if (!err && !strcmp(ctor(act), "decryptedMessageActionAcceptKey"))
            err = take_accept_key(p->e2e, act, w2, sizeof w2);
        bool ok = !err && matches(st, name, env, layer);
        if (!err && !ok)
            note_seen(seen, sizeof seen, env, layer);
        json_decref(env);
        json_decref(layer);
        if (ok)
            return 0;
        if (err) {
            snprintf(why, cap, "expected e2e %s; %s%s%s", kind, seen[0] ? "got " : "", seen,
                     seen[0] ? ", then " : "");
            snprintf(why + strlen(why), cap - strlen(why), "%s", w2);
            return err == MT_E_mismatch || mt_rule_of(err) ? err : MT_E_mismatch;
        }
    }
}
