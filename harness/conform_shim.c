/*
 * `mtproof conform --shim CMD`: the primitive-level part of conformance, every vector file of the
 * tree's vectors/ run through a third-party shim (harness/vectors.c, docs/shim.md).
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"
#include "harness/conform_main.h"
#include "harness/vectors.h"
#include "proto/msgid.h"

#ifndef MTPROOF_SOURCE_DIR
#define MTPROOF_SOURCE_DIR ""
#endif

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int conform_shim(const char *cmd, uint64_t timeout_ns)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/vectors", MTPROOF_SOURCE_DIR);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "mtproof conform: cannot open %s\n", dir);
        return CLI_ERROR;
    }
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < sizeof names / sizeof names[0]) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 && (names[n] = strdup(e->d_name)))
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    vec_run r = {.shim_cmd = cmd, .timeout_ms = (int)(timeout_ns / 1000000)};
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!r.gave_up)
            (void)vec_run_file(&r, path, names[i]);
        free(names[i]);
    }
    vec_run_end(&r);
    printf("conform --shim: %lu passed, %lu failed, %lu skipped\n", r.passed, r.failed, r.skipped);
    return r.failed || r.gave_up ? CLI_FAIL : CLI_OK;
}
