/* The relay's auth keys: an open-addressing table keyed by auth_key_id (every encrypted packet
 * is looked up here, so the lookup does not scan). Keys are wiped when the table is freed. */
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

const relay_key *relay_key_find(const relay *r, const uint8_t id[MT_AUTH_KEY_ID_LEN])
{
    if (!r->keys_cap)
        return NULL;
    for (uint32_t i = slot_of(id, r->keys_cap), n = 0; n < r->keys_cap;
         i = (i + 1) & (r->keys_cap - 1), n++) {
        const relay_key *k = r->keys[i];
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

int relay_key_put(relay *r, const mt_auth_key *k, bool temp, int64_t expires_at)
{
    relay_key *old = (relay_key *)relay_key_find(r, k->id);
    if (old) {
        /* The same id again (a reload of --state): the newer record wins. */
        old->key = *k;
        old->temp = temp;
        old->expires_at = expires_at;
        return MT_OK;
    }
    if (2 * (r->nkeys + 1) > r->keys_cap) {
        int err = grow(r);
        if (err)
            return err;
    }
    relay_key *e = calloc(1, sizeof *e);
    if (!e)
        return MT_E_no_memory;
    e->key = *k;
    e->temp = temp;
    e->expires_at = temp ? expires_at : 0;
    insert(r->keys, r->keys_cap, e);
    r->nkeys++;
    return MT_OK;
}

int relay_add_key(relay *r, const mt_auth_key *key, bool temp, int64_t expires_at)
{
    if (!r || !key)
        return MT_E_bad_argument;
    mt_auth_key k;
    mt_auth_key_init(&k, key->key); /* id and aux_hash recomputed: never trust a stored id */
    int err = relay_key_put(r, &k, temp, expires_at);
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
