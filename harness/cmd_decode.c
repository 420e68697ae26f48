/*
 * `mtproof decode [--as tl|packet|transport] [--schema mtproto|secret] [--json]
 *  [--auth-key HEX|FILE --x 0|8] (HEX | - | --file F)`: prints hex input as a readable tree with
 * byte offsets, or says where and why decoding stopped. This file reads the input and does the
 * TL mode; harness/cmd_decode_packet.c the packet and transport modes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/decode.h"
#include "harness/tl_json.h"
#include "harness/tl_tree.h"

const char cmd_decode_usage[] =
    "usage: mtproof decode [--as tl|packet|transport] [--schema mtproto|secret] [--json]\n"
    "                      [--auth-key HEX|FILE --x 0|8] (HEX | - | --file FILE)\n"
    "\n"
    "Reads hex (an argument, '-' for stdin, or --file; whitespace and a 0x prefix are ignored)\n"
    "and prints it as a tree with byte offsets (hex, from the start of the input):\n"
    "  --as tl         one boxed TL object (default; --schema secret for secret-chat payloads)\n"
    "  --as packet     an MTProto packet: auth_key_id 0 is an unencrypted message (msg_id,\n"
    "                  length, TL body); otherwise auth_key_id and msg_key, and with --auth-key\n"
    "                  (256 bytes: hex, or a file holding hex or raw bytes) and --x (0: client to\n"
    "                  server, 8: server to client) the decrypted inner message\n"
    "  --as transport  a transport byte stream (abridged, intermediate, padded intermediate or\n"
    "                  full, detected from its first bytes); each frame decoded as a packet\n"
    "--json prints one JSON object instead. Input that does not decode gets the byte offset where\n"
    "decoding stopped and why (the error name and message).\n"
    "Exit status: 0 decoded, 1 the input does not decode, 2 bad usage or bad hex, 3 unreadable.\n";

/* Hex text -> bytes: whitespace anywhere, an optional 0x prefix. */
static int parse_hex(const char *text, size_t n, uint8_t **out, size_t *len)
{
    char *digits = malloc(n + 1);
    if (!digits)
        return MT_E_no_memory;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k == 0 && text[i] == '0' && i + 1 < n && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            i++;
            continue;
        }
        if (!isspace((unsigned char)text[i]))
            digits[k++] = text[i];
    }
    *out = malloc(k / 2 + 1);
    int err = *out ? hex_decode(digits, k, *out, k / 2 + 1, len) : MT_E_no_memory;
    free(digits);
    if (err) {
        free(*out);
        *out = NULL;
    }
    return err;
}

/* Reads all of f (at most max bytes). */
static int read_all(FILE *f, size_t max, char **out, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = cap < max ? realloc(buf, cap * 2) : NULL;
        if (!bigger) {
            free(buf);
            return cap < max ? MT_E_no_memory : MT_E_limit_exceeded;
        }
        buf = bigger;
        cap *= 2;
    }
    if (!buf)
        return MT_E_no_memory;
    if (ferror(f)) {
        free(buf);
        return MT_E_io_error;
    }
    *out = buf;
    *len = n;
    return MT_OK;
}

/* The input as bytes, from the argument, stdin ("-") or a file. Returns an exit code. */
static int load_input(const char *arg, const char *file, uint8_t **data, size_t *len)
{
    char *text = NULL;
    size_t n = 0;
    if (file || strcmp(arg, "-") == 0) {
        FILE *f = file ? fopen(file, "rb") : stdin;
        int err = f ? read_all(f, 2 * DECODE_MAX_INPUT + 4096, &text, &n) : MT_E_io_error;
        if (f && file)
            fclose(f);
        if (err)
            return cli_err(CLI_ERROR, "decode", "cannot read %s: %s", file ? file : "stdin",
                           mt_err_message(err));
    }
    int err = parse_hex(text ? text : arg, text ? n : strlen(arg), data, len);
    free(text);
    if (err == MT_E_no_memory)
        return cli_err(CLI_ERROR, "decode", "out of memory");
    if (err)
        return cli_err(CLI_USAGE, "decode", "the input is not hex (%s)", mt_err_message(err));
    return CLI_OK;
}

int decode_tl_part(const decode_opts *o, const uint8_t *base, const uint8_t *data, size_t len,
                   unsigned indent, json_t *out, size_t *err_at)
{
    *err_at = 0;
    int err = tl_tree_print(o->schema, base, data, len, o->json ? NULL : stdout, indent, err_at);
    /* The tree walker finds where decoding stops; tl_decode is the authority on whether it does.
     * They must agree (fuzz/fuzz_tl_tree.c checks it); say so loudly if they do not. */
    json_t *v = NULL;
    int derr = tl_json_decode(o->schema, data, len, &v);
    if (derr != err && derr != MT_E_no_memory)
        fprintf(stderr, "mtproof decode: internal disagreement: tree walker %s, decoder %s\n",
                mt_err_name(err), mt_err_name(derr));
    if (!derr && out && json_object_set_new(out, "value", v) != 0)
        derr = MT_E_no_memory;
    else if (!out)
        json_decref(v);
    return derr ? derr : err;
}

