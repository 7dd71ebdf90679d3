// The physical floor of a cold start for docs/benchmarks.md: a Lambda custom runtime in C that speaks the
// Runtime API over one raw keep-alive socket (GET next → POST response `{"statusCode":200}`), with no
// library beyond libc. Nothing runs between exec and the first /next but the dynamic loader and a connect.
// Assumes the well-behaved loopback peer of bench/runtime_api.py (Content-Length framing, no chunking).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

static char buffer[1 << 20];

// Reads one response: returns the body length and copies the request id (if any) into id.
static int read_response(int fd, char *id, size_t id_size) {
    size_t have = 0;
    char *end = NULL;
    while (end == NULL) {
        ssize_t n = recv(fd, buffer + have, sizeof buffer - 1 - have, 0);
        if (n <= 0) return -1;
        have += (size_t)n;
        buffer[have] = 0;
        end = strstr(buffer, "\r\n\r\n");
        if (end == NULL && have == sizeof buffer - 1) return -1;
    }
    long length = 0;
    id[0] = 0;
    for (char *line = strstr(buffer, "\r\n") + 2; line < end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "content-length:", 15) == 0) length = strtol(line + 15, NULL, 10);
        if (strncasecmp(line, "lambda-runtime-aws-request-id:", 30) == 0) {
            const char *value = line + 30;
            while (*value == ' ') value++;
            size_t len = strcspn(value, "\r");
            if (len >= id_size) len = id_size - 1;
            memcpy(id, value, len);
            id[len] = 0;
        }
    }
    size_t body_have = have - (size_t)(end + 4 - buffer);
    while ((long)body_have < length) {  // drain the body; the floor does not read the event
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return -1;
        body_have += (size_t)n;
    }
    return (int)length;
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) { fprintf(stderr, "AWS_LAMBDA_RUNTIME_API is not set\n"); return 1; }
    char host[256];
    const char *colon = strrchr(api, ':');
    if (!colon || (size_t)(colon - api) >= sizeof host) return 1;
    memcpy(host, api, (size_t)(colon - api));
    host[colon - api] = 0;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(colon + 1))};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) return 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) return 1;
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    static const char body[] = "{\"statusCode\":200}";
    char request[1024], id[256];
    for (;;) {
        int n = snprintf(request, sizeof request, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
        if (send(fd, request, (size_t)n, MSG_NOSIGNAL) != n || read_response(fd, id, sizeof id) < 0 || id[0] == 0) return 1;
        n = snprintf(request, sizeof request,
                     "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\nContent-Length: %zu\r\n\r\n%s",
                     id, api, sizeof body - 1, body);
        if (send(fd, request, (size_t)n, MSG_NOSIGNAL) != n || read_response(fd, id, sizeof id) < 0) return 1;
    }
}
