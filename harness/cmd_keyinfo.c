/* mtproof keyinfo FILE: the form, size and MTProto fingerprint of an RSA key in PEM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/ct.h"
#include "common/hex.h"
#include "crypto/rsa.h"
#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/keyfile.h"

/* Explains a key-loading error the way a user can act on it. */
static int explain(const char *path, int err, const char *label, size_t off)
{
    const char *msg = mt_err_message(err);
    switch (err) {
    case MT_E_pem_not_pem:
        return cli_err(CLI_FAIL, "keyinfo",
                       "%s: not PEM (no -----BEGIN ...----- / -----END ...----- armor)", path);
    case MT_E_pem_unknown_label:
        return cli_err(
            CLI_FAIL, "keyinfo",
            "%s: unknown PEM label '%s' (expected RSA PUBLIC KEY, PUBLIC KEY, RSA PRIVATE "
            "KEY or PRIVATE KEY)",
            path, label);
    case MT_E_key_not_rsa:
        return cli_err(CLI_FAIL, "keyinfo", "%s: not an RSA key (at DER offset %zu): %s", path, off,
                       msg);
    case MT_E_key_inconsistent:
        return cli_err(CLI_FAIL, "keyinfo", "%s: inconsistent private key: %s", path, msg);
    case MT_E_der_bad_tag:
    case MT_E_der_bad_length:
    case MT_E_der_bad_integer:
    case MT_E_der_bad_value:
    case MT_E_truncated:
    case MT_E_trailing_data:
        if (label[0])
            return cli_err(CLI_FAIL, "keyinfo", "%s: bad DER at offset %zu: %s", path, off, msg);
        break;
    default:
        break;
    }
    return cli_err(CLI_FAIL, "keyinfo", "%s: %s (%s)", path, msg, mt_err_name(err));
}

/* Loads the key: the public half always, the private one (with its check) for private forms. */
static int load(const char *text, size_t len, rsa_private *k, rsa_key_form *form, char *label,
                size_t *off)
{
    uint8_t der[PEM_MAX_DER];
    rsa_key_der v;
    size_t n = 0;
    int err = pem_decode(text, len, label, der, sizeof der, &n);
    if (!err)
        err = rsa_form_from_label(label, form);
    if (!err)
        err = rsa_der_parse(*form, der, n, &v, off);
    if (!err && rsa_form_is_private(*form))
        err = rsa_private_init(k, &v, rng_os());
    else if (!err)
        err = rsa_public_init(&k->pub, v.n.p, v.n.len, v.e.p, v.e.len);
    ct_wipe(der, sizeof der);
    ct_wipe(&v, sizeof v);
    return err;
}

int cmd_keyinfo(int argc, char **argv)
{
    if (argc != 2)
        return cli_err(CLI_USAGE, "keyinfo", "usage: mtproof keyinfo FILE");
    static char text[PEM_MAX_TEXT + 1];
    size_t len;
    int rc = keyfile_read(argv[1], text, sizeof text, &len, "keyinfo");
    if (rc)
        return rc;
    static rsa_private k;
    memset(&k, 0, sizeof k);
    rsa_key_form form = RSA_FORM_PKCS1_PUBLIC;
    char label[PEM_LABEL_MAX + 1] = "";
    size_t off = 0;
    int err = load(text, len, &k, &form, label, &off);
    ct_wipe(text, sizeof text);
    if (err) {
        rsa_private_wipe(&k);
        return explain(argv[1], err, label, off);
    }
    uint8_t fp[RSA_FINGERPRINT_LEN];
    char fp_hex[2 * RSA_FINGERPRINT_LEN + 1];
    rsa_fingerprint(&k.pub, fp);
    hex_encode(fp, sizeof fp, fp_hex);
    printf("file:        %s\n", argv[1]);
    printf("form:        %s (%s, \"%s\")\n", rsa_form_name(form),
           rsa_form_is_private(form) ? "private" : "public", rsa_form_label(form));
    printf("bits:        %zu\n", k.pub.bits);
    printf("fingerprint: 0x%016llx (wire bytes %s)\n",
           (unsigned long long)rsa_fingerprint_u64(&k.pub), fp_hex);
    rsa_private_wipe(&k);
    return CLI_OK;
}
