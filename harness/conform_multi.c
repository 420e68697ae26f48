/*
 * Several connections in one scenario (docs/scenarios.md "connection"): the harness as client
 * keeps one cf_peer per named connection (its own transport, auth key, session, msg_ids and
 * queue of what came back), each on its own connection of the target (target_ops.another), so
 * an `expect` on one never takes a message of another. The first connection is `main`; every
 * other step acts on the current one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/conform_run.h"

void cf_conns_init(cf_conns *cs, cf_peer *main_peer, uint64_t seed, const char *transport)
{
    memset(cs, 0, sizeof *cs);
    cs->v[0] = main_peer;
    snprintf(cs->name[0], sizeof cs->name[0], "main");
    cs->n = 1;
    cs->seed = seed;
    cs->transport = transport;
}

static uint64_t conn_seed(uint64_t seed, const char *name)
{
    uint64_t h = seed ^ 0x636f6e6e00000000ull;
    for (; *name; name++)
        h = (h ^ (uint8_t)*name) * 1099511628211ull;
    return h;
}

/* A new connection named name, opened with transport (NULL: the scenario's). */
static int conn_new(cf_conns *cs, const char *name, const char *transport, char *why, size_t cap)
{
    cf_peer *main_peer = cs->v[0];
    target *sub = NULL;
    if (cs->n == CF_MAX_CONNS) {
        snprintf(why, cap, "more than %d connections", CF_MAX_CONNS);
        return MT_E_limit_exceeded;
    }
    if (!main_peer->tg->ops->another) {
        snprintf(why, cap, "this target has one connection (%s)", main_peer->tg->desc);
        return MT_E_bad_argument;
    }
    cf_peer *p = malloc(sizeof *p);
    int err = p ? main_peer->tg->ops->another(main_peer->tg, &sub) : MT_E_no_memory;
    if (err) {
        free(p);
        snprintf(why, cap, "another connection: %s", mt_err_name(err));
        return err;
    }
    cf_peer_init(p, sub, false, conn_seed(cs->seed, name));
    p->log_to = main_peer;
    snprintf(p->tag, sizeof p->tag, "%s", name);
    snprintf(cs->name[cs->n], sizeof cs->name[0], "%s", name);
    cs->v[cs->n] = p;
    cs->cur = cs->n++;
    return cf_connect(p, transport ? transport : cs->transport, why, cap);
}

int cf_conn_step(cf_conns *cs, const sc_step *st, char *why, size_t cap)
{
    const char *name = st->toks[0].val;
    const sc_tok *tr = sc_step_get(st, "transport");
    bool closing = false;
    for (size_t i = 1; i < st->n; i++)
        closing |= !st->toks[i].key && strcmp(st->toks[i].val, "close") == 0;
    for (size_t i = 0; i < cs->n; i++) {
        if (strcmp(cs->name[i], name) != 0)
            continue;
        cs->cur = i;
        cf_peer *p = cs->v[i];
        if (tr) { /* a known connection with a transport: a new connection in it */
            char t[32];
            snprintf(t, sizeof t, "%s", tr->val);
            p->tg->ops->close(p->tg);
            return cf_connect(p, t, why, cap);
        }
        cf_logf(p, closing ? "-- connection %s: the harness closes it" : "-- connection %s", name);
        if (closing) {
            p->tg->ops->close(p->tg);
            p->connected = false;
            p->closed = true;
        }
        return 0;
    }
    if (closing) {
        snprintf(why, cap, "no connection '%s' to close", name);
        return MT_E_bad_argument;
    }
    return conn_new(cs, name, tr ? tr->val : NULL, why, cap);
}

cf_peer *cf_conns_current(const cf_conns *cs)
{
    return cs->v[cs->cur];
}

int cf_conns_violation(const cf_conns *cs, char *why, size_t cap)
{
    for (size_t i = 0; i < cs->n; i++)
        if (cs->v[i]->violation) {
            if (i == 0)
                snprintf(why, cap, "%s", cs->v[i]->vwhy);
            else
                snprintf(why, cap, "connection %s: %s", cs->name[i], cs->v[i]->vwhy);
            return cs->v[i]->violation;
        }
    return 0;
}

void cf_conns_free(cf_conns *cs)
{
    for (size_t i = cs->n; i-- > 1;) {
        cf_peer *p = cs->v[i];
        target *t = p->tg;
        t->ops->close(t);
        cf_peer_free(p);
        free(p);
        t->ops->free(t);
    }
    cs->n = 1;
    cs->cur = 0;
}
