// Typed wrappers over libcurl for Swift.
//
// Why a shim: curl_easy_setopt and friends are variadic, which Swift cannot call, and Debian's
// libcurl tags every symbol CURL_OPENSSL_4, a version Amazon Linux's libcurl does not have. So the
// shim includes curl's headers for the types only and resolves every function with dlopen/dlsym at
// run time: the binary carries no libcurl import at all and loads whichever libcurl.so.4 the host has.
#ifndef VC_CCURL_H
#define VC_CCURL_H

#include <stddef.h>
#include <curl/curl.h>

/// Loads libcurl and runs curl_global_init once per process, waiting for a load already under way on
/// another thread. Thread-safe and idempotent. Returns 0 on success; otherwise writes into errbuf every
/// candidate tried with its dlopen, dlsym or curl_global_init error (4 KiB is enough) and returns -1.
int vc_curl_load(char *errbuf, size_t errlen);

/// Starts the load on a background thread, once per process, and returns at once, so that loading
/// libcurl's ~30 shared libraries and OpenSSL's initialisation overlap whatever the process does next.
/// Returns 0 when the thread started (or had started), -1 when it could not (vc_curl_load then loads).
int vc_curl_start_loading(void);

/// Records that the process will need libcurl (an HTTP client exists), without loading anything.
void vc_curl_want(void);

/// vc_curl_start_loading() if vc_curl_want() was called; -1 (nothing started) otherwise.
int vc_curl_start_loading_if_wanted(void);

/// Work the background thread does just before it loads libcurl (once, if it starts): loading another
/// library the first request needs. The dynamic loader serialises loads, so a library the main thread
/// opened itself would wait for all of libcurl's; opened here first, it is ready a load earlier.
typedef void (*vc_curl_warm_up)(void);
void vc_curl_set_warm_up(vc_curl_warm_up work);

/// The loaded libcurl's version string (e.g. "libcurl/7.88.1 OpenSSL/3.0.11 ..."); NULL before load.
const char *vc_curl_version(void);

/// mallopt(M_ARENA_MAX, count) where glibc has it (Swift's Glibc module does not import malloc.h);
/// returns 1 on success, 0 otherwise. For the Lambda runtime's start, before any thread exists.
int vc_malloc_arena_max(int count);

typedef size_t (*vc_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

CURL *vc_easy_init(void);
void vc_easy_cleanup(CURL *handle);
void vc_easy_reset(CURL *handle);
CURLcode vc_easy_perform(CURL *handle);
const char *vc_easy_strerror(CURLcode code);

CURLcode vc_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode vc_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode vc_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode vc_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode vc_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
CURLcode vc_easy_setopt_callback(CURL *handle, CURLoption option, vc_data_callback callback);

CURLcode vc_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode vc_easy_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode vc_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

struct curl_slist *vc_slist_append(struct curl_slist *list, const char *string);
void vc_slist_free_all(struct curl_slist *list);

CURLM *vc_multi_init(void);
CURLMcode vc_multi_cleanup(CURLM *multi);
CURLMcode vc_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode vc_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode vc_multi_perform(CURLM *multi, int *running);
CURLMcode vc_multi_poll(CURLM *multi, int timeout_ms, int *numfds);
CURLMcode vc_multi_wakeup(CURLM *multi);
CURLMcode vc_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
const char *vc_multi_strerror(CURLMcode code);

/// The next finished transfer of a multi handle, flattened so Swift need not read curl's union.
/// Returns 1 and fills the out-parameters when a CURLMSG_DONE message was read, 0 when none is left.
int vc_multi_next_done(CURLM *multi, CURL **handle, CURLcode *result);

#endif
