/*
 * The handshake step as server, edge values (docs/scenarios.md "handshake"): `a=` fixes the
 * server's DH exponent, which steers g_a (harness/scenarios/edge_exponent.py finds one whose g_a
 * has leading zero bytes), and the transcript says which edges the key exchange reached — g_a or
 * the auth key with leading zero bytes (fault=key_zero steers the key there through dh_gen_retry)
 * — so a reader sees that a passing scenario really crossed the edge.
 */
#include <string.h>

#include "harness/conform_peer.h"

static size_t leading_zeros(const uint8_t *b, size_t n)
{
    size_t z = 0;
    while (z < n && b[z] == 0)
        z++;
    return z;
}

void cf_hs_log_edges(cf_peer *p, const hss *hs)
{
    hs_result r;
    if (hss_result(hs, &r) != 0)
        return;
    cf_logf(
        p,
        "-- key edges: g_a has %zu leading zero byte(s), the auth key %zu, after %u dh_gen_retry",
        leading_zeros(hs->dh.pub, DH_BYTES), leading_zeros(r.key.key, MT_AUTH_KEY_LEN), r.retries);
    hs_result_wipe(&r);
}
