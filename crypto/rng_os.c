/* The OS CSPRNG behind the mt_rng interface: getrandom(2) on the kernel's urandom pool. */
#include "crypto/rng.h"

#include <errno.h>
#include <sys/random.h>

static int rng_os_fill(mt_rng *self, uint8_t *out, size_t n)
{
    (void)self;
    /* getrandom(2): "a read ... may return fewer bytes than requested" (more than 256 bytes,
     * or interrupted by a signal), and fails with EINTR when a signal arrives before any byte:
     * both are retried. Any other failure is reported, never papered over. */
    size_t done = 0;
    while (done < n) {
        ssize_t got = getrandom(out + done, n - done, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return MT_E_rng_failure;
        }
        if (got == 0)
            return MT_E_rng_failure; /* never happens for n > 0; do not spin if it does */
        done += (size_t)got;
    }
    return MT_OK;
}

static mt_rng rng_os_instance = {rng_os_fill};

mt_rng *rng_os(void)
{
    return &rng_os_instance;
}
