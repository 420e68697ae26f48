#include "harness/linebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void linebuf_init(linebuf *b, size_t max_line)
{
    memset(b, 0, sizeof *b);
    b->max = max_line;
}

void linebuf_free(linebuf *b)
{
    free(b->buf);
    memset(b, 0, sizeof *b);
}

/* Makes room for one chunk after the held bytes, moving them to the front first. The buffer never
 * grows past max + 1 + LINEBUF_CHUNK because longer lines switch to skipping. */
static int make_room(linebuf *b)
{
    if (b->start > 0) {
        memmove(b->buf, b->buf + b->start, b->len - b->start);
        b->len -= b->start;
        b->scanned -= b->start;
        b->start = 0;
    }
    if (b->cap - b->len >= LINEBUF_CHUNK)
        return 0;
    size_t want = b->cap ? b->cap : LINEBUF_CHUNK;
    while (want - b->len < LINEBUF_CHUNK)
        want *= 2;
    char *nb = realloc(b->buf, want);
    if (!nb) {
        errno = ENOMEM;
        return -1;
    }
    b->buf = nb;
    b->cap = want;
    return 0;
}

ssize_t linebuf_read(linebuf *b, int fd)
{
    if (make_room(b) != 0)
        return -1;
    ssize_t n;
    do
        n = read(fd, b->buf + b->len, b->cap - b->len);
    while (n < 0 && errno == EINTR);
    if (n == 0)
        b->eof = true;
    if (n > 0)
        b->len += (size_t)n;
    return n;
}

/* Drops everything held (the middle of an over-long line). */
static void drop_held(linebuf *b)
{
    b->start = b->len = b->scanned = 0;
}

int linebuf_next(linebuf *b, const char **line, size_t *len)
{
    char *nl = NULL;
    if (b->scanned < b->len)
        nl = memchr(b->buf + b->scanned, '\n', b->len - b->scanned);
    if (b->skipping) {
        if (!nl) {
            drop_held(b);
            if (!b->eof)
                return LINEBUF_NONE;
            b->skipping = false;
            return LINEBUF_TOO_LONG;
        }
        b->start = b->scanned = (size_t)(nl - b->buf) + 1;
        b->skipping = false;
        return LINEBUF_TOO_LONG;
    }
    size_t end = nl ? (size_t)(nl - b->buf) : b->len;
    if (end - b->start > b->max) {
        /* Over the limit: forget it now, whatever follows on the same line. */
        if (nl) {
            b->start = b->scanned = end + 1;
            return LINEBUF_TOO_LONG;
        }
        drop_held(b);
        if (b->eof)
            return LINEBUF_TOO_LONG;
        b->skipping = true;
        return LINEBUF_NONE;
    }
    if (!nl && !(b->eof && b->len > b->start)) {
        b->scanned = b->len;
        return LINEBUF_NONE;
    }
    *line = b->buf + b->start;
    *len = end - b->start;
    b->start = b->scanned = nl ? end + 1 : b->len;
    return LINEBUF_LINE;
}
