/*
 * Target: http_client_feed (proto/http_client.c) through http_parse_response and http_framing_of
 * (proto/http_parse.c).
 * Input: byte 0 = number of requests outstanding (1..8), byte 1 picks the split size, then the
 * bytes a server sends.
 * Properties: a 200 response's body lies in the body buffer with body_len <= its size and equals
 * the input bytes just consumed; any other status is a transport error -status with no body; no
 * more responses than requests; feeding in pieces and in one piece gives the same responses and
 * the same final result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/http.h"

static uint8_t body[4096];

static int run(const uint8_t *data, size_t size, unsigned asked, size_t step, uint64_t *digest)
{
    http_client c;
    if (http_client_init(&c, "fuzz", body, sizeof body) != MT_OK)
        abort();
    c.outstanding = asked;
    size_t pos = 0, lim = 0;
    unsigned got = 0;
    int err = HTTP_INCOMPLETE;
    *digest = 0;
    while (pos < size) {
        if (lim <= pos)
            lim = pos + step < size ? pos + step : size;
        size_t used;
        http_response r;
        err = http_client_feed(&c, data + pos, lim - pos, &used, &r);
        pos += used;
        if (err == HTTP_INCOMPLETE)
            continue;
        if (err != MT_OK)
            break;
        got++;
        if (got > asked || r.status < 200 || r.status > 999)
            abort();
        if (r.status == 200) {
            if (r.transport_error != 0 || r.body != body || r.body_len > sizeof body ||
                r.body_len > pos || memcmp(r.body, data + pos - r.body_len, r.body_len) != 0)
                abort();
        } else if (r.transport_error != -r.status || r.body_len != 0) {
            abort();
        }
        *digest = *digest * 31 + (uint64_t)r.status * 4099 + r.body_len + r.keep_alive;
    }
    return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > (1 << 18))
        return 0;
    unsigned asked = data[0] % 8 + 1;
    size_t step = (size_t)data[1] % 17 + 1;
    uint64_t da, db;
    int ea = run(data + 2, size - 2, asked, step, &da);
    int eb = run(data + 2, size - 2, asked, size, &db);
    if (ea != eb || da != db)
        abort();
    return 0;
}
