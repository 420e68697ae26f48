/* The relay's auth keys: an open-addressing table keyed by auth_key_id (every encrypted packet
 * is looked up here, so the lookup does not scan), each with its salt schedule. Expired
 * temporary keys leave the table on relay_tick; keys are wiped when they leave it. */
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "reference-peers/relay_internal.h"

/* auth_key_id is 64 bits of SHA1 output: uniform, so its low bits index the table. */
static uint32_t slot_of(const uint8_t id[MT_AUTH_KEY_ID_LEN], uint32_t cap)
{
    return (uint32_t)(ld64le(id) & (cap - 1));
}

relay_key *relay_key_find(const relay *r, const uint8_t id[MT_AUTH_KEY_ID_LEN])
{
    if (!r->keys_cap)
        return NULL;
    for (uint32_t i = slot_of(id, r->keys_cap), n = 0; n < r->keys_cap;
         i = (i + 1) & (r->keys_cap - 1), n++) {
        relay_key *k = r->keys[i];
        if (!k)
            return NULL;
        if (memcmp(k->key.id, id, MT_AUTH_KEY_ID_LEN) == 0) /* a public identifier */
            return k;
    }
    return NULL;
}

static void insert(relay_key **tab, uint32_t cap, relay_key *k)
{
    uint32_t i = slot_of(k->key.id, cap);
    while (tab[i])
        i = (i + 1) & (cap - 1);
    tab[i] = k;
}

static int grow(relay *r)
{
    uint32_t cap = r->keys_cap ? 2 * r->keys_cap : 256;
    relay_key **tab = calloc(cap, sizeof *tab);
    if (!tab)
        return MT_E_no_memory;
    for (uint32_t i = 0; i < r->keys_cap; i++)
        if (r->keys[i])
            insert(tab, cap, r->keys[i]);
    free(r->keys);
    r->keys = tab;
    r->keys_cap = cap;
    return MT_OK;
}

int relay_key_put(relay *r, const mt_auth_key *k, bool temp, int64_t expires_at,
                  const int64_t *first_salt)
{
    relay_key *e = relay_key_find(r, k->id);
    if (!e) {
        if (2 * (r->nkeys + 1) > r->keys_cap) {
            int err = grow(r);
            if (err)
                return err;
        }
        e = calloc(1, sizeof *e);
        if (!e)
            return MT_E_no_memory;
        e->key = *k;
        salts_init(&e->salts);
        insert(r->keys, r->keys_cap, e);
        r->nkeys++;
    }
    /* The same id again (a reload of --state): the newer record wins, the salts stay. */
    e->key = *k;
    e->temp = temp;
    e->expires_at = temp ? expires_at : 0;
    if (temp && expires_at < r->keys_expire_at)
        r->keys_expire_at = expires_at;
    if (first_salt) {
        /* "server_salt: the first salt"; the schedule goes on from its period's end. */
        uint32_t now = (uint32_t)(relay_now(r) / NS_PER_S);
        salts_init(&e->salts);
        salts_learn(&e->salts, *first_salt, now, now + SALT_PERIOD_S);
    }
    return MT_OK;
}

int relay_add_key(relay *r, const mt_auth_key *key, bool temp, int64_t expires_at)
{
    if (!r || !key)
        return MT_E_bad_argument;
    mt_auth_key k;
    mt_auth_key_init(&k, key->key); /* id and aux_hash recomputed: never trust a stored id */
    int err = relay_key_put(r, &k, temp, expires_at, NULL);
    mt_auth_key_wipe(&k);
    return err;
}

bool relay_key_exists_cb(void *ctx, const uint8_t id[MT_AUTH_KEY_ID_LEN])
{
    return relay_key_find(ctx, id) != NULL;
}

const mt_auth_key *relay_find_perm_cb(void *ctx, int64_t auth_key_id)
{
    uint8_t id[MT_AUTH_KEY_ID_LEN];
    st64le(id, (uint64_t)auth_key_id);
    const relay_key *k = relay_key_find(ctx, id);
    return k && !k->temp ? &k->key : NULL;
}

/* Linear-probing deletion: later entries of the probe run move back into the hole. */
static void remove_at(relay *r, uint32_t i)
{
    uint32_t mask = r->keys_cap - 1;
    mt_auth_key_wipe(&r->keys[i]->key);
    free(r->keys[i]);
    r->keys[i] = NULL;
    r->nkeys--;
    for (uint32_t j = (i + 1) & mask; r->keys[j]; j = (j + 1) & mask) {
        uint32_t home = slot_of(r->keys[j]->key.id, r->keys_cap);
        /* The entry stays when its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            r->keys[i] = r->keys[j];
            r->keys[j] = NULL;
            i = j;
        }
    }
}

/* A key leaving: connections on it close, its binding goes. */
static void forget(relay *r, const relay_key *k)
{
    for (relay_conn *c = r->open; c; c = c->next) {
        if (!c->sess || memcmp(c->sess->key.id, k->key.id, MT_AUTH_KEY_ID_LEN) != 0)
            continue;
        relay_log(r, RELAY_LOG_INFO, c->id, "temporary key expired");
        relay_sess_free(c->sess); /* it points at the key's salts */
        c->sess = NULL;
        relay_fail_rule(r, c, MT_E_MSG_AUTH_KEY_ID_UNKNOWN);
    }
    mt_bind_table_drop_temp(&r->bind.table, mt_bind_key_id(&k->key));
}

int64_t relay_keys_expire(relay *r, int64_t now)
{
    if (now < r->keys_expire_at)
        return r->keys_expire_at;
    int64_t next = INT64_MAX;
    for (uint32_t i = 0; i < r->keys_cap;) {
        relay_key *k = r->keys[i];
        if (k && k->temp && k->expires_at <= now) {
            forget(r, k);
            remove_at(r, i); /* slot i may now hold a moved entry: look again */
            continue;
        }
        if (k && k->temp && k->expires_at < next)
            next = k->expires_at;
        i++;
    }
    r->keys_expire_at = next;
    return next;
}

void relay_keys_free(relay *r)
{
    for (uint32_t i = 0; i < r->keys_cap; i++) {
        if (r->keys[i]) {
            mt_auth_key_wipe(&r->keys[i]->key);
            free(r->keys[i]);
        }
    }
    free(r->keys);
    r->keys = NULL;
    r->keys_cap = r->nkeys = 0;
}
