/*
 * The shim core: parsing a request line, checking its fields against the op's declaration,
 * dispatching, and building the response; the line loop of `mtproof shim`.
 * Field helpers for ops are in harness/shim_call.c.
 */
#include "harness/shim.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/linebuf.h"
#include "harness/shim_call.h"

const shim_op *shim_find_op(const char *name)
{
    for (size_t t = 0; shim_op_tables[t]; t++)
        for (size_t i = 0; i < shim_op_tables[t]->count; i++)
            if (strcmp(shim_op_tables[t]->ops[i].name, name) == 0)
                return &shim_op_tables[t]->ops[i];
    return NULL;
}

/* A declared field's name without the '?' that marks it optional. */
static const char *field_name(const char *decl)
{
    return decl[0] == '?' ? decl + 1 : decl;
}

static int declared(const shim_op *op, const char *key)
{
    for (size_t i = 0; op->fields[i]; i++)
        if (strcmp(field_name(op->fields[i]), key) == 0)
            return 1;
    return 0;
}

/* Every request field must be one the op declares, and every required (not '?') declared field
 * must be there. */
static int check_fields(shim_call *c)
{
    const char *key;
    json_t *v;
    json_object_foreach(c->req, key, v)
    {
        if (strcmp(key, "id") == 0 || strcmp(key, "op") == 0 || declared(c->op, key))
            continue;
        shim_detail(c, "unknown field '%.40s' for op '%s'", key, c->op->name);
        return MT_E_bad_field;
    }
    for (size_t i = 0; c->op->fields[i]; i++)
        if (c->op->fields[i][0] != '?' && !json_object_get(c->req, c->op->fields[i])) {
            shim_detail(c, "field '%s' is missing", c->op->fields[i]);
            return MT_E_missing_field;
        }
    return MT_OK;
}

static int dispatch(shim_call *c)
{
    json_t *op = json_object_get(c->req, "op");
    if (!op) {
        shim_detail(c, "field 'op' is missing");
        return MT_E_missing_field;
    }
    if (!json_is_string(op)) {
        shim_detail(c, "field 'op' is not a string");
        return MT_E_bad_field;
    }
    c->op = shim_find_op(json_string_value(op));
    if (!c->op) {
        shim_detail(c, "no op '%.60s' (list_ops lists them)", json_string_value(op));
        return MT_E_unimplemented;
    }
    int err = check_fields(c);
    if (err)
        return err;
    return c->op->run(c);
}

/* {"id": ID, "ok": false, "error": NAME, "detail": TEXT} (id omitted when NULL). */
static json_t *error_object(json_t *id, int err, const char *detail)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = 0;
    if (id)
        bad |= json_object_set(o, "id", id);
    bad |= json_object_set_new(o, "ok", json_false());
    bad |= json_object_set_new(o, "error", json_string(mt_err_name(err)));
    bad |= json_object_set_new(o, "detail", json_string(detail[0] ? detail : mt_err_message(err)));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static char *dump(json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

int shim_handle_line(const char *line, size_t len, char **response)
{
    shim_call c;
    shim_call_init(&c);
    json_error_t je;
    json_t *id = NULL;
    int err;
    /* JSON_DECODE_ANY so that a bare `7` is answered "not an object" rather than a parse error. */
    c.req = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!c.req) {
        shim_detail(&c, "%.100s (column %d)", je.text, je.column);
        err = MT_E_bad_json;
    } else if (!json_is_object(c.req)) {
        shim_detail(&c, "a request is a JSON object");
        err = MT_E_bad_json;
    } else {
        id = json_object_get(c.req, "id");
        err = shim_call_begin(&c, id);
        if (!err)
            err = dispatch(&c);
    }
    if (err) {
        *response = dump(error_object(id, err, c.detail));
    } else {
        *response = dump(c.resp);
        c.resp = NULL;
    }
    shim_call_end(&c);
    return err;
}

int shim_line_is_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return 0;
    return 1;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return MT_E_io_error;
        p += w;
        n -= (size_t)w;
    }
    return MT_OK;
}

/* Writes a response and its newline; a NULL response (out of memory) still gets an answer so
 * the client's request/response pairing never slips. */
static int write_response(int fd, char *resp)
{
    static const char oom[] = "{\"ok\":false,\"error\":\"no_memory\"}";
    int err = resp ? write_all(fd, resp, strlen(resp)) : write_all(fd, oom, sizeof oom - 1);
    free(resp);
    return err ? err : write_all(fd, "\n", 1);
}

static int answer_too_long(int fd)
{
    char detail[SHIM_MAX_DETAIL];
    snprintf(detail, sizeof detail, "request line longer than %zu bytes (dropped)", SHIM_MAX_LINE);
    return write_response(fd, dump(error_object(NULL, MT_E_limit_exceeded, detail)));
}

int shim_serve(int in_fd, int out_fd)
{
    linebuf lb;
    linebuf_init(&lb, SHIM_MAX_LINE);
    int err = MT_OK;
    while (!err) {
        const char *line;
        size_t len;
        int got = linebuf_next(&lb, &line, &len);
        if (got == LINEBUF_LINE && !shim_line_is_blank(line, len)) {
            char *resp;
            (void)shim_handle_line(line, len, &resp);
            err = write_response(out_fd, resp);
        } else if (got == LINEBUF_TOO_LONG) {
            err = answer_too_long(out_fd);
        } else if (got == LINEBUF_NONE) {
            if (lb.eof)
                break;
            if (linebuf_read(&lb, in_fd) < 0)
                err = errno == ENOMEM ? MT_E_no_memory : MT_E_io_error;
        }
    }
    linebuf_free(&lb);
    return err;
}
