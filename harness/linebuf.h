/*
 * A line reader over a file descriptor with a hard limit on line length. A line longer than the
 * limit is never buffered whole: its bytes are dropped as they arrive and the reader reports
 * LINEBUF_TOO_LONG once its newline (or end of input) is seen, so one huge line costs no more
 * memory than the limit. The shim reads requests with it and the shim client reads responses.
 */
#ifndef MTPROOF_HARNESS_LINEBUF_H
#define MTPROOF_HARNESS_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Bytes asked of read() at a time. */
#define LINEBUF_CHUNK ((size_t)64 << 10)

typedef struct linebuf {
    char *buf;
    size_t cap;
    size_t start;   /* first byte not yet returned */
    size_t len;     /* bytes held: buf[start, len) */
    size_t scanned; /* buf[start, scanned) is known to hold no newline */
    size_t max;     /* longest accepted line, newline excluded */
    bool skipping;  /* inside a line over the limit: drop bytes until its newline */
    bool eof;       /* read() returned 0 */
} linebuf;

enum {
    LINEBUF_NONE = 0, /* no complete line held: call linebuf_read (or stop when eof is set) */
    LINEBUF_LINE,     /* *line, *len hold a line without its newline (valid until the next call) */
    LINEBUF_TOO_LONG, /* a line over the limit ended and was dropped */
};

void linebuf_init(linebuf *b, size_t max_line);
void linebuf_free(linebuf *b);

/* One read() from fd into the buffer. Returns the byte count, 0 at end of input (and sets eof),
 * -1 on error with errno set (EAGAIN included, for non-blocking descriptors). */
ssize_t linebuf_read(linebuf *b, int fd);

/* The next complete line, if any. After end of input, a last line without a newline is returned
 * too; LINEBUF_NONE with b->eof set means the input is used up. */
int linebuf_next(linebuf *b, const char **line, size_t *len);

#endif