void decode_report(const decode_opts *o, json_t *obj, int err, size_t at)
{
    if (o->json && obj) {
        json_object_set_new(obj, "error", json_string(mt_err_name(err)));
        json_object_set_new(obj, "message", json_string(mt_err_message(err)));
        json_object_set_new(obj, "offset", json_integer((json_int_t)at));
        return;
    }
    fprintf(stderr, "mtproof decode: stopped at byte offset %zu (0x%zx): %s: %s\n", at, at,
            mt_err_name(err), mt_err_message(err));
}

/* --auth-key: 256 bytes as hex, or a file holding them as hex or raw. */
static int load_key(const char *arg, decode_opts *o)
{
    uint8_t *key = NULL;
    size_t n = 0;
    FILE *f = fopen(arg, "rb");
    char *text = NULL;
    size_t tn = 0;
    if (f) {
        int err = read_all(f, 4096, &text, &tn);
        fclose(f);
        if (err)
            return cli_err(CLI_ERROR, "decode", "cannot read %s: %s", arg, mt_err_message(err));
    }
    if (text && tn == sizeof o->auth_key) {
        memcpy(o->auth_key, text, tn);
        n = tn;
    } else if (parse_hex(text ? text : arg, text ? tn : strlen(arg), &key, &n) == MT_OK &&
               n == sizeof o->auth_key) {
        memcpy(o->auth_key, key, n);
    } else {
        n = 0;
    }
    free(key);
    free(text);
    if (n != sizeof o->auth_key)
        return cli_err(CLI_USAGE, "decode", "--auth-key: 256 bytes as hex, or a file of them");
    o->have_key = true;
    return CLI_OK;
}

static int run_tl(const decode_opts *o, const uint8_t *data, size_t len)
{
    json_t *obj = o->json ? json_pack("{s:s, s:s, s:I}", "as", "tl", "schema",
                                      o->schema == tl_json_schema("secret") ? "secret" : "mtproto",
                                      "length", (json_int_t)len)
                          : NULL;
    size_t at = 0;
    int err = decode_tl_part(o, data, data, len, 0, obj, &at);
    if (err)
        decode_report(o, obj, err, at);
    return decode_finish(o, obj, err);
}

int decode_finish(const decode_opts *o, json_t *obj, int err)
{
    if (o->json) {
        char *text = obj ? json_dumps(obj, JSON_INDENT(1)) : NULL;
        if (text)
            puts(text);
        free(text);
        json_decref(obj);
        if (!text)
            return cli_err(CLI_ERROR, "decode", "out of memory");
    }
    return err == MT_E_no_memory ? CLI_ERROR : err ? CLI_FAIL : CLI_OK;
}

typedef struct decode_args {
    const char *as, *file, *input;
} decode_args;

/* Parses the options into o and a; returns CLI_OK or an exit code. */
static int parse_args(int argc, char **argv, decode_opts *o, decode_args *a)
{
    const char *x = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(argv[i], "--json") == 0) {
            o->json = true;
            takes = false;
        } else if (strcmp(argv[i], "--as") == 0 && v) {
            a->as = v;
        } else if (strcmp(argv[i], "--schema") == 0 && v) {
            o->schema = tl_json_schema(v);
            if (!o->schema)
                return cli_err(CLI_USAGE, "decode", "--schema: mtproto or secret");
        } else if (strcmp(argv[i], "--file") == 0 && v) {
            a->file = v;
        } else if (strcmp(argv[i], "--x") == 0 && v) {
            x = v;
        } else if (strcmp(argv[i], "--auth-key") == 0 && v) {
            int rc = load_key(v, o);
            if (rc)
                return rc;
        } else if ((argv[i][0] != '-' || strcmp(argv[i], "-") == 0) && !a->input) {
            a->input = argv[i];
            takes = false;
        } else {
            return cli_err(CLI_USAGE, "decode",
                           "unexpected argument '%s' (see 'mtproof help "
                           "decode')",
                           argv[i]);
        }
        i += takes;
    }
    if (!a->input == !a->file)
        return cli_err(CLI_USAGE, "decode", "give the input as HEX, '-' (stdin) or --file FILE");
    if (x && strcmp(x, "0") != 0 && strcmp(x, "8") != 0)
        return cli_err(CLI_USAGE, "decode", "--x: 0 (client to server) or 8 (server to client)");
    if (o->have_key != (x != NULL))
        return cli_err(CLI_USAGE, "decode", "--auth-key and --x go together");
    o->x = x && x[0] == '8' ? 8 : 0;
    return CLI_OK;
}

int cmd_decode(int argc, char **argv)
{
    decode_opts o = {.schema = tl_json_schema(NULL)};
    decode_args a = {"tl", NULL, NULL};
    int rc = parse_args(argc, argv, &o, &a);
    uint8_t *data = NULL;
    size_t len = 0;
    if (!rc && strcmp(a.as, "tl") != 0 && strcmp(a.as, "packet") != 0 &&
        strcmp(a.as, "transport") != 0)
        rc = cli_err(CLI_USAGE, "decode", "--as: tl, packet or transport");
    if (!rc)
        rc = load_input(a.input ? a.input : "-", a.file, &data, &len);
    if (!rc && a.as[0] == 't' && a.as[1] == 'l')
        rc = run_tl(&o, data, len);
    else if (!rc && a.as[0] == 'p')
        rc = decode_run_packet(&o, data, len);
    else if (!rc)
        rc = decode_run_transport(&o, data, len);
    free(data);
    memset(o.auth_key, 0, sizeof o.auth_key);
    return rc;
}
