/* Scenario files and directories: reading them and handing their text to sc_parse. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/scenario.h"

#define SC_EXT ".mts"

int sc_parse_file(sc_set *set, const char *path, char *why, size_t why_cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        return MT_E_io_error;
    }
    char *buf = malloc(SC_MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, SC_MAX_FILE + 1, f) : 0;
    bool rd_err = ferror(f);
    fclose(f);
    if (!buf)
        return MT_E_no_memory;
    if (rd_err) {
        free(buf);
        snprintf(why, why_cap, "%s: read error", path);
        return MT_E_io_error;
    }
    /* The area: the base name without its extension. */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char area[64];
    size_t alen = strcspn(base, ".");
    snprintf(area, sizeof area, "%.*s", (int)(alen < sizeof area ? alen : sizeof area - 1), base);
    int err = sc_parse(set, path, area, buf, n, why, why_cap);
    free(buf);
    return err;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sc_parse_dir(sc_set *set, const char *dir, char *why, size_t why_cap)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, why_cap, "%s: %s", dir, strerror(errno));
        return MT_E_io_error;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < sizeof names / sizeof names[0]) {
        size_t len = strlen(e->d_name);
        if (len > strlen(SC_EXT) && strcmp(e->d_name + len - strlen(SC_EXT), SC_EXT) == 0)
            if ((names[n] = strdup(e->d_name)) != NULL)
                n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    int err = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!err)
            err = sc_parse_file(set, path, why, why_cap);
        free(names[i]);
    }
    if (!err && n == 0) {
        snprintf(why, why_cap, "%s: no *" SC_EXT " scenario files", dir);
        err = MT_E_io_error;
    }
    return err;
}
