/* The relay's room table (reference-peers/relay_room_table.c): rooms found by name through a
 * hash table with thousands of rooms (the load benchmark runs 500), removal keeps every other
 * room reachable, fresh names never collide with taken ones, and the waiting list hands out the
 * room waiting longest first and follows every member change. */
#include "relay_loop.h"

#include <stdio.h>

#include "reference-peers/relay_internal.h"

enum { N_ROOMS = 3000 };

static void name_of(char *buf, size_t cap, int i)
{
    snprintf(buf, cap, "load-%d", i);
}

static relay_room *find(relay *r, const char *name)
{
    return relay_room_find(r, (const uint8_t *)name, strlen(name));
}

static void many_rooms(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    relay *r = rr.r;
    static relay_room *rooms[N_ROOMS];
    char name[32];
    for (int i = 0; i < N_ROOMS; i++) {
        name_of(name, sizeof name, i);
        rooms[i] = relay_room_new(r, (const uint8_t *)name, strlen(name));
        assert_non_null(rooms[i]);
    }
    assert_true(r->rooms_cap >= N_ROOMS); /* chains stay short */
    for (int i = 0; i < N_ROOMS; i++) {
        name_of(name, sizeof name, i);
        assert_ptr_equal(find(r, name), rooms[i]);
    }
    assert_null(find(r, "load-x"));
    for (int i = 0; i < N_ROOMS; i += 2)
        relay_room_drop(r, rooms[i]);
    for (int i = 0; i < N_ROOMS; i++) {
        name_of(name, sizeof name, i);
        assert_ptr_equal(find(r, name), i % 2 ? rooms[i] : NULL);
    }
    relay_stats st;
    relay_get_stats(r, &st);
    assert_int_equal(st.rooms, N_ROOMS / 2);
    /* Fresh names skip taken ones. */
    assert_non_null(relay_room_new(r, (const uint8_t *)"room-1", 6));
    relay_room *fresh = relay_room_new(r, NULL, 0);
    assert_non_null(fresh);
    assert_string_equal(fresh->name, "room-2");
    rl_relay_free(&rr); /* frees every room (ASan checks) */
}

static void waiting_list(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    relay *r = rr.r;
    relay_conn *m[4] = {(relay_conn *)&m[0], (relay_conn *)&m[1], (relay_conn *)&m[2],
                        (relay_conn *)&m[3]}; /* stand-ins: the table never reads members */
    relay_room *a = relay_room_new(r, NULL, 0), *b = relay_room_new(r, NULL, 0);
    relay_room *c = relay_room_new(r, NULL, 0);
    assert_null(relay_room_waiting(r)); /* empty rooms do not wait */
    b->member[0] = m[0];
    relay_room_update(r, b);
    a->member[0] = m[1];
    relay_room_update(r, a);
    c->member[0] = m[2];
    relay_room_update(r, c);
    assert_ptr_equal(relay_room_waiting(r), b); /* oldest first */
    b->member[1] = m[3];
    relay_room_update(r, b); /* full: off the list */
    assert_ptr_equal(relay_room_waiting(r), a);
    relay_room_drop(r, a);
    assert_ptr_equal(relay_room_waiting(r), c);
    b->member[1] = NULL;
    relay_room_update(r, b); /* waits again, behind c */
    assert_ptr_equal(relay_room_waiting(r), c);
    c->member[0] = NULL;
    relay_room_update(r, c);
    assert_ptr_equal(relay_room_waiting(r), b);
    relay_room_drop(r, b);
    relay_room_drop(r, c);
    assert_null(relay_room_waiting(r));
    assert_int_equal(r->nrooms, 0);
    rl_relay_free(&rr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_rooms),
        cmocka_unit_test(waiting_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
