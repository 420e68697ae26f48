/*
 * Target: transcript_parse, transcript_format, transcript_equal (harness/transcript*.c:
 * transcript_parse.c, transcript_parse_frame.c, transcript_write.c).
 * Property: parsing never overruns or leaks, every failure names a line and column inside the
 * input, and an accepted transcript written back (with its decoded view) parses again to an
 * equal transcript.
 */
#include <stdint.h>
#include <stdlib.h>

#include "harness/transcript.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (size_t)1 << 20)
        return 0;
    /* An exact-size copy: the parser must not read past the end (there is no NUL). */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    for (size_t i = 0; i < size; i++)
        text[i] = (char)data[i];
    mt_transcript t, u;
    tr_error e;
    int err = transcript_parse(text, size, &t, &e);
    if (err) {
        if (e.code != err || e.line == 0 || e.col == 0 || !e.msg[0])
            abort();
    } else {
        char *out = NULL;
        size_t n = 0;
        tr_write_opts o = {.decoded = true};
        if (transcript_format(&t, &o, &out, &n) != MT_OK)
            abort();
        if (transcript_parse(out, n, &u, &e) != MT_OK || !transcript_equal(&t, &u))
            abort();
        transcript_free(&u);
        free(out);
    }
    transcript_free(&t);
    free(text);
    return 0;
}
