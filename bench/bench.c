#include "bench.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_budget(void)
{
    const char *e = getenv("MTPROOF_BENCH_SECONDS");
    double s = e ? atof(e) : 0.6;
    return s > 0.01 ? s : 0.6;
}

/* Runs fn in batches until `seconds` pass; returns ops and elapsed time. */
static void run_slice(bench_fn fn, void *arg, double seconds, double *ops, double *elapsed)
{
    uint64_t n = 0, batch = 1;
    double t0 = now_s(), t;
    do {
        for (uint64_t i = 0; i < batch; i++)
            fn(arg);
        n += batch;
        t = now_s();
        if (t - t0 < seconds / 8)
            batch *= 2;
    } while (t - t0 < seconds);
    *ops += (double)n;
    *elapsed += t - t0;
}

double bench_rate(bench_fn fn, void *arg, double seconds)
{
    double ops = 0, el = 0;
    run_slice(fn, arg, seconds, &ops, &el);
    return ops / el;
}

void bench_alternate(const bench_fn *fns, void *const *args, size_t n, double *rates)
{
    enum { ROUNDS = 6 };
    double budget = bench_budget() / ROUNDS;
    double ops[BENCH_ALTERNATE_MAX] = {0}, el[BENCH_ALTERNATE_MAX] = {0};
    if (n == 0 || n > BENCH_ALTERNATE_MAX)
        abort();
    /* Warm every path (caches, CPU frequency), then alternate, each round starting elsewhere. */
    for (size_t i = 0; i < n; i++)
        run_slice(fns[i], args[i], budget / 4, &(double){0}, &(double){0});
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t k = 0; k < n; k++) {
            size_t i = (k + (size_t)r) % n;
            run_slice(fns[i], args[i], budget, &ops[i], &el[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        rates[i] = ops[i] / el[i];
}

void bench_print_compare(const char *name, size_t size, double ours, const char *ref_name,
                         double ref_value, const char *unit)
{
    printf(
        "{\"bench\": \"%s\", \"size\": %zu, \"ours\": %.6g, \"ref\": \"%s\", \"ref_value\": %.6g, "
        "\"unit\": \"%s\", \"ratio\": %.4f}\n",
        name, size, ours, ref_name, ref_value, unit, ours / ref_value);
    fflush(stdout);
}

bench_result bench_compare(const char *name, size_t size, bench_fn ours, void *ours_arg,
                           const char *ref_name, bench_fn ref, void *ref_arg, double bytes_per_op)
{
    const bench_fn fns[2] = {ours, ref};
    void *const args[2] = {ours_arg, ref_arg};
    double rates[2];
    bench_alternate(fns, args, 2, rates);
    bench_result res;
    double scale = bytes_per_op > 0 ? bytes_per_op / 1e6 : 1.0;
    res.ours = rates[0] * scale;
    res.ref_value = rates[1] * scale;
    res.ratio = res.ours / res.ref_value;
    bench_print_compare(name, size, res.ours, ref_name, res.ref_value,
                        bytes_per_op > 0 ? "MB/s" : "ops/s");
    return res;
}

void bench_report(const char *name, size_t size, double value, const char *unit)
{
    printf("{\"bench\": \"%s\", \"size\": %zu, \"ours\": %.6g, \"unit\": \"%s\"}\n", name, size,
           value, unit);
    fflush(stdout);
}

void bench_sink(const void *p, size_t n)
{
    __asm__ __volatile__("" : : "r"(p), "r"(n) : "memory");
}
