#include "crypto/rsa_asn1.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/der.h"

const uint8_t RSA_OID_RSA_ENCRYPTION[9] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

static const char *const FORM_LABEL[] = {"RSA PUBLIC KEY", "PUBLIC KEY", "RSA PRIVATE KEY",
                                         "PRIVATE KEY"};
static const char *const FORM_NAME[] = {"PKCS#1 public key", "SPKI public key",
                                        "PKCS#1 private key", "PKCS#8 private key"};

bool rsa_form_is_private(rsa_key_form f)
{
    return f == RSA_FORM_PKCS1_PRIVATE || f == RSA_FORM_PKCS8;
}

const char *rsa_form_label(rsa_key_form f)
{
    return (unsigned)f < 4 ? FORM_LABEL[f] : "?";
}

const char *rsa_form_name(rsa_key_form f)
{
    return (unsigned)f < 4 ? FORM_NAME[f] : "?";
}

int rsa_form_from_label(const char *label, rsa_key_form *f)
{
    for (unsigned i = 0; i < 4; i++)
        if (strcmp(label, FORM_LABEL[i]) == 0) {
            *f = (rsa_key_form)i;
            return 0;
        }
    return MT_E_pem_unknown_label;
}

/* ---- reading ---- */

static rsa_int read_int(der_rd *d)
{
    rsa_int v;
    v.p = der_uint(d, &v.len);
    return v;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static void read_pkcs1_public(der_rd *d, rsa_key_der *k)
{
    der_rd s = der_enter(d, DER_TAG_SEQUENCE);
    k->n = read_int(&s);
    k->e = read_int(&s);
    der_end(&s);
}

/* RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dP, dQ, qInv, otherPrimeInfos OPTIONAL };
 * RFC 8017 A.1.2: "version shall be 0 ... if there are only two primes". */
static void read_pkcs1_private(der_rd *d, rsa_key_der *k)
{
    der_rd s = der_enter(d, DER_TAG_SEQUENCE);
    const uint8_t *at = s.r.p;
    if (der_small_uint(&s) != 0 && !s.st->err) {
        der_fail_at(&s, at, MT_E_der_bad_value);
    }
    k->n = read_int(&s);
    k->e = read_int(&s);
    k->d = read_int(&s);
    k->p = read_int(&s);
    k->q = read_int(&s);
    k->dp = read_int(&s);
    k->dq = read_int(&s);
    k->qinv = read_int(&s);
    der_end(&s);
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters NULL } for rsaEncryption. */
static void read_rsa_algorithm(der_rd *d)
{
    der_rd a = der_enter(d, DER_TAG_SEQUENCE);
    const uint8_t *at = a.r.p;
    if (!der_oid_is(&a, RSA_OID_RSA_ENCRYPTION, sizeof RSA_OID_RSA_ENCRYPTION) && !a.st->err) {
        der_fail_at(&a, at, MT_E_key_not_rsa);
    }
    der_null(&a);
    der_end(&a);
}

static void read_spki(der_rd *d, rsa_key_der *k)
{
    der_rd s = der_enter(d, DER_TAG_SEQUENCE);
    read_rsa_algorithm(&s);
    der_rd bits = der_bit_string(&s);
    read_pkcs1_public(&bits, k);
    der_end(&bits);
    der_end(&s);
}

static void read_pkcs8(der_rd *d, rsa_key_der *k)
{
    der_rd s = der_enter(d, DER_TAG_SEQUENCE);
    const uint8_t *at = s.r.p;
    if (der_small_uint(&s) != 0 && !s.st->err) {
        der_fail_at(&s, at, MT_E_der_bad_value); /* v2 (OneAsymmetricKey, RFC 5958) is not read */
    }
    read_rsa_algorithm(&s);
    der_rd os = der_enter(&s, DER_TAG_OCTET_STRING);
    read_pkcs1_private(&os, k);
    der_end(&os);
    der_end(&s); /* attributes [0] would be trailing data */
}

int rsa_der_parse(rsa_key_form form, const uint8_t *der, size_t n, rsa_key_der *out,
                  size_t *err_off)
{
    memset(out, 0, sizeof *out);
    out->form = form;
    der_status st;
    der_rd d = der_reader(der, n, &st);
    switch (form) {
    case RSA_FORM_PKCS1_PUBLIC:
        read_pkcs1_public(&d, out);
        break;
    case RSA_FORM_SPKI:
        read_spki(&d, out);
        break;
    case RSA_FORM_PKCS1_PRIVATE:
        read_pkcs1_private(&d, out);
        break;
    case RSA_FORM_PKCS8:
        read_pkcs8(&d, out);
        break;
    default:
        return MT_E_bad_argument;
    }
    int err = der_done(&d);
    if (err_off)
        *err_off = err ? st.off : 0;
    if (err) {
        memset(out, 0, sizeof *out);
        out->form = form;
    }
    return err;
}

int rsa_pem_parse(const char *text, size_t len, uint8_t *der, size_t cap, rsa_key_der *out,
                  size_t *err_off)
{
    memset(out, 0, sizeof *out);
    if (err_off)
        *err_off = 0;
    char label[PEM_LABEL_MAX + 1];
    size_t n;
    int err = pem_decode(text, len, label, der, cap, &n);
    if (err)
        return err;
    rsa_key_form form;
    err = rsa_form_from_label(label, &form);
    if (!err)
        err = rsa_der_parse(form, der, n, out, err_off);
    if (err)
        ct_wipe(der, n);
    return err;
}

/* ---- writing ---- */

static void write_pkcs1_public(mt_wr *w, const rsa_key_der *k)
{
    size_t m = der_wr_begin(w, DER_TAG_SEQUENCE);
    der_wr_uint(w, k->n.p, k->n.len);
    der_wr_uint(w, k->e.p, k->e.len);
    der_wr_end(w, m);
}

static void write_pkcs1_private(mt_wr *w, const rsa_key_der *k)
{
    size_t m = der_wr_begin(w, DER_TAG_SEQUENCE);
    der_wr_small_uint(w, 0);
    const rsa_int *v[] = {&k->n, &k->e, &k->d, &k->p, &k->q, &k->dp, &k->dq, &k->qinv};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        der_wr_uint(w, v[i]->p, v[i]->len);
    der_wr_end(w, m);
}

static void write_rsa_algorithm(mt_wr *w)
{
    size_t m = der_wr_begin(w, DER_TAG_SEQUENCE);
    der_wr_oid(w, RSA_OID_RSA_ENCRYPTION, sizeof RSA_OID_RSA_ENCRYPTION);
    der_wr_null(w);
    der_wr_end(w, m);
}

static void write_form(mt_wr *w, const rsa_key_der *k)
{
    size_t m, inner;
    switch (k->form) {
    case RSA_FORM_PKCS1_PUBLIC:
        write_pkcs1_public(w, k);
        break;
    case RSA_FORM_SPKI:
        m = der_wr_begin(w, DER_TAG_SEQUENCE);
        write_rsa_algorithm(w);
        inner = der_wr_begin(w, DER_TAG_BIT_STRING);
        wr_u8(w, 0); /* no unused bits */
        write_pkcs1_public(w, k);
        der_wr_end(w, inner);
        der_wr_end(w, m);
        break;
    case RSA_FORM_PKCS1_PRIVATE:
        write_pkcs1_private(w, k);
        break;
    case RSA_FORM_PKCS8:
        m = der_wr_begin(w, DER_TAG_SEQUENCE);
        der_wr_small_uint(w, 0);
        write_rsa_algorithm(w);
        inner = der_wr_begin(w, DER_TAG_OCTET_STRING);
        write_pkcs1_private(w, k);
        der_wr_end(w, inner);
        der_wr_end(w, m);
        break;
    default:
        w->err = MT_E_bad_argument;
    }
}

int rsa_der_write(const rsa_key_der *k, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    mt_wr w = wr_init(out, cap);
    write_form(&w, k);
    if (w.err) {
        ct_wipe(out, cap);
        return w.err;
    }
    *out_len = wr_len(&w);
    return 0;
}

int rsa_pem_write(const rsa_key_der *k, char *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    uint8_t der[PEM_MAX_DER];
    size_t n;
    int err = rsa_der_write(k, der, sizeof der, &n);
    if (!err)
        err = pem_encode(rsa_form_label(k->form), der, n, out, cap, out_len);
    ct_wipe(der, sizeof der);
    return err;
}
