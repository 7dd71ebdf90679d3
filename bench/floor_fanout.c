// The fan-out floor for docs/benchmarks.md: posts one small JSON message to N connection URLs over
// libcurl's multi interface, at most C at once, over reused keep-alive connections, with no signing,
// no scan, no retries and no JSON: what the network part of a broadcast costs at the least.
//
//   floor_fanout <base-url> <count> <concurrency> [header-line...]
//       e.g. http://127.0.0.1:PORT/bench/%40connections 10000 64
//
// Extra header lines (`Name: value`) are sent with every request: bench/bench_run.py passes lines as long as
// the ones SigV4 makes DBStreamProcessor send (Host, X-Amz-Date, X-Amz-Security-Token, Authorization), to
// show what those bytes cost libcurl and the kernel without any signing.
//
// Prints one JSON line: {"sent":N,"failed":F,"seconds":S,"peakRSSKB":K} (VmHWM of this image: getrusage's
// ru_maxrss would include the parent's pages from before exec).
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data; (void)user;
    return size * count;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0) kb = atol(line + 6);
    }
    if (f) fclose(f);
    return kb;
}

static const char body[] = "{\"visits\":1234}";

static void start(CURLM *multi, CURL *easy, const char *base, long index) {
    char url[512];
    snprintf(url, sizeof url, "%s/c%014ldA%%3D", base, index);
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_multi_add_handle(multi, easy);
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s <base-url> <count> <concurrency> [header-line...]\n", argv[0]); return 2; }
    const char *base = argv[1];
    long count = atol(argv[2]), concurrency = atol(argv[3]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, concurrency);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    for (int i = 4; i < argc; i++) headers = curl_slist_append(headers, argv[i]);
    CURL **easy = calloc((size_t)concurrency, sizeof *easy);
    for (long i = 0; i < concurrency; i++) {
        easy[i] = curl_easy_init();
        curl_easy_setopt(easy[i], CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(easy[i], CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        curl_easy_setopt(easy[i], CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(easy[i], CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy[i], CURLOPT_TCP_NODELAY, 1L);
    }
    double t0 = now_s();
    long next = 0, sent = 0, failed = 0, running = 0;
    for (long i = 0; i < concurrency && next < count; i++) start(multi, easy[i], base, next++);
    do {
        int still = 0;
        curl_multi_perform(multi, &still);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(multi, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL *done = msg->easy_handle;
            long status = 0;
            curl_easy_getinfo(done, CURLINFO_RESPONSE_CODE, &status);
            if (msg->data.result == CURLE_OK && status >= 200 && status < 300) sent++; else failed++;
            curl_multi_remove_handle(multi, done);
            if (next < count) start(multi, done, base, next++);
        }
        running = still;
        if (sent + failed < count) curl_multi_poll(multi, NULL, 0, 100, NULL);
    } while (sent + failed < count || running > 0);
    double seconds = now_s() - t0;
    printf("{\"sent\":%ld,\"failed\":%ld,\"seconds\":%.6f,\"peakRSSKB\":%ld}\n", sent, failed, seconds, peak_rss_kb());
    return failed != 0;
}
