#define _GNU_SOURCE
#include "CChildProcess.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

// Everything between fork and exec is async-signal-safe: no allocation, no locks, no stdio.
static void close_from(int lowest) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
#endif
    struct rlimit limit;
    long highest = 4096;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 65536) {
        highest = (long)limit.rlim_cur;
    }
    for (long fd = lowest; fd < highest; fd++) close((int)fd);
}

pid_t vc_spawn_supervised(const char *path, char *const argv[], char *const envp[], int output_fd,
                          int death_signal) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return -errno;
    if (pid > 0) {
        // Also here, so the group exists when this returns, whichever of the two runs first.
        setpgid(pid, pid);
        return pid;
    }

    if (prctl(PR_SET_PDEATHSIG, death_signal) != 0) _exit(126);
    // The gateway may have ended between fork and prctl: then nobody would send the signal.
    if (getppid() != parent) _exit(126);
    setpgid(0, 0);

    struct sigaction defaults = {0};
    defaults.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &defaults, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    int input = open("/dev/null", O_RDONLY);
    if (input < 0 || dup2(input, STDIN_FILENO) < 0) _exit(126);
    if (dup2(output_fd, STDOUT_FILENO) < 0 || dup2(output_fd, STDERR_FILENO) < 0) _exit(126);
    close_from(3);
    execve(path, argv, envp);
    _exit(127);
}

int vc_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : -errno;
}
