/*
 * Target: the obfuscated2 server side (proto/transport_obf2.c: obf2_server_accept,
 * mt_obf2_derive, mt_obf2_init_forbidden; then the framing chosen by the init's tag) fed arbitrary
 * bytes. Input: byte 0 bit 0 selects an MTProxy secret, the rest picks the chunking; then the
 * stream. Properties: no crash; events, final error and the learned kind do not depend on the
 * split of the input; a rejected init is one of the obfuscated2 rules.
 */
#include "fuzz/transport_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_check(FZ_OBF2, MT_TRANSPORT_AUTO, data, size);
    if (size < 1 + MT_OBF2_INIT_LEN)
        return 0;
    mt_transport_role role = (data[0] & 1) ? MT_ROLE_CLIENT : MT_ROLE_SERVER;
    fz_summary s = fz_run(FZ_OBF2, MT_TRANSPORT_AUTO, role, data + 1, MT_OBF2_INIT_LEN, 0, 0);
    bool forbidden = mt_obf2_init_forbidden(data + 1);
    if (forbidden != (s.err == MT_E_OBF2_FORBIDDEN_INIT))
        abort();
    if (!forbidden && s.err != MT_OK && s.err != MT_E_OBF2_BAD_TAG)
        abort();
    return 0;
}
