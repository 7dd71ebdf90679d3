#include "CCurl.h"

#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Function pointers resolved from libcurl at load time. The variadic ones are called with exactly
// one argument of the type the option expects, which is what the wrappers below guarantee.
static struct {
    CURLcode (*global_init)(long);
    char *(*version)(void);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    const char *(*multi_strerror)(CURLMcode);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
} fn;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
// Every candidate tried and why each failed; a failed load reports all of it, not only the last dlerror.
static char load_error[4096];
static int loaded;

// Appends to load_error, truncating (never overflowing) when the report outgrows the buffer.
__attribute__((format(printf, 1, 2))) static void report(const char *format, ...) {
    size_t used = strlen(load_error);
    if (used + 1 >= sizeof load_error) return;
    va_list args;
    va_start(args, format);
    vsnprintf(load_error + used, sizeof load_error - used, format, args);
    va_end(args);
}

// Resolves every function from lib; returns the number that are missing, each named in load_error.
static int resolve_all(void *lib) {
    static const struct { size_t offset; const char *name; } symbols[] = {
#define SYMBOL(field, name) {offsetof(__typeof__(fn), field), name}
        SYMBOL(global_init, "curl_global_init"),       SYMBOL(version, "curl_version"),
        SYMBOL(easy_init, "curl_easy_init"),           SYMBOL(easy_cleanup, "curl_easy_cleanup"),
        SYMBOL(easy_reset, "curl_easy_reset"),         SYMBOL(easy_perform, "curl_easy_perform"),
        SYMBOL(easy_strerror, "curl_easy_strerror"),   SYMBOL(easy_setopt, "curl_easy_setopt"),
        SYMBOL(easy_getinfo, "curl_easy_getinfo"),     SYMBOL(slist_append, "curl_slist_append"),
        SYMBOL(slist_free_all, "curl_slist_free_all"), SYMBOL(multi_init, "curl_multi_init"),
        SYMBOL(multi_cleanup, "curl_multi_cleanup"),   SYMBOL(multi_add_handle, "curl_multi_add_handle"),
        SYMBOL(multi_remove_handle, "curl_multi_remove_handle"),
        SYMBOL(multi_perform, "curl_multi_perform"),   SYMBOL(multi_poll, "curl_multi_poll"),
        SYMBOL(multi_wakeup, "curl_multi_wakeup"),     SYMBOL(multi_setopt, "curl_multi_setopt"),
        SYMBOL(multi_strerror, "curl_multi_strerror"), SYMBOL(multi_info_read, "curl_multi_info_read"),
#undef SYMBOL
    };
    int missing = 0;
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        dlerror();
        void *address = dlsym(lib, symbols[i].name);
        if (address == NULL) {
            const char *why = dlerror();
            report("; dlsym %s: %s", symbols[i].name, why ? why : "not found");
            missing++;
        }
        memcpy((char *)&fn + symbols[i].offset, &address, sizeof address);
    }
    return missing;
}

// Candidates in order: VC_TEST_LIBCURL_PATHS (colon-separated; for tests that need a libcurl that cannot
// load), else libcurl.so.4, the runtime name on Debian, Ubuntu and Amazon Linux, then the unversioned
// name that exists where only the -dev package is installed. The first that loads with every function wins.
static void load(void) {
    char names[1024] = "libcurl.so.4:libcurl.so";
    const char *override = getenv("VC_TEST_LIBCURL_PATHS");
    if (override != NULL) snprintf(names, sizeof names, "%s", override);
    snprintf(load_error, sizeof load_error, "libcurl could not be loaded; tried");
    char *saved = NULL;
    for (char *name = strtok_r(names, ":", &saved); name != NULL; name = strtok_r(NULL, ":", &saved)) {
        void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (lib == NULL) {
            const char *why = dlerror();
            report(" [%s: dlopen: %s]", name, why ? why : "failed");
            continue;
        }
        report(" [%s: loaded", name);
        if (resolve_all(lib) > 0) {
            report("]");
            dlclose(lib);
            continue;
        }
        CURLcode rc = fn.global_init(CURL_GLOBAL_DEFAULT);
        if (rc != CURLE_OK) {
            report("; curl_global_init: %s]", fn.easy_strerror(rc));
            continue;  // the library stays loaded: its destructors may not be safe after a failed init
        }
        loaded = 1;
        return;
    }
}

static _Atomic(vc_curl_warm_up) warm_up;

