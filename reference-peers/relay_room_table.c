/* The relay's rooms by name: a chained hash table (relay.join looks a name up, and the load
 * benchmark runs hundreds of rooms, so a lookup must not scan them all), plus the list of rooms
 * with one member waiting, oldest first (relay.join without a name takes its head). Room names
 * come from peers: the hash is keyed with a seed drawn from the relay's RNG, so colliding names
 * cannot be prepared in advance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference-peers/relay_internal.h"

#define ROOM_BUCKETS_MIN 64u

/* FNV-1a over the seed and the name, then a 64-bit finalizer (murmur3 fmix64). */
static uint64_t room_hash(uint64_t seed, const uint8_t *name, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= name[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static relay_room **bucket(const relay *r, const uint8_t *name, size_t len)
{
    return &r->rooms[room_hash(r->room_seed, name, len) & (r->rooms_cap - 1)];
}

relay_room *relay_room_find(const relay *r, const uint8_t *name, size_t len)
{
    if (!r->rooms_cap)
        return NULL;
    for (relay_room *x = *bucket(r, name, len); x; x = x->chain)
        if (strlen(x->name) == len && memcmp(x->name, name, len) == 0)
            return x;
    return NULL;
}

static void link_room(relay *r, relay_room *room)
{
    relay_room **b = bucket(r, (const uint8_t *)room->name, strlen(room->name));
    room->chain = *b;
    *b = room;
}

/* Doubles the buckets when rooms outnumber them (chains stay short). */
static int grow(relay *r)
{
    uint32_t old_cap = r->rooms_cap, cap = old_cap ? 2 * old_cap : ROOM_BUCKETS_MIN;
    relay_room **old = r->rooms;
    r->rooms = calloc(cap, sizeof *r->rooms);
    if (!r->rooms) {
        r->rooms = old;
        return MT_E_no_memory;
    }
    r->rooms_cap = cap;
    for (uint32_t i = 0; i < old_cap; i++) {
        for (relay_room *x = old[i], *next; x; x = next) {
            next = x->chain;
            link_room(r, x);
        }
    }
    free(old);
    return MT_OK;
}

relay_room *relay_room_new(relay *r, const uint8_t *name, size_t len)
{
    if (r->nrooms >= r->rooms_cap && grow(r))
        return NULL;
    relay_room *room = calloc(1, sizeof *room);
    if (!room)
        return NULL;
    if (name) {
        memcpy(room->name, name, len);
    } else {
        do
            snprintf(room->name, sizeof room->name, "room-%u", ++r->room_seq);
        while (relay_room_find(r, (const uint8_t *)room->name, strlen(room->name)));
    }
    link_room(r, room);
    r->nrooms++;
    return room;
}

/* Keeps the waiting list in step with the room's members (call after every change). */
void relay_room_update(relay *r, relay_room *room)
{
    bool waiting = room->member[0] && !room->member[1];
    if (waiting == room->waiting)
        return;
    room->waiting = waiting;
    if (waiting) { /* to the tail: the longest waiting is matched first */
        room->wprev = r->wait_tail;
        room->wnext = NULL;
        if (r->wait_tail)
            r->wait_tail->wnext = room;
        else
            r->wait_head = room;
        r->wait_tail = room;
        return;
    }
    if (room->wprev)
        room->wprev->wnext = room->wnext;
    else
        r->wait_head = room->wnext;
    if (room->wnext)
        room->wnext->wprev = room->wprev;
    else
        r->wait_tail = room->wprev;
    room->wprev = room->wnext = NULL;
}

relay_room *relay_room_waiting(const relay *r)
{
    return r->wait_head;
}

void relay_room_drop(relay *r, relay_room *room)
{
    room->member[0] = room->member[1] = NULL;
    relay_room_update(r, room);
    for (relay_room **p = bucket(r, (const uint8_t *)room->name, strlen(room->name)); *p;
         p = &(*p)->chain) {
        if (*p == room) {
            *p = room->chain;
            break;
        }
    }
    r->nrooms--;
    free(room);
}

void relay_rooms_free(relay *r)
{
    for (uint32_t i = 0; i < r->rooms_cap; i++) {
        for (relay_room *x = r->rooms[i], *next; x; x = next) {
            next = x->chain;
            free(x);
        }
    }
    free(r->rooms);
    r->rooms = NULL;
    r->nrooms = r->rooms_cap = 0;
    r->wait_head = r->wait_tail = NULL;
}
