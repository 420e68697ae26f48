/*
 * Talking to a shim process (ours or a third party's): start it with pipes on its stdin and
 * stdout, send one request line, wait a bounded time for one response line. A shim that dies or
 * hangs is reported, never waited on forever. Used by `mtproof vectors`.
 */
#ifndef MTPROOF_HARNESS_SHIM_CLIENT_H
#define MTPROOF_HARNESS_SHIM_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

#include "harness/linebuf.h"
#include "harness/shim.h"

/* Longest response line accepted: an output may be twice its input once in hex. */
#define SHIM_CLIENT_MAX_LINE (2 * SHIM_MAX_LINE)

typedef struct shim_client {
    const char *cmd; /* run with `sh -c`; NULL: this binary's `shim` (via /proc/self/exe) */
    pid_t pid;       /* 0 when not running */
    int to_fd;       /* the shim's stdin (non-blocking) */
    int from_fd;     /* the shim's stdout */
    linebuf rd;
    unsigned long answered; /* responses since the last start */
} shim_client;

enum {
    SHIM_REPLY = 0, /* a response line arrived */
    SHIM_DEAD,      /* the shim closed its stdout or exited; it has been reaped */
    SHIM_TIMEOUT,   /* no response in time; the shim has been killed */
    SHIM_BAD_LINE,  /* a response line over SHIM_CLIENT_MAX_LINE (dropped; the shim lives on) */
};

/* Starts the shim. Returns 0, or -1 with `why` filled (pipe or fork failed). */
int shim_client_start(shim_client *c, const char *cmd, char *why, size_t why_len);

/* Sends req (len bytes, no newline) and a newline, then waits for one response line, all within
 * timeout_ms. On SHIM_REPLY, *resp / *resp_len hold the line (valid until the next call);
 * otherwise `why` says what happened. */
int shim_client_call(shim_client *c, const char *req, size_t len, int timeout_ms, const char **resp,
                     size_t *resp_len, char *why, size_t why_len);

/* Closes the shim's stdin and reaps it (killing it if it does not exit within a second). */
void shim_client_stop(shim_client *c);

#endif
