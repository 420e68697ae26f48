/* mtproof keygen --out FILE [--force]: a new RSA-2048 private key (PKCS#1 PEM, mode 0600). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/ct.h"
#include "common/hex.h"
#include "crypto/rsa.h"
#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/keyfile.h"

int cmd_keygen(int argc, char **argv)
{
    const char *out = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--force") == 0)
            force = true;
        else
            return cli_err(CLI_USAGE, "keygen",
                           "unexpected argument '%s' (usage: mtproof keygen "
                           "--out FILE [--force])",
                           argv[i]);
    }
    if (!out)
        return cli_err(CLI_USAGE, "keygen", "--out FILE is required");
    static rsa_private k;
    static char pem[PEM_MAX_TEXT];
    size_t len = 0;
    int err = rsa_generate(&k, RSA_KEYGEN_BITS, rng_os());
    if (!err)
        err = rsa_private_to_pem(&k, RSA_FORM_PKCS1_PRIVATE, pem, sizeof pem, &len);
    if (err) {
        rsa_private_wipe(&k);
        return cli_err(CLI_ERROR, "keygen", "key generation failed: %s", mt_err_message(err));
    }
    int rc = keyfile_write_private(out, pem, len, force, "keygen");
    ct_wipe(pem, sizeof pem);
    if (rc == 0) {
        uint8_t fp[RSA_FINGERPRINT_LEN];
        char fp_hex[2 * RSA_FINGERPRINT_LEN + 1];
        rsa_fingerprint(&k.pub, fp);
        hex_encode(fp, sizeof fp, fp_hex);
        printf("wrote %s: RSA-%zu private key (PKCS#1 PEM, mode 0600)\n", out, k.pub.bits);
        printf("fingerprint: 0x%016llx (wire bytes %s)\n",
               (unsigned long long)rsa_fingerprint_u64(&k.pub), fp_hex);
    }
    rsa_private_wipe(&k);
    return rc;
}