void vc_curl_set_warm_up(vc_curl_warm_up work) { atomic_store(&warm_up, work); }

static void *load_in_background(void *unused) {
    (void)unused;
    vc_curl_warm_up work = atomic_load(&warm_up);
    if (work != NULL) work();
    pthread_once(&load_once, load);
    return NULL;
}

static int background_started;

static void start_background(void) {
    pthread_attr_t attributes;
    pthread_t thread;
    if (pthread_attr_init(&attributes) != 0) return;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, load_in_background, NULL) == 0) background_started = 1;
    pthread_attr_destroy(&attributes);
}

int vc_curl_start_loading(void) {
    static pthread_once_t start_once = PTHREAD_ONCE_INIT;
    pthread_once(&start_once, start_background);
    return background_started ? 0 : -1;
}

static atomic_int wanted;

void vc_curl_want(void) { atomic_store(&wanted, 1); }

int vc_curl_start_loading_if_wanted(void) {
    return atomic_load(&wanted) ? vc_curl_start_loading() : -1;
}

int vc_curl_load(char *errbuf, size_t errlen) {
    pthread_once(&load_once, load);
    if (loaded) return 0;
    if (errbuf != NULL && errlen > 0) snprintf(errbuf, errlen, "%s", load_error);
    return -1;
}

int vc_malloc_arena_max(int count) {
#if defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, count);
#else
    (void)count;
    return 0;
#endif
}

const char *vc_curl_version(void) { return loaded ? fn.version() : NULL; }

CURL *vc_easy_init(void) { return fn.easy_init(); }
void vc_easy_cleanup(CURL *h) { fn.easy_cleanup(h); }
void vc_easy_reset(CURL *h) { fn.easy_reset(h); }
CURLcode vc_easy_perform(CURL *h) { return fn.easy_perform(h); }
const char *vc_easy_strerror(CURLcode c) { return fn.easy_strerror(c); }

CURLcode vc_easy_setopt_long(CURL *h, CURLoption o, long v) { return fn.easy_setopt(h, o, v); }
CURLcode vc_easy_setopt_offset(CURL *h, CURLoption o, curl_off_t v) { return fn.easy_setopt(h, o, v); }
CURLcode vc_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return fn.easy_setopt(h, o, v); }
CURLcode vc_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return fn.easy_setopt(h, o, v); }
CURLcode vc_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return fn.easy_setopt(h, o, v); }
CURLcode vc_easy_setopt_callback(CURL *h, CURLoption o, vc_data_callback v) { return fn.easy_setopt(h, o, v); }

CURLcode vc_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return fn.easy_getinfo(h, i, v); }
CURLcode vc_easy_getinfo_offset(CURL *h, CURLINFO i, curl_off_t *v) { return fn.easy_getinfo(h, i, v); }
CURLcode vc_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return fn.easy_getinfo(h, i, v); }

struct curl_slist *vc_slist_append(struct curl_slist *l, const char *s) { return fn.slist_append(l, s); }
void vc_slist_free_all(struct curl_slist *l) { fn.slist_free_all(l); }

CURLM *vc_multi_init(void) { return fn.multi_init(); }
CURLMcode vc_multi_cleanup(CURLM *m) { return fn.multi_cleanup(m); }
CURLMcode vc_multi_add_handle(CURLM *m, CURL *h) { return fn.multi_add_handle(m, h); }
CURLMcode vc_multi_remove_handle(CURLM *m, CURL *h) { return fn.multi_remove_handle(m, h); }
CURLMcode vc_multi_perform(CURLM *m, int *running) { return fn.multi_perform(m, running); }
CURLMcode vc_multi_poll(CURLM *m, int timeout_ms, int *numfds) {
    return fn.multi_poll(m, NULL, 0, timeout_ms, numfds);
}
CURLMcode vc_multi_wakeup(CURLM *m) { return fn.multi_wakeup(m); }
CURLMcode vc_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return fn.multi_setopt(m, o, v); }
const char *vc_multi_strerror(CURLMcode c) { return fn.multi_strerror(c); }

int vc_multi_next_done(CURLM *m, CURL **handle, CURLcode *result) {
    int queued = 0;
    CURLMsg *msg;
    while ((msg = fn.multi_info_read(m, &queued)) != NULL) {
        if (msg->msg == CURLMSG_DONE) {
            *handle = msg->easy_handle;
            *result = msg->data.result;
            return 1;
        }
    }
    return 0;
}
