/* `--violate`: the rules the relay breaks on purpose, each in one way that a strict client
 * detects and that breaks that rule alone (docs/relay.md has the table). Handshake rules go
 * through the fault knobs of proto/handshake_server.h; session and framing rules are applied
 * when answers are packed (relay_pack), framed (relay_violate_frame) or added to a feed's
 * answers (relay_violate_extra). */
#include <string.h>

#include "common/endian.h"
#include "proto/message.h"
#include "proto/tl_mtp.h"
#include "reference-peers/relay_internal.h"

/* What breaks the rule: a handshake fault, or one of the relay's own ways. */
typedef struct violation {
    int rule;
    hss_fault fault; /* HSS_FAULT_NONE: not a handshake rule */
} violation;

/* In catalogue order (common/rules.def). */
static const violation table[] = {
    {MT_E_DH_PRIME_SIZE, HSS_FAULT_PRIME_SIZE},
    {MT_E_DH_PRIME_NOT_PRIME, HSS_FAULT_PRIME_COMPOSITE},
    {MT_E_DH_PRIME_NOT_SAFE, HSS_FAULT_PRIME_NOT_SAFE},
    {MT_E_DH_G_UNSUPPORTED, HSS_FAULT_G_UNSUPPORTED},
    {MT_E_DH_G_NOT_RESIDUE, HSS_FAULT_G_RESIDUE},
    {MT_E_DH_GA_RANGE, HSS_FAULT_GA_RANGE},
    {MT_E_DH_GA_BOUNDS, HSS_FAULT_GA_BOUNDS},
    {MT_E_MSG_TOO_SHORT, HSS_FAULT_NONE},
    {MT_E_MSG_AUTH_KEY_ID_UNKNOWN, HSS_FAULT_NONE},
    {MT_E_MSG_KEY_MISMATCH, HSS_FAULT_NONE},
    {MT_E_MSG_NOT_BLOCK_ALIGNED, HSS_FAULT_NONE},
    {MT_E_MSG_LENGTH_TOO_BIG, HSS_FAULT_NONE},
    {MT_E_MSG_LENGTH_NOT_ALIGNED, HSS_FAULT_NONE},
    {MT_E_MSG_PADDING_TOO_SHORT, HSS_FAULT_NONE},
    {MT_E_MSG_PADDING_TOO_LONG, HSS_FAULT_NONE},
    {MT_E_MSG_SESSION_MISMATCH, HSS_FAULT_NONE},
    {MT_E_FULL_BAD_SEQ, HSS_FAULT_NONE},
    {MT_E_FULL_BAD_CRC, HSS_FAULT_NONE},
    {MT_E_SEQNO_EXPECTED_EVEN, HSS_FAULT_NONE},
    {MT_E_SEQNO_EXPECTED_ODD, HSS_FAULT_NONE},
    {MT_E_BAD_SERVER_SALT, HSS_FAULT_NONE},
    {MT_E_CONTAINER_INNER_ID_NOT_BELOW, HSS_FAULT_NONE},
    {MT_E_MSGID_DUPLICATE, HSS_FAULT_NONE},
    {MT_E_RPC_METHOD_UNKNOWN, HSS_FAULT_NONE},
    {MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_ID, HSS_FAULT_NONE},
    {MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_CODE, HSS_FAULT_NONE},
    {MT_E_SERVER_MSGID_EVEN, HSS_FAULT_NONE},
    {MT_E_SERVER_MSGID_TIME_WINDOW, HSS_FAULT_NONE},
    {MT_E_HS_NONCE_MISMATCH, HSS_FAULT_RESPQ_NONCE},
    {MT_E_HS_SERVER_NONCE_MISMATCH, HSS_FAULT_DH_SERVER_NONCE},
    {MT_E_HS_NO_KNOWN_FINGERPRINT, HSS_FAULT_FINGERPRINTS},
    {MT_E_HS_PQ_NOT_SEMIPRIME, HSS_FAULT_PQ_PRIME},
    {MT_E_HS_ANSWER_NOT_ALIGNED, HSS_FAULT_ANSWER_UNALIGNED},
    {MT_E_HS_ANSWER_HASH, HSS_FAULT_ANSWER_HASH},
    {MT_E_HS_ANSWER_PADDING, HSS_FAULT_ANSWER_PADDING},
    {MT_E_HS_NEW_NONCE_HASH1, HSS_FAULT_NEW_NONCE_HASH},
    {MT_E_HS_DH_GEN_FAIL, HSS_FAULT_GEN_FAIL},
};
#define N_VIOLATIONS (sizeof table / sizeof table[0])

