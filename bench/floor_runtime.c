// The cold-start and invocation floor for docs/benchmarks.md: a Lambda custom runtime that does only the
// Runtime API loop (GET next → POST response `{"statusCode":200}`) with one reused libcurl easy handle.
// No event decoding, no database: what any runtime on libcurl pays at the least.
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char request_id[256];

static size_t header(char *data, size_t size, size_t count, void *user) {
    (void)user;
    size_t len = size * count;
    static const char name[] = "lambda-runtime-aws-request-id:";
    size_t name_len = sizeof name - 1;
    if (len > name_len && strncasecmp(data, name, name_len) == 0) {
        const char *value = data + name_len;
        size_t value_len = len - name_len;
        while (value_len > 0 && (*value == ' ')) { value++; value_len--; }
        while (value_len > 0 && (value[value_len - 1] == '\r' || value[value_len - 1] == '\n')) value_len--;
        if (value_len >= sizeof request_id) value_len = sizeof request_id - 1;
        memcpy(request_id, value, value_len);
        request_id[value_len] = 0;
    }
    return len;
}

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data; (void)user;
    return size * count;
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) { fprintf(stderr, "AWS_LAMBDA_RUNTIME_API is not set\n"); return 1; }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    char next_url[512], response_url[1024];
    snprintf(next_url, sizeof next_url, "http://%s/2018-06-01/runtime/invocation/next", api);
    static const char body[] = "{\"statusCode\":200}";
    for (;;) {
        request_id[0] = 0;
        curl_easy_setopt(curl, CURLOPT_URL, next_url);
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 0L);
        if (curl_easy_perform(curl) != CURLE_OK || request_id[0] == 0) return 1;
        snprintf(response_url, sizeof response_url, "http://%s/2018-06-01/runtime/invocation/%s/response", api, request_id);
        curl_easy_setopt(curl, CURLOPT_URL, response_url);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        if (curl_easy_perform(curl) != CURLE_OK) return 1;
    }
}
