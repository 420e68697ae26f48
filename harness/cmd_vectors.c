/* `mtproof vectors`: runs vector files through a shim (ours by default) and sums up. */
#include <fnmatch.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/vectors.h"

#ifndef MTPROOF_SOURCE_DIR
#define MTPROOF_SOURCE_DIR ""
#endif

/* Default seconds one shim answer may take (a million-byte hash under ASan takes well under one).
 */
#define VECTORS_DEFAULT_TIMEOUT 30

const char cmd_vectors_usage[] =
    "usage: mtproof vectors [--shim CMD] [--timeout SECONDS] [--dir DIR] [--verbose] [FILE...]\n"
    "\n"
    "Runs test vector files (vectors/README.md) through a shim and checks every answer.\n"
    "  --shim CMD       the shim under test, run as 'sh -c CMD' (default: 'mtproof shim')\n"
    "  --timeout SECS   how long one answer may take (default 30); a shim that hangs is\n"
    "                   killed, the test fails and the shim is restarted\n"
    "  --dir DIR        run every *.json under DIR (default: the source tree's vectors/)\n"
    "  --verbose        print every test, not only the failures\n"
    "  FILE...          run these files instead\n"
    "Prints each failure (tcId, comment, expected and got), one summary line per file and a\n"
    "total line 'N passed, N failed, N skipped'. Tests the shim answers \"unimplemented\" are\n"
    "skipped. docs/shim.md explains how to write a shim for another implementation.\n"
    "Exit status: 0 nothing failed, 1 a test failed, 2 bad usage, 3 could not run (unreadable\n"
    "vector file, no vector files, a shim that cannot start or never answers).\n";

typedef struct file_list {
    char **names;
    size_t count;
} file_list;

static file_list walk_into;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (type != FTW_F || fnmatch("*.json", path + ftw->base, 0) != 0)
        return 0;
    char **grown = realloc(walk_into.names, (walk_into.count + 1) * sizeof *grown);
    if (!grown || !(grown[walk_into.count] = strdup(path))) {
        walk_into.names = grown ? grown : walk_into.names;
        return 1;
    }
    walk_into.names = grown;
    walk_into.count++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json under dir, sorted. Returns 0 or -1. */
static int list_dir(const char *dir, file_list *out)
{
    walk_into = (file_list){NULL, 0};
    int rc = nftw(dir, walk_one, 16, FTW_PHYS);
    *out = walk_into;
    if (out->count)
        qsort(out->names, out->count, sizeof *out->names, by_name);
    return rc == 0 ? 0 : -1;
}

static void free_list(file_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The vectors/ directory: the source tree this binary was built from, else next to the binary
 * (BIN/../vectors or BIN/../../vectors, for a build directory inside the tree). */
static int find_vectors_dir(char *out, size_t n)
{
    snprintf(out, n, "%s/vectors", MTPROOF_SOURCE_DIR);
    if (MTPROOF_SOURCE_DIR[0] && is_dir(out))
        return 0;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = '\0';
    const char *bin = dirname(exe);
    static const char *const up[] = {"/../vectors", "/../../vectors"};
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
        snprintf(out, n, "%s%s", bin, up[i]);
        if (is_dir(out))
            return 0;
    }
    return -1;
}

typedef struct vec_args {
    const char *shim;
    const char *dir;
    double timeout;
    int verbose;
    int first_file; /* argv index of the first FILE, argc when none */
} vec_args;

static int parse_args(int argc, char **argv, vec_args *a)
{
    *a = (vec_args){NULL, NULL, VECTORS_DEFAULT_TIMEOUT, 0, argc};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(o, "--verbose") == 0 || strcmp(o, "-v") == 0) {
            a->verbose = 1;
            continue;
        }
        if (strcmp(o, "--shim") != 0 && strcmp(o, "--timeout") != 0 && strcmp(o, "--dir") != 0)
            return cli_err(CLI_USAGE, "vectors", "unknown option '%s'", o);
        if (i + 1 >= argc)
            return cli_err(CLI_USAGE, "vectors", "%s needs a value", o);
        const char *v = argv[++i];
        if (strcmp(o, "--shim") == 0) {
            a->shim = v;
        } else if (strcmp(o, "--dir") == 0) {
            a->dir = v;
        } else {
            char *end;
            a->timeout = strtod(v, &end);
            if (*end || !(a->timeout > 0 && a->timeout <= 86400))
                return cli_err(CLI_USAGE, "vectors", "--timeout wants seconds in (0, 86400]");
        }
    }
    a->first_file = i;
    return CLI_OK;
}

/* The files to run: the ones named, or every *.json under the vectors directory. */
static int collect(const vec_args *a, int argc, char **argv, file_list *files, char *dir, size_t n)
{
    if (a->first_file < argc) {
        files->count = (size_t)(argc - a->first_file);
        files->names = calloc(files->count, sizeof *files->names);
        for (size_t i = 0; files->names && i < files->count; i++)
            files->names[i] = strdup(argv[a->first_file + (int)i]);
        dir[0] = '\0';
        return files->names ? CLI_OK : cli_err(CLI_ERROR, "vectors", "out of memory");
    }
    if (a->dir)
        snprintf(dir, n, "%s", a->dir);
    else if (find_vectors_dir(dir, n) != 0)
        return cli_err(CLI_ERROR, "vectors", "cannot find the vectors/ directory; use --dir");
    if (!is_dir(dir))
        return cli_err(CLI_ERROR, "vectors", "not a directory: %s", dir);
    if (list_dir(dir, files) != 0)
        return cli_err(CLI_ERROR, "vectors", "cannot read %s", dir);
    if (files->count == 0)
        return cli_err(CLI_ERROR, "vectors", "no *.json vector files under %s", dir);
    return CLI_OK;
}

/* How a file is named in the output: relative to the vectors directory's parent
 * ("vectors/sha256.json"), or as given on the command line. */
static const char *label_of(const char *path, const char *dir)
{
    const char *slash = strrchr(dir, '/');
    size_t parent = slash && slash[1] ? (size_t)(slash - dir) + 1 : 0;
    if (dir[0] && parent && strncmp(path, dir, parent) == 0)
        return path + parent;
    return path;
}

int cmd_vectors(int argc, char **argv)
{
    vec_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK)
        return rc;
    file_list files = {NULL, 0};
    char dir[PATH_MAX];
    rc = collect(&a, argc, argv, &files, dir, sizeof dir);
    if (rc != CLI_OK) {
        free_list(&files);
        return rc;
    }
    /* A shim that dies must not take us with it when we write to it. */
    signal(SIGPIPE, SIG_IGN);
    vec_run r = {.shim_cmd = a.shim, .timeout_ms = (int)(a.timeout * 1000), .verbose = a.verbose};
    int worst = CLI_OK;
    for (size_t i = 0; i < files.count && !r.gave_up; i++) {
        int frc = vec_run_file(&r, files.names[i], label_of(files.names[i], dir));
        worst = frc > worst ? frc : worst;
    }
    vec_run_end(&r);
    free_list(&files);
    printf("%lu passed, %lu failed, %lu skipped\n", r.passed, r.failed, r.skipped);
    return worst;
}