const int *relay_violations(size_t *n)
{
    static int rules[N_VIOLATIONS];
    for (size_t i = 0; i < N_VIOLATIONS; i++)
        rules[i] = table[i].rule;
    *n = N_VIOLATIONS;
    return rules;
}

bool relay_violating(const relay *r, int rule)
{
    for (size_t i = 0; i < r->cfg.n_violate; i++)
        if (r->cfg.violate[i] == rule)
            return true;
    return false;
}

hss_fault relay_hss_fault(const relay *r)
{
    for (size_t i = 0; i < N_VIOLATIONS; i++)
        if (table[i].fault != HSS_FAULT_NONE && relay_violating(r, table[i].rule))
            return table[i].fault;
    return HSS_FAULT_NONE;
}

/* Seqno parity: content-related messages (odd) made even, or a container (never content-related,
 * even) made odd. Inner messages of our containers are rewritten in place. */
static void break_seqno(relay *r, mt_msg *m)
{
    bool odd = relay_violating(r, MT_E_SEQNO_EXPECTED_ODD);
    bool container = m->len >= 4 && ld32le(m->body) == MTP_ID_msg_container;
    if (relay_violating(r, MT_E_SEQNO_EXPECTED_EVEN) && (container || !(m->seqno & 1)))
        m->seqno |= 1;
    if (!odd)
        return;
    if (!container) {
        m->seqno &= ~1u;
        return;
    }
    uint8_t *p = r->cbuf + CONTAINER_HEADER_SIZE; /* container bodies are built in cbuf */
    for (uint32_t i = 0, n = ld32le(r->cbuf + 4); i < n; i++) {
        st32le(p + 8, ld32le(p + 8) & ~1u);
        p += CONTAINER_MSG_HDR_SIZE + ld32le(p + 12);
    }
}

/* The smallest padding >= 12 that aligns the plaintext of a len-byte body to 16. */
static size_t min_pad(size_t len)
{
    return MT_MSG_PAD_MIN + (16 - (MT_MSG_INNER_LEN + len + MT_MSG_PAD_MIN) % 16) % 16;
}

/* Framing-layer violations become pack options (an exact padding and forced fields). */
static void break_framing(relay *r, relay_sess *s, size_t len, mt_msg_hdr *h, mt_msg_pack_opts *o,
                          mt_msg_override *ov)
{
    size_t pad = min_pad(len);
    if (relay_violating(r, MT_E_MSG_AUTH_KEY_ID_UNKNOWN)) {
        ov->flags |= MT_OVR_AUTH_KEY_ID;
        memcpy(ov->auth_key_id, s->key.id, MT_AUTH_KEY_ID_LEN);
        ov->auth_key_id[0] ^= 0x5a;
    }
    if (relay_violating(r, MT_E_MSG_KEY_MISMATCH)) {
        ov->flags |= MT_OVR_MSG_KEY;
        memset(ov->msg_key, 0x5a, MT_MSG_KEY_LEN);
    }
    o->pad_len = pad;
    if (relay_violating(r, MT_E_MSG_PADDING_TOO_SHORT))
        ov->length = (uint32_t)(len + pad - 8); /* the receiver sees 8 bytes of padding */
    else if (relay_violating(r, MT_E_MSG_LENGTH_NOT_ALIGNED))
        ov->length = (uint32_t)(len - 2);
    else if (relay_violating(r, MT_E_MSG_LENGTH_TOO_BIG))
        ov->length = (uint32_t)(len + pad + 16);
    else if (relay_violating(r, MT_E_MSG_PADDING_TOO_LONG)) {
        o->pad_len = pad + MT_MSG_PAD_MAX;
        ov->flags |= MT_OVR_PAD_ANY;
    } else {
        o->pad_len = MT_PAD_RANDOM;
    }
    if (ov->length)
        ov->flags |= MT_OVR_LENGTH;
    if (relay_violating(r, MT_E_MSG_SESSION_MISMATCH))
        h->session_id ^= 1;
    if (relay_violating(r, MT_E_SERVER_MSGID_EVEN))
        h->msg_id &= ~(uint64_t)3;
    /* Once the client has synced its clock on our first packet: 600 s in the past. */
    if (relay_violating(r, MT_E_SERVER_MSGID_TIME_WINDOW) && s->packets_out > 0)
        h->msg_id -= (uint64_t)600 << 32;
}

