/*
 * The scenario runner (issue 8 "Runner"): one scenario's steps against one target, with the
 * harness's own MTProto state (harness/conform_peer.h). Virtual time and a DRBG seeded from the
 * run's seed and the scenario's name make an in-process run byte-exact.
 */
#ifndef MTPROOF_HARNESS_CONFORM_RUN_H
#define MTPROOF_HARNESS_CONFORM_RUN_H

#include "harness/conform_peer.h"
#include "harness/report.h"
#include "harness/scenario_internal.h"
#include "harness/target.h"

#define CF_DEFAULT_EXPECT_NS  (10ull * NS_PER_S) /* an expect's limit without within= */
#define CF_DEFAULT_SILENCE_NS (2ull * NS_PER_S)

typedef struct cf_opts {
    uint64_t seed;
    uint64_t timeout_ns; /* per expect: virtual in process, real over the network */
    const rsa_public *pub;
    const rsa_private *key;
    /* --transport: replaces the transport of every scenario that does not name its own */
    const char *transport;
} cf_opts;

/* Runs sc against tg (already made for the scenario's role). Fills c's outcome (pass, fail or
 * error), message, failed_rule and transcript (malloc'd). */
void cf_run_scenario(const scenario *sc, target *tg, const cf_opts *o, conform_case *c);

/* ---- the connections of one scenario (harness/conform_multi.c) ---- */
#define CF_MAX_CONNS 8
typedef struct cf_conns {
    cf_peer *v[CF_MAX_CONNS]; /* v[0]: `main`, the runner's; the others malloc'd here */
    char name[CF_MAX_CONNS][SC_CONN_NAME_MAX + 1];
    size_t n, cur;
    uint64_t seed;         /* the scenario's */
    const char *transport; /* the scenario's */
} cf_conns;
void cf_conns_init(cf_conns *cs, cf_peer *main_peer, uint64_t seed, const char *transport);
/* A `connection NAME [transport=T] [close]` step: switches to (and opens, or closes) NAME. */
MT_WUR int cf_conn_step(cf_conns *cs, const sc_step *st, char *why, size_t cap);
cf_peer *cf_conns_current(const cf_conns *cs);
/* The first rule a server broke on any connection (why says which), or 0. */
int cf_conns_violation(const cf_conns *cs, char *why, size_t cap);
/* Closes and frees every connection but main (before main's target is freed). */
void cf_conns_free(cf_conns *cs);

/* ---- used by the runner's files ---- */
sc_resolver cf_resolver(cf_peer *p);
/* One envelope override key=val into e (bad_field when malformed). */
MT_WUR int cf_env_value(cf_peer *p, const char *key, const char *val, cf_env *e);
/* An expect step: 0 when met, else MT_E_mismatch with why. */
MT_WUR int cf_expect(cf_peer *p, const sc_step *st, uint64_t timeout_ns, char *why, size_t cap);
/* The step's within=DURATION, or dflt_ns when it names none (or a malformed one). */
uint64_t cf_step_within(const sc_step *st, uint64_t dflt_ns);
/* Appends ", what" (at most max chars of it) to the list of what an expect step saw and skipped;
 * a full list (within 40 bytes of cap) is left as it is. */
void cf_seen_add(char *seen, size_t cap, const char *what, int max);

/* ---- setup queries of the client under test (harness/conform_setup.c), harness as server ---- */
/* Whether it is a query: a content-related message outside the mtproto schema (an API or relay
 * method, wrapped or not), which `expect query` takes. */
bool cf_is_query(const cf_item *it);
/* Answers it when it is a setup message (ping, ping_delay_disconnect; help.getConfig,
 * help.getNearestDc, updates.getState under any wrappers) as the relay would: true when answered.
 */
bool cf_setup_answer(cf_peer *p, const cf_item *it);
/* Answers (and drops) every setup message in the queue. */
void cf_setup_drain(cf_peer *p);

#endif
