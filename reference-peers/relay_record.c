/* Per-connection transcripts of the relay (relay_record.h). */
#include "reference-peers/relay_record.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

void relay_rec_init(relay_rec *r)
{
    memset(r, 0, sizeof *r);
    transcript_init(&r->t);
    r->t.version = TRANSCRIPT_VERSION;
    r->t.layer = TR_LAYER_PACKET;
    r->failed = transcript_set_word(&r->t.records, "session") != 0 ||
                transcript_add_text(&r->t.sources, "mtproof relay --record") != 0;
}

void relay_rec_frame(relay_rec *r, relay_dir dir, const uint8_t *p, size_t n, uint64_t t_ns)
{
    if (r->failed || r->truncated)
        return;
    if (r->t.frames.n >= TRANSCRIPT_MAX_FRAMES || n > TRANSCRIPT_MAX_FRAME_LEN) {
        r->truncated = true;
        return;
    }
    /* Frame times must never decrease; the clock can step back (NTP), so clamp. */
    if (r->t.frames.n) {
        uint64_t last = transcript_frame(&r->t, r->t.frames.n - 1)->time_ns;
        if (t_ns < last)
            t_ns = last;
    }
    if (transcript_add_frame(&r->t, dir == RELAY_IN ? TR_C2S : TR_S2C, t_ns, p, n) != 0)
        r->failed = true;
}

void relay_rec_key(relay_rec *r, const mt_auth_key *key)
{
    if (r->failed)
        return;
    for (size_t i = 0; i < r->n_keys; i++)
        if (memcmp(r->key_ids[i], key->id, MT_AUTH_KEY_ID_LEN) == 0)
            return;
    if (r->n_keys == sizeof r->key_ids / sizeof r->key_ids[0])
        return;
    memcpy(r->key_ids[r->n_keys++], key->id, MT_AUTH_KEY_ID_LEN);
    if (transcript_add_key(&r->t, key->key, MT_AUTH_KEY_LEN) != 0)
        r->failed = true;
}

bool relay_rec_write(relay_rec *r, const char *dir, uint64_t start_s, uint32_t conn)
{
    /* A note that cannot be added (out of memory) leaves the transcript as it is. */
    int err = 0;
    if (r->truncated)
        err = transcript_add_text(&r->t.notes, "truncated: the connection had more frames than a "
                                               "transcript holds");
    if (r->failed)
        err = transcript_add_text(&r->t.notes, "incomplete: out of memory while recording");
    (void)err;
    char path[4096];
    snprintf(path, sizeof path, "%s/relay-%llu-%u.transcript", dir, (unsigned long long)start_s,
             conn);
    /* The transcript holds auth keys: private to the user. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        fprintf(stderr, "mtproof relay: --record: %s: %s\n", path, strerror(errno));
        return false;
    }
    err = transcript_write(f, &r->t, &(tr_write_opts){.decoded = false});
    bool ok = fclose(f) == 0 && err == 0;
    if (!ok)
        fprintf(stderr, "mtproof relay: --record: %s: write failed\n", path);
    return ok;
}

void relay_rec_free(relay_rec *r)
{
    transcript_free(&r->t);
}
