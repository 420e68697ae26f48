#include "proto/session_check.h"

#include <string.h>

#include "common/endian.h"
#include "proto/tl_mtp.h"

void sess_window_init(sess_window *w)
{
    w->n = 0;
}

/* Index of the first entry with id >= msg_id (binary search over the sorted window). */
static uint32_t window_lower_bound(const sess_window *w, uint64_t msg_id)
{
    uint32_t lo = 0, hi = w->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->e[mid].id < msg_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

sess_seen *sess_window_find(sess_window *w, uint64_t id)
{
    uint32_t i = window_lower_bound(w, id);
    return i < w->n && w->e[i].id == id ? &w->e[i] : NULL;
}

bool sess_window_below(const sess_window *w, uint64_t id)
{
    return w->n == SESS_MSGID_WINDOW && id < w->e[0].id;
}

void sess_window_add(sess_window *w, uint64_t id, uint32_t seqno, uint8_t state)
{
    uint32_t i = window_lower_bound(w, id);
    if (w->n == SESS_MSGID_WINDOW) {
        /* Forget the lowest id to make room; the new one is above it (sess_check_window). */
        if (i == 0)
            return;
        memmove(&w->e[0], &w->e[1], (size_t)(i - 1) * sizeof w->e[0]);
        i--;
    } else {
        memmove(&w->e[i + 1], &w->e[i], (size_t)(w->n - i) * sizeof w->e[0]);
        w->n++;
    }
    w->e[i] = (sess_seen){.id = id, .seqno = seqno, .state = state};
}

void sess_window_forget(sess_window *w, uint64_t id)
{
    uint32_t i = window_lower_bound(w, id);
    if (i == w->n || w->e[i].id != id)
        return;
    memmove(&w->e[i], &w->e[i + 1], (size_t)(w->n - i - 1) * sizeof w->e[0]);
    w->n--;
}

uint8_t sess_window_status(const sess_window *w, uint64_t id)
{
    uint32_t i = window_lower_bound(w, id);
    if (i < w->n && w->e[i].id == id)
        return (uint8_t)(w->e[i].state & ~SEEN_CONTAINER);
    if (sess_window_below(w, id) || (id & 3) != 0)
        return 1; /* nothing known (too low, or not a client id) */
    return w->n && id > w->e[w->n - 1].id ? 3 : 2;
}

int sess_check_parity(uint64_t msg_id, bool from_client)
{
    if (from_client)
        return (msg_id & 3) == 0 ? MT_OK : MT_E_MSGID_BAD_PARITY;
    return (msg_id & 1) == 1 ? MT_OK : MT_E_SERVER_MSGID_EVEN;
}

int sess_check_time(uint64_t msg_id, uint64_t now_ns)
{
    /* Compared in msg_id units (2^-32 s), so both edges are exact. */
    uint64_t now = msgid_from_ns(now_ns);
    uint64_t past = (SESS_PAST_NS / NS_PER_S) << 32, future = (SESS_FUTURE_NS / NS_PER_S) << 32;
    if (now > past && msg_id < now - past)
        return MT_E_MSGID_TOO_LOW;
    if (msg_id > now + future)
        return MT_E_MSGID_TOO_HIGH;
    return MT_OK;
}

int sess_check_window(const sess_window *w, uint64_t msg_id, bool is_container)
{
    if (sess_window_below(w, msg_id))
        return MT_E_MSG_TOO_OLD;
    uint32_t i = window_lower_bound(w, msg_id);
    if (i < w->n && w->e[i].id == msg_id)
        return is_container ? MT_E_CONTAINER_MSGID_REUSED : MT_E_MSGID_DUPLICATE;
    return MT_OK;
}

int sess_check_seqno(const sess_window *w, uint64_t msg_id, uint32_t seqno, bool content_related)
{
    if (content_related && (seqno & 1) == 0)
        return MT_E_SEQNO_EXPECTED_ODD;
    if (!content_related && (seqno & 1) == 1)
        return MT_E_SEQNO_EXPECTED_EVEN;
    uint32_t i = window_lower_bound(w, msg_id);
    /* Containers are left out: their seqno is bounded by their own messages' (container.c). */
    for (uint32_t k = i; k-- > 0;) {
        const sess_seen *p = &w->e[k];
        if (p->state & SEEN_CONTAINER)
            continue;
        if (p->seqno > seqno || (p->seqno == seqno && (seqno & 1)))
            return MT_E_SEQNO_TOO_LOW;
        break;
    }
    for (uint32_t k = i; k < w->n; k++) {
        const sess_seen *q = &w->e[k];
        if (q->id == msg_id || (q->state & SEEN_CONTAINER))
            continue;
        if (q->seqno < seqno || (q->seqno == seqno && (seqno & 1)))
            return MT_E_SEQNO_TOO_HIGH;
        break;
    }
    return MT_OK;
}

bool sess_is_content_related(uint32_t ctor_id)
{
    switch (ctor_id) {
    case MTP_ID_msgs_ack:
    case MTP_ID_msg_container:
    case MTP_ID_msg_copy:
    case MTP_ID_gzip_packed:
        return false;
    default:
        return true;
    }
}

bool sess_server_content_related(uint32_t ctor_id)
{
    return sess_is_content_related(ctor_id) && ctor_id != MTP_ID_bad_msg_notification &&
           ctor_id != MTP_ID_bad_server_salt;
}

int sess_check_server_seqno(uint32_t ctor_id, uint32_t seqno)
{
    bool odd = (seqno & 1) == 1;
    return odd == sess_server_content_related(ctor_id) ? MT_OK : MT_E_SERVER_SEQNO_PARITY;
}
