/*
 * Benchmark harness. A benchmark compares our code with a reference (OpenSSL) measured in the same
 * process, alternating short timed slices of each so machine noise cancels in the ratio, and
 * prints one JSON object per line:
 *   {"bench": NAME, "size": BYTES, "ours": VALUE, "ref": REF_NAME, "ref_value": VALUE,
 *    "unit": UNIT, "ratio": OURS_OVER_REF}
 * Units are rates (higher is better): "MB/s" when bytes_per_op > 0, else "ops/s".
 */
#ifndef MTPROOF_BENCH_BENCH_H
#define MTPROOF_BENCH_BENCH_H

#include <stddef.h>

typedef void (*bench_fn)(void *arg);

typedef struct bench_result {
    double ours;      /* rate of our code */
    double ref_value; /* rate of the reference */
    double ratio;     /* ours / ref_value */
} bench_result;

/* Seconds of measurement per side (default 0.6; env MTPROOF_BENCH_SECONDS overrides). */
double bench_budget(void);

/* Rate of fn in ops/s measured alone for about `seconds`. */
double bench_rate(bench_fn fn, void *arg, double seconds);

/* Measures ours and ref alternately and prints the JSON line. bytes_per_op > 0 gives MB/s. */
bench_result bench_compare(const char *name, size_t size, bench_fn ours, void *ours_arg,
                           const char *ref_name, bench_fn ref, void *ref_arg, double bytes_per_op);

/* Prints a JSON line for a figure with no reference (e.g. a latency or a count). */
void bench_report(const char *name, size_t size, double value, const char *unit);

/* Keeps the compiler from discarding a computed value. */
void bench_sink(const void *p, size_t n);

#endif
