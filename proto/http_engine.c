/*
 * Parts shared by the HTTP server and client engines: collecting a head from input split at any
 * byte into a fixed buffer, and writing the status line and the fields every response carries.
 */
#include <stdio.h>
#include <string.h>

#include "proto/http.h"

int http_headbuf_feed(http_headbuf *hb, http_head_parser parse, const uint8_t *in, size_t len,
                      size_t *consumed, http_head *h)
{
    /* Copy as much as fits, parse everything held so far. Earlier calls ended incomplete, so the
     * head ends inside this call's bytes and the excess we copied is given back (not consumed). */
    size_t room = sizeof hb->buf - hb->fill;
    size_t take = len < room ? len : room;
    if (take > 0)
        memcpy(hb->buf + hb->fill, in, take);
    hb->fill += take;
    *consumed = take;
    int err = parse(hb->buf, hb->fill, h);
    if (err == MT_OK) {
        size_t excess = hb->fill - h->len;
        *consumed = take - excess;
        hb->fill = 0;
        return MT_OK;
    }
    if (err == HTTP_INCOMPLETE && hb->fill == sizeof hb->buf)
        return MT_E_HTTP_HEAD_TOO_LARGE;
    return err;
}

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 505:
        return "HTTP Version Not Supported";
    }
    return "Error";
}

int http_write_status(uint8_t *out, size_t cap, size_t *n, int status)
{
    if (status < 100 || status > 999)
        return MT_E_bad_argument;
    /* The fields MTProxy's front end sends with every answer (mtproto-proxy.c http_send_message):
     * the body must never be cached. */
    int w = snprintf((char *)out, cap,
                     "HTTP/1.1 %d %s\r\nPragma: no-cache\r\nCache-Control: no-store\r\n", status,
                     http_reason(status));
    if (w < 0 || (size_t)w >= cap)
        return MT_E_no_space;
    *n = (size_t)w;
    return MT_OK;
}
