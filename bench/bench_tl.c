/*
 * TL decoding throughput (issue 4: "TL decode of a 1024-message container: report MB/s").
 * The container holds 1024 messages alternating ping (12-byte body) and msgs_ack with 16 ids
 * (140 bytes). Two figures, no reference (nothing else decodes this schema):
 *   tl_decode_container     the whole object tree decoded into an arena (proto/tl_obj.h);
 *   container_unpack        the framing-level view: the container checked and split into
 *                           {msg_id, seqno, body} views without decoding the bodies.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "common/cursor.h"
#include "proto/container.h"
#include "proto/tl_mtp.h"
#include "proto/tl_obj.h"

#define N_MSGS  1024
#define ACK_IDS 16

static uint8_t bodies[N_MSGS][4 + 4 + 4 + 8 * ACK_IDS];
static mt_msg msgs[N_MSGS];
static uint8_t container[1 << 20];
static size_t container_len;
static uint8_t arena_mem[8 << 20];
static mt_msg views[CONTAINER_MAX_MESSAGES];

static void build(void)
{
    for (size_t i = 0; i < N_MSGS; i++) {
        mt_wr w = wr_init(bodies[i], sizeof bodies[i]);
        if (i % 2 == 0) {
            wr_u32le(&w, MTP_ID_ping);
            wr_u64le(&w, 0x1122334455667788ull + i);
        } else {
            wr_u32le(&w, MTP_ID_msgs_ack);
            wr_u32le(&w, 0x1cb5c415u);
            wr_u32le(&w, ACK_IDS);
            for (uint64_t k = 0; k < ACK_IDS; k++)
                wr_u64le(&w, 0x65c53d5000000000ull + 4 * (i * ACK_IDS + k));
        }
        msgs[i].msg_id = 0x65c53d5000000000ull + 4 * i;
        msgs[i].seqno = (uint32_t)(2 * i + 1);
        msgs[i].body = bodies[i];
        msgs[i].len = wr_len(&w);
    }
    mt_wr w = wr_init(container, sizeof container);
    if (container_pack(&w, msgs, N_MSGS) != MT_OK || w.err) {
        fprintf(stderr, "bench_tl: cannot build the container\n");
        exit(1);
    }
    container_len = wr_len(&w);
}

static void run_decode(void *arg)
{
    (void)arg;
    tl_arena a;
    tl_obj o;
    tl_arena_init(&a, arena_mem, sizeof arena_mem);
    if (tl_decode(&mtp_schema, container, container_len, &a, TL_STRICT, &o) != MT_OK)
        abort();
    bench_sink(&o, sizeof o);
}

static void run_unpack(void *arg)
{
    (void)arg;
    size_t n;
    if (container_unpack(container, container_len, 0x65c53d5000100000ull, 4096, views,
                         CONTAINER_MAX_MESSAGES, &n) != MT_OK ||
        n != N_MSGS)
        abort();
    bench_sink(views, sizeof views);
}

int main(void)
{
    build();
    double secs = bench_budget();
    double mb = (double)container_len / 1e6;
    bench_report("tl_decode_container", container_len, bench_rate(run_decode, NULL, secs) * mb,
                 "MB/s");
    bench_report("container_unpack", container_len, bench_rate(run_unpack, NULL, secs) * mb,
                 "MB/s");
    return 0;
}
