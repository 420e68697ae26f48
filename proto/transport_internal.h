/* Shared between the transport files (proto/transport*.c); not part of the public API. */
#ifndef MTPROOF_PROTO_TRANSPORT_INTERNAL_H
#define MTPROOF_PROTO_TRANSPORT_INTERNAL_H

#include "proto/transport.h"

/* Receive phases (mt_transport_rx.phase). */
enum {
    RX_TAG,    /* plain server: reading the client's tag */
    RX_DETECT, /* AUTO server: reading the first bytes */
    RX_INIT,   /* obfuscated2 server: reading the 64-byte init */
    RX_HEAD,   /* reading a framing header */
    RX_BODY,   /* reading the payload (and padding) */
    RX_TRAIL,  /* full: reading the CRC */
    RX_HTTP,   /* AUTO server: handed to the HTTP engine; no more input here */
};

/* What a framing's header parser decided. */
typedef enum hdr_next {
    HDR_MORE,  /* rx.hdr_need was raised: read more header bytes */
    HDR_BODY,  /* rx.body_len and rx.flags are set: read the body */
    HDR_EVENT, /* ev is complete (a quick-ack token): report it */
} hdr_next;

/* Header parsers: rx.hdr holds rx.hdr_have == rx.hdr_need bytes. */
MT_WUR int abridged_header(mt_transport *t, mt_transport_event *ev, hdr_next *next);
MT_WUR int intermediate_header(mt_transport *t, mt_transport_event *ev, hdr_next *next);
MT_WUR int full_header(mt_transport *t, mt_transport_event *ev, hdr_next *next);
/* Full: checks the CRC in rx.hdr[8:12] over header and body. */
MT_WUR int full_check_crc(const mt_transport *t);
/* Bytes of the first header read of a framing (abridged 1, intermediate 4, full 8). */
size_t framing_first_header(mt_transport_kind kind);

/* Header writers: the bytes before a body of body_len bytes (payload + padding). Return the
 * header length; out has room for 8. */
size_t abridged_write_header(uint8_t *out, size_t body_len, unsigned flags);
size_t intermediate_write_header(uint8_t *out, size_t body_len, unsigned flags);
size_t full_write_header(uint8_t *out, size_t body_len, uint32_t seq);
/* Writes the full CRC over out[0:n] at out[n]; returns 4. */
size_t full_write_crc(uint8_t *out, size_t n);

/* Checks a payload length against the framing's rules (limit, alignment). */
MT_WUR int framing_check_len(mt_transport_kind kind, size_t len);
/* The plain tag of a framing (tag_out: up to 4 bytes); returns its length (0 for full). */
size_t framing_tag(mt_transport_kind kind, uint8_t tag_out[4]);

/* obfuscated2 server: rx.hdr holds the 64-byte init; sets keys, kind, dc_id, or a rule. */
MT_WUR int obf2_server_accept(mt_transport *t);
/* obfuscated2: sets the engine's streams from the keys for its role. */
MT_WUR int obf2_set_streams(mt_transport *t, const mt_obf2_keys *k);

#endif
