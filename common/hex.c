#include "common/hex.h"

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int hex_decode(const char *hex, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (len % 2)
        return MT_E_bad_hex;
    if (len / 2 > cap)
        return MT_E_no_space;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hex_digit((unsigned char)hex[2 * i]);
        int lo = hex_digit((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return MT_E_bad_hex;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *out_len = len / 2;
    return MT_OK;
}
