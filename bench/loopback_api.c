// A loopback HTTP/1.1 stand-in for the benchmarks (docs/benchmarks.md): the API Gateway Management API
// that answers every request after a fixed delay, or a DynamoDB that answers every call with `{}` at once.
//
//   loopback_api [--delay-us N] [--body TEXT] [--content-type TYPE] [--port P]
//
// One thread, epoll, keep-alive; a request's response is due `delay` after the request arrived, kept in a
// FIFO (the delay is constant, so arrival order is due order) and released by one timerfd. No signature
// checking (signatures are tested elsewhere). Prints `PORT` on stdout once listening. `GET /__stats`
// answers `{"requests":N,"connections":C,"first_ns":..,"last_ns":..}` (CLOCK_MONOTONIC of the first request's arrival and
// the last response's write); `POST /__reset` zeroes them. Ends on SIGTERM/SIGINT or when stdin closes.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 65536
#define QUEUE_SIZE (1 << 20)

typedef struct {
    char *buf;
    size_t len, cap;
    uint32_t gen;
    int open;
} conn_t;

typedef struct {
    int fd;
    uint32_t gen;
    uint64_t due;
} pending_t;

static conn_t conns[MAX_FDS];
static pending_t queue[QUEUE_SIZE];
static size_t q_head, q_tail;
static uint64_t delay_ns;
static char response[1024];
static size_t response_len;
static uint64_t stat_requests, stat_first, stat_last, stat_connections;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the peer went away (or its buffer is full: small responses make that moot)
        data += n;
        len -= (size_t)n;
    }
}

static void close_conn(int epfd, int fd) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    conns[fd].open = 0;
    conns[fd].len = 0;
    conns[fd].gen++;
}

static void respond(int fd) {
    write_all(fd, response, response_len);
    stat_last = now_ns();
}

static void answer_stats(int fd) {
    char body[256], out[512];
    int n = snprintf(body, sizeof body, "{\"requests\":%llu,\"connections\":%llu,\"first_ns\":%llu,\"last_ns\":%llu}",
                     (unsigned long long)stat_requests, (unsigned long long)stat_connections, (unsigned long long)stat_first, (unsigned long long)stat_last);
    int m = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", n, body);
    write_all(fd, out, (size_t)m);
}

static void arm_timer(int tfd) {
    struct itimerspec spec = {0};
    if (q_head != q_tail) {
        uint64_t due = queue[q_head % QUEUE_SIZE].due;
        if (due == 0) due = 1;
        spec.it_value.tv_sec = (time_t)(due / 1000000000ull);
        spec.it_value.tv_nsec = (long)(due % 1000000000ull);
    }
    timerfd_settime(tfd, TFD_TIMER_ABSTIME, &spec, NULL);
}

static void release_due(void) {
    uint64_t now = now_ns();
    while (q_head != q_tail && queue[q_head % QUEUE_SIZE].due <= now) {
        pending_t p = queue[q_head % QUEUE_SIZE];
        q_head++;
        if (conns[p.fd].open && conns[p.fd].gen == p.gen) respond(p.fd);
    }
}

// Consumes every complete request in the connection's buffer; returns 0 when the connection must close.
static int handle_requests(int fd, int tfd) {
    conn_t *c = &conns[fd];
    for (;;) {
        char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
        if (!end) return c->len < 65536;
        size_t header_len = (size_t)(end - c->buf) + 4;
        size_t body_len = 0;
        for (char *line = c->buf; line < end; ) {
            char *eol = memmem(line, (size_t)(end - line) + 2, "\r\n", 2);
            if (!eol) break;
            if ((size_t)(eol - line) > 15 && strncasecmp(line, "content-length:", 15) == 0) body_len = strtoul(line + 15, NULL, 10);
            line = eol + 2;
        }
        if (c->len < header_len + body_len) return 1;
        int is_stats = strncmp(c->buf, "GET /__stats ", 13) == 0;
        int is_reset = strncmp(c->buf, "POST /__reset ", 14) == 0;
        memmove(c->buf, c->buf + header_len + body_len, c->len - header_len - body_len);
        c->len -= header_len + body_len;
        if (is_stats) {
            answer_stats(fd);
        } else if (is_reset) {
            stat_requests = stat_first = stat_last = stat_connections = 0;
            answer_stats(fd);
        } else {
            uint64_t now = now_ns();
            if (stat_requests++ == 0) stat_first = now;
            if (delay_ns == 0) {
                respond(fd);
            } else if (q_tail - q_head < QUEUE_SIZE) {
                int was_empty = q_head == q_tail;
                queue[q_tail % QUEUE_SIZE] = (pending_t){fd, c->gen, now + delay_ns};
                q_tail++;
                if (was_empty) arm_timer(tfd);
            }
        }
    }
}

int main(int argc, char **argv) {
    long delay_us = 0;
    int port = 0;
    const char *body = "{}";
    const char *content_type = "application/json";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--delay-us") == 0) delay_us = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--body") == 0) body = argv[i + 1];
        else if (strcmp(argv[i], "--content-type") == 0) content_type = argv[i + 1];
        else if (strcmp(argv[i], "--port") == 0) port = atoi(argv[i + 1]);
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    delay_ns = (uint64_t)delay_us * 1000ull;
    response_len = (size_t)snprintf(response, sizeof response,
        "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", content_type, strlen(body), body);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 4096) != 0) { perror("listen"); return 1; }
    socklen_t alen = sizeof addr;
    getsockname(lfd, (struct sockaddr *)&addr, &alen);
    printf("%d\n", ntohs(addr.sin_port));
    fflush(stdout);

    int epfd = epoll_create1(0);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN};
    ev.data.fd = lfd; epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
    ev.data.fd = tfd; epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev);
    ev.data.fd = 0; epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev);  // stdin closing ends the server

    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(epfd, events, 256, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == 0) {
                char scratch[64];
                if (read(0, scratch, sizeof scratch) <= 0) return 0;
            } else if (fd == lfd) {
                int cfd;
                while ((cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (cfd >= MAX_FDS) { close(cfd); continue; }
                    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conns[cfd].open = 1;
                    stat_connections++;
                    conns[cfd].len = 0;
                    struct epoll_event cev = {.events = EPOLLIN, .data.fd = cfd};
                    epoll_ctl(epfd, EPOLL_CTL_ADD, cfd, &cev);
                }
            } else if (fd == tfd) {
                uint64_t expirations;
                if (read(tfd, &expirations, sizeof expirations) < 0) { /* spurious wake-up */ }
                release_due();
                arm_timer(tfd);
            } else {
                conn_t *c = &conns[fd];
                int keep = 1;
                for (;;) {
                    if (c->cap - c->len < 4096) {
                        c->cap = c->cap ? c->cap * 2 : 16384;
                        c->buf = realloc(c->buf, c->cap);
                    }
                    ssize_t r = read(fd, c->buf + c->len, c->cap - c->len);
                    if (r > 0) { c->len += (size_t)r; continue; }
                    if (r < 0 && errno == EINTR) continue;
                    if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) keep = 0;
                    break;
                }
                if (keep) keep = handle_requests(fd, tfd);
                if (!keep) close_conn(epfd, fd);
            }
        }
        release_due();
        arm_timer(tfd);
    }
    return 0;
}
