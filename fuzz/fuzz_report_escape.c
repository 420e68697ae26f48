/*
 * Target: rp_putn in every mode and rp_utf8_clean (harness/report_util.c), the escaping every
 * report writer applies to strings that come from the target under test.
 * Input: arbitrary bytes (a hostile scenario name, message or transcript).
 * Property: every output is valid UTF-8 (rp_utf8_clean leaves it unchanged), holds no control
 * character (C0 but '\n'/'\t' where the mode keeps them, DEL, C1) and no U+FFFE/U+FFFF; the XML
 * and HTML modes leave no '<', '>', '"' or '\'' and only '&' that start an entity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report_internal.h"

static void check_escaped(const char *out, size_t len, rp_esc mode)
{
    const unsigned char *p = (const unsigned char *)out;
    bool markup = mode == RP_XML || mode == RP_XML_ATTR || mode == RP_HTML;
    char *clean = rp_utf8_clean(out);
    if (!clean || strlen(out) != len || strcmp(clean, out) != 0)
        abort(); /* not valid UTF-8, or a NUL byte got through */
    free(clean);
    for (size_t i = 0; i < len; i++) {
        bool keep_nl = mode != RP_TEXT_LINE && mode != RP_XML_ATTR;
        bool keep_tab = mode == RP_XML || mode == RP_HTML;
        if ((p[i] < 0x20 && !(p[i] == '\n' && keep_nl) && !(p[i] == '\t' && keep_tab)) ||
            p[i] == 0x7f)
            abort();
        if (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            abort(); /* C1 */
        if (p[i] == 0xEF && i + 2 < len && p[i + 1] == 0xBF && p[i + 2] >= 0xBE)
            abort(); /* U+FFFE, U+FFFF */
        if (markup && strchr("<>\"'", p[i]))
            abort();
        if (markup && p[i] == '&' && (i + 1 >= len || !strchr("alqg#", p[i + 1])))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (int mode = RP_TEXT_LINE; mode <= RP_HTML; mode++) {
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        if (!f)
            break;
        rp_putn(f, text, size, (rp_esc)mode);
        fclose(f);
        check_escaped(out, len, (rp_esc)mode);
        free(out);
    }
    char *clean = rp_utf8_clean(text); /* stops at a NUL byte of the input, like a C string */
    if (clean) {
        char *again = rp_utf8_clean(clean);
        if (!again || strcmp(again, clean) != 0)
            abort(); /* the output is valid UTF-8: cleaning it again changes nothing */
        free(again);
        free(clean);
    }
    free(text);
    return 0;
}
