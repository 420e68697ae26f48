/*
 * Key visualisation for out-of-band comparison (mtproto-notes §8; api/end-to-end, "Key
 * Visualization"): the 36 bytes SHA1(original key)[0:16] ‖ SHA256(key in use)[0:20], shown as
 * text lines both peers print identically. Telegram draws an image and emoji from these bytes;
 * a terminal gets hex groups (for reading aloud) and an ASCII grid (for a glance): 144 cells of
 * 2 bits each, 8 rows of 18, each cell one of ". : + #".
 */
#include <stdio.h>
#include <string.h>

#include "common/ct.h"
#include "crypto/sha1.h"
#include "crypto/sha256.h"
#include "proto/e2e.h"

enum { VIS_BYTES = 36, GRID_ROWS = 8, GRID_COLS = 18, GROUP = 4 };
_Static_assert(GRID_ROWS *GRID_COLS * 2 == VIS_BYTES * 8, "one 2-bit cell per grid square");

static void visual_bytes(const uint8_t original[E2E_KEY_LEN], const uint8_t current[E2E_KEY_LEN],
                         uint8_t v[VIS_BYTES])
{
    uint8_t h1[SHA1_DIGEST_LEN], h2[SHA256_DIGEST_LEN];
    sha1(original, E2E_KEY_LEN, h1);
    sha256(current, E2E_KEY_LEN, h2);
    memcpy(v, h1, 16);
    memcpy(v + 16, h2, 20);
    ct_wipe(h1, sizeof h1);
    ct_wipe(h2, sizeof h2);
}

/* Appends to out at *at, never past E2E_VISUAL_MAX - 1 (the grid's size is fixed and fits). */
static void put(char out[E2E_VISUAL_MAX], size_t *at, const char *s)
{
    size_t n = strlen(s);
    if (*at + n >= E2E_VISUAL_MAX)
        n = E2E_VISUAL_MAX - 1 - *at;
    memcpy(out + *at, s, n);
    *at += n;
    out[*at] = '\0';
}

static void put_hex_lines(char out[E2E_VISUAL_MAX], size_t *at, const uint8_t v[VIS_BYTES])
{
    /* Nine groups of four bytes: five on the first line, four on the second. */
    char grp[16];
    for (size_t g = 0; g < VIS_BYTES / GROUP; g++) {
        const uint8_t *b = v + g * GROUP;
        snprintf(grp, sizeof grp, "%s%02x%02x%02x%02x", g == 0 ? "" : (g == 5 ? "\n" : " "), b[0],
                 b[1], b[2], b[3]);
        put(out, at, grp);
    }
    put(out, at, "\n");
}

static void put_grid(char out[E2E_VISUAL_MAX], size_t *at, const uint8_t v[VIS_BYTES])
{
    static const char cells[4] = {'.', ':', '+', '#'};
    char line[GRID_COLS + 4];
    put(out, at, "+------------------+\n");
    for (size_t r = 0; r < GRID_ROWS; r++) {
        line[0] = '|';
        for (size_t c = 0; c < GRID_COLS; c++) {
            size_t bit = (r * GRID_COLS + c) * 2;
            line[1 + c] = cells[(v[bit / 8] >> (6 - bit % 8)) & 3u];
        }
        line[1 + GRID_COLS] = '|';
        line[2 + GRID_COLS] = '\n';
        line[3 + GRID_COLS] = '\0';
        put(out, at, line);
    }
    put(out, at, "+------------------+\n");
}

void e2e_visualise(const uint8_t original[E2E_KEY_LEN], const uint8_t current[E2E_KEY_LEN],
                   char out[E2E_VISUAL_MAX])
{
    uint8_t v[VIS_BYTES];
    size_t at = 0;
    out[0] = '\0';
    visual_bytes(original, current, v);
    put_hex_lines(out, &at, v);
    put_grid(out, &at, v);
    ct_wipe(v, sizeof v);
}
