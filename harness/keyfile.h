/* Reading and writing key files for the CLI (keygen, keyinfo, and later the peers' --key). */
#ifndef MTPROOF_HARNESS_KEYFILE_H
#define MTPROOF_HARNESS_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the whole file into buf[0..cap) (NUL-terminated, *len without the NUL). Files of cap
 * bytes or more are refused. On failure prints "mtproof CMD: PATH: reason" and returns CLI_ERROR
 * (unreadable) or CLI_FAIL (too large); 0 on success. */
int keyfile_read(const char *path, char *buf, size_t cap, size_t *len, const char *cmd);

/* Writes data[0..n) to a new file with mode 0600. An existing file is refused unless `force`
 * (then it is replaced, and its mode set to 0600). Returns 0, or prints the reason and returns
 * CLI_FAIL (exists) or CLI_ERROR. */
int keyfile_write_private(const char *path, const char *data, size_t n, bool force,
                          const char *cmd);

#endif
