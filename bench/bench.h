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

/* Measures n functions alternately (the same warm-up and rounds as bench_compare, the order
 * rotating each round) and writes their rates in ops/s to rates[0..n). For figures derived from
 * several same-run measurements (bench_handshake.c); n <= BENCH_ALTERNATE_MAX. */
#define BENCH_ALTERNATE_MAX 8
void bench_alternate(const bench_fn *fns, void *const *args, size_t n, double *rates);

/* Prints the comparison JSON line of bench_compare for rates measured by the caller. */
void bench_print_compare(const char *name, size_t size, double ours, const char *ref_name,
                         double ref_value, const char *unit);

/* Prints a JSON line for a figure with no reference (e.g. a latency or a count). */
void bench_report(const char *name, size_t size, double value, const char *unit);

/* Keeps the compiler from discarding a computed value. */
void bench_sink(const void *p, size_t n);

#endif
