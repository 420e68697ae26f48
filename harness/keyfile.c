#include "harness/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/cli.h"

int keyfile_read(const char *path, char *buf, size_t cap, size_t *len, const char *cmd)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_err(CLI_ERROR, cmd, "%s: cannot open: %s", path, strerror(errno));
    size_t n = fread(buf, 1, cap, f);
    int read_err = ferror(f);
    fclose(f);
    if (read_err)
        return cli_err(CLI_ERROR, cmd, "%s: read error", path);
    if (n >= cap)
        return cli_err(CLI_FAIL, cmd, "%s: too large for a key file (over %zu bytes)", path,
                       cap - 1);
    buf[n] = 0;
    *len = n;
    return 0;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return fsync(fd) == 0;
}

/* The key goes to a private temporary file (mkstemp: mode 0600) beside the target, which is then
 * linked into place (fails atomically when the target exists) or, with force, renamed over it. */
int keyfile_write_private(const char *path, const char *data, size_t n, bool force, const char *cmd)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
        return cli_err(CLI_ERROR, cmd, "%s: path too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return cli_err(CLI_ERROR, cmd, "%s: cannot create: %s", path, strerror(errno));
    bool ok = fchmod(fd, S_IRUSR | S_IWUSR) == 0 && write_all(fd, data, n);
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(tmp);
        return cli_err(CLI_ERROR, cmd, "%s: cannot write: %s", path, strerror(errno));
    }
    if (force) {
        if (rename(tmp, path) == 0)
            return 0;
    } else if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
    int e = errno;
    unlink(tmp);
    if (e == EEXIST)
        return cli_err(CLI_FAIL, cmd, "%s: already exists (use --force to overwrite)", path);
    return cli_err(CLI_ERROR, cmd, "%s: cannot create: %s", path, strerror(e));
}
