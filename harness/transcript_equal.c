/* Transcript equality: the same values in the same order, line numbers aside (the fuzz target's
 * round-trip property and the generator check rely on it). */
#include <string.h>

#include "harness/transcript.h"

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool bytes_eq(const tr_bytes *a, const tr_bytes *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static bool texts_eq(const tr_list *a, const tr_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!str_eq(((char **)a->v)[i], ((char **)b->v)[i]))
            return false;
    return true;
}

static bool values_eq(const tr_list *a, const tr_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const tr_value *x = transcript_value(a, i), *y = transcript_value(b, i);
        if (x->side != y->side || x->kind != y->kind || !str_eq(x->name, y->name) ||
            !str_eq(x->word, y->word) || !bytes_eq(&x->hex, &y->hex) || x->num != y->num)
            return false;
    }
    return true;
}

static bool keys_eq(const mt_transcript *a, const mt_transcript *b)
{
    if (a->rsa_keys.n != b->rsa_keys.n || a->auth_keys.n != b->auth_keys.n)
        return false;
    for (size_t i = 0; i < a->rsa_keys.n; i++) {
        const tr_rsa_key *x = (const tr_rsa_key *)a->rsa_keys.v + i;
        const tr_rsa_key *y = (const tr_rsa_key *)b->rsa_keys.v + i;
        if (x->fingerprint != y->fingerprint || !str_eq(x->file, y->file))
            return false;
    }
    for (size_t i = 0; i < a->auth_keys.n; i++)
        if (!bytes_eq((const tr_bytes *)a->auth_keys.v + i, (const tr_bytes *)b->auth_keys.v + i))
            return false;
    return true;
}

static bool frames_eq(const mt_transcript *a, const mt_transcript *b)
{
    if (a->frames.n != b->frames.n)
        return false;
    for (size_t i = 0; i < a->frames.n; i++) {
        const tr_frame *x = transcript_frame(a, i), *y = transcript_frame(b, i);
        if (x->dir != y->dir || x->time_ns != y->time_ns || !bytes_eq(&x->bytes, &y->bytes) ||
            !str_eq(x->unreproducible, y->unreproducible))
            return false;
    }
    return true;
}

bool transcript_equal(const mt_transcript *a, const mt_transcript *b)
{
    if (a->version != b->version || a->layer != b->layer || !str_eq(a->records, b->records) ||
        !str_eq(a->transport, b->transport) || !texts_eq(&a->sources, &b->sources) ||
        !texts_eq(&a->notes, &b->notes) || !bytes_eq(&a->dh_prime, &b->dh_prime) ||
        a->dh_g != b->dh_g)
        return false;
    for (unsigned s = 0; s < 2; s++)
        if (!str_eq(a->no_replay[s], b->no_replay[s]) || a->have_seed[s] != b->have_seed[s] ||
            !bytes_eq(&a->seed[s], &b->seed[s]))
            return false;
    return values_eq(&a->randoms, &b->randoms) && values_eq(&a->params, &b->params) &&
           values_eq(&a->expects, &b->expects) && keys_eq(a, b) && frames_eq(a, b);
}
