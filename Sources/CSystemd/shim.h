/* The C surface frontwatch needs from libsystemd and the Linux kernel.
 * Everything here is a plain declaration or a static inline wrapper with a
 * `cfw_` prefix; Swift code wraps these in FrontwatchSystem and never exposes them. */
#ifndef CSYSTEMD_SHIM_H
#define CSYSTEMD_SHIM_H

#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/uio.h>
/* Location fields (CODE_FILE...) are set by the caller: the shim is not where a message comes from. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

/* sd_journal_sendv takes an iovec array; wrapping it keeps the call site free of
 * variadic functions, which Swift cannot call. */
static inline int cfw_journal_sendv(const struct iovec *iov, int n) {
    return sd_journal_sendv(iov, n);
}

/* sd_notify with unset_environment = 0: the variable stays for later calls. */
static inline int cfw_notify(const char *state) {
    return sd_notify(0, state);
}

static inline int cfw_watchdog_enabled(uint64_t *usec) {
    return sd_watchdog_enabled(0, usec);
}

static inline int cfw_errno(void) { return errno; }

/* prctl is variadic, which Swift cannot call. */
static inline void cfw_set_thread_name(const char *_Nonnull name) {
    prctl(PR_SET_NAME, name, 0, 0, 0);
}

/* The fixed part of an inotify record; the name follows it in the buffer. */
static inline uint32_t cfw_inotify_event_size(void) { return (uint32_t)sizeof(struct inotify_event); }

#endif
