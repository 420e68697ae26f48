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

bench_result bench_compare(const char *name, size_t size, bench_fn ours, void *ours_arg,
                           const char *ref_name, bench_fn ref, void *ref_arg, double bytes_per_op)
{
    enum { ROUNDS = 6 };
    double budget = bench_budget() / ROUNDS;
    double o_ops = 0, o_el = 0, r_ops = 0, r_el = 0;
    /* Warm both paths (caches, CPU frequency), then alternate, starting with each in turn. */
    run_slice(ours, ours_arg, budget / 4, &(double){0}, &(double){0});
    run_slice(ref, ref_arg, budget / 4, &(double){0}, &(double){0});
    for (int r = 0; r < ROUNDS; r++) {
        if (r % 2 == 0) {
            run_slice(ours, ours_arg, budget, &o_ops, &o_el);
            run_slice(ref, ref_arg, budget, &r_ops, &r_el);
        } else {
            run_slice(ref, ref_arg, budget, &r_ops, &r_el);
            run_slice(ours, ours_arg, budget, &o_ops, &o_el);
        }
    }
    bench_result res;
    double scale = bytes_per_op > 0 ? bytes_per_op / 1e6 : 1.0;
    res.ours = o_ops / o_el * scale;
    res.ref_value = r_ops / r_el * scale;
    res.ratio = res.ours / res.ref_value;
    printf(
        "{\"bench\": \"%s\", \"size\": %zu, \"ours\": %.6g, \"ref\": \"%s\", \"ref_value\": %.6g, "
        "\"unit\": \"%s\", \"ratio\": %.4f}\n",
        name, size, res.ours, ref_name, res.ref_value, bytes_per_op > 0 ? "MB/s" : "ops/s",
        res.ratio);
    fflush(stdout);
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
