#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
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
static char load_error[256];
static int loaded;

#define RESOLVE(field, name)                                                        \
    do {                                                                            \
        *(void **)(&fn.field) = dlsym(lib, name);                                   \
        if (fn.field == NULL) {                                                     \
            snprintf(load_error, sizeof load_error, "libcurl lacks %s", name);     \
            return;                                                                 \
        }                                                                           \
    } while (0)

static void load(void) {
    // libcurl.so.4 is the runtime name on Debian, Ubuntu and Amazon Linux; the unversioned name
    // exists where only the -dev package is installed.
    const char *names[] = {"libcurl.so.4", "libcurl.so"};
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && lib == NULL; i++) {
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (lib == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load libcurl: %s", why ? why : "not found");
        return;
    }
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(version, "curl_version");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_reset, "curl_easy_reset");
    RESOLVE(easy_perform, "curl_easy_perform");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    RESOLVE(multi_init, "curl_multi_init");
    RESOLVE(multi_cleanup, "curl_multi_cleanup");
    RESOLVE(multi_add_handle, "curl_multi_add_handle");
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(multi_perform, "curl_multi_perform");
    RESOLVE(multi_poll, "curl_multi_poll");
    RESOLVE(multi_wakeup, "curl_multi_wakeup");
    RESOLVE(multi_setopt, "curl_multi_setopt");
    RESOLVE(multi_strerror, "curl_multi_strerror");
    RESOLVE(multi_info_read, "curl_multi_info_read");
    CURLcode rc = fn.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed: %s", fn.easy_strerror(rc));
        return;
    }
    loaded = 1;
}

int vc_curl_load(char *errbuf, size_t errlen) {
    pthread_once(&load_once, load);
    if (loaded) return 0;
    if (errbuf != NULL && errlen > 0) snprintf(errbuf, errlen, "%s", load_error);
    return -1;
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