int relay_pack(relay *r, relay_sess *s, const mt_msg *m, uint8_t *out, size_t cap, size_t *out_len)
{
    mt_msg mm = *m;
    if (r->cfg.n_violate)
        break_seqno(r, &mm);
    mt_msg_hdr h = {(uint64_t)sess_server_salt(&s->s), s->reply_session, mm.msg_id, mm.seqno};
    mt_msg_override ov;
    memset(&ov, 0, sizeof ov);
    mt_msg_pack_opts o = {.rng = r->cfg.rng, .pad_len = MT_PAD_RANDOM, .ovr = &ov};
    if (r->cfg.n_violate)
        break_framing(r, s, mm.len, &h, &o, &ov);
    if (o.pad_len != MT_PAD_RANDOM && cap < MT_MSG_PACKED_LEN(mm.len, o.pad_len) + 4)
        return MT_E_no_space;
    int err = mt_msg_pack(&s->key, MT_X_SERVER, &h, mm.body, mm.len, &o, out, cap, out_len);
    if (err || !r->cfg.n_violate)
        return err;
    if (relay_violating(r, MT_E_MSG_TOO_SHORT))
        *out_len = MT_MSG_OUTER_LEN + 16; /* below auth_key_id + msg_key + the inner header */
    else if (relay_violating(r, MT_E_MSG_NOT_BLOCK_ALIGNED)) {
        memset(out + *out_len, 0, 4);
        *out_len += 4;
    }
    return MT_OK;
}

void relay_violate_preframe(relay *r, relay_conn *c)
{
    /* "seq is the connection packet counter starting at 0": ours starts at 1. */
    if (c->t.kind == MT_TRANSPORT_FULL && c->t.tx_seq == 0 && relay_violating(r, MT_E_FULL_BAD_SEQ))
        c->t.tx_seq = 1;
}

void relay_violate_frame(relay *r, relay_conn *c, uint8_t *wire, size_t n)
{
    if (c->t.kind == MT_TRANSPORT_FULL && n >= 12 && relay_violating(r, MT_E_FULL_BAD_CRC))
        wire[n - 1] ^= 0x01;
}

/* Whether an answer is rpc_result carrying rpc_error (what the engine says to unknown methods). */
static bool is_rpc_error_result(const mt_msg *m)
{
    return m->len >= 16 && ld32le(m->body) == MTP_ID_rpc_result &&
           ld32le(m->body + 12) == MTP_ID_rpc_error;
}

/* bad_msg_notification {bad_msg_id, bad_msg_seqno, error_code} added to o. */
static int add_bad_msg(relay_sess *s, uint64_t id, uint32_t seqno, int32_t code, sess_out *o)
{
    uint8_t b[20];
    st32le(b, MTP_ID_bad_msg_notification);
    st64le(b + 4, id);
    st32le(b + 12, seqno);
    st32le(b + 16, (uint32_t)code);
    return sess_server_reply(&s->s, b, sizeof b, o, NULL);
}

int relay_violate_extra(relay *r, relay_sess *s, const mt_msg *in, int rule, sess_out *o)
{
    if (!r->cfg.n_violate)
        return MT_OK;
    for (size_t i = 0; i < o->n; i++) {
        mt_msg *m = &o->msgs[i];
        uint8_t *body = r->obuf + (m->body - r->obuf); /* o is r->out: its bodies are ours */
        if (relay_violating(r, MT_E_BAD_SERVER_SALT) && m->len == 28 &&
            ld32le(body) == MTP_ID_bad_server_salt)
            body[20] ^= 0x01; /* new_server_salt: not the salt the server accepts */
        if (rule == MT_E_RPC_METHOD_UNKNOWN && relay_violating(r, rule) && is_rpc_error_result(m)) {
            memmove(m, m + 1, (o->n - i - 1) * sizeof *m); /* silence instead of rpc_error */
            o->n--;
            i--;
        }
    }
    int err = MT_OK;
    /* An id the client never sent (its fractional part changed), and an undefined code. */
    if (relay_violating(r, MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_ID))
        err = add_bad_msg(s, in->msg_id ^ ((uint64_t)1 << 20), in->seqno, 16, o);
    if (!err && relay_violating(r, MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_CODE))
        err = add_bad_msg(s, in->msg_id, in->seqno, 21, o);
    return err;
}
