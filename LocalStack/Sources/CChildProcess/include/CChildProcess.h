// Starting the local stack's function processes so that they can never outlive the gateway.
//
// Why C: the child must call prctl(PR_SET_PDEATHSIG) between fork and exec, which neither
// Foundation's Process nor posix_spawn can do, and only async-signal-safe calls are allowed there
// (the gateway is multi-threaded), which Swift cannot promise.
#ifndef VC_CCHILDPROCESS_H
#define VC_CCHILDPROCESS_H

#include <sys/types.h>

/// Forks and executes `path` with `argv` and `envp` (NULL-terminated). The child:
/// - gets `death_signal` when the thread that called this function ends (Linux ties the parent-death
///   signal to the thread, so call it from a thread that outlives the child), and exits at once if
///   the gateway already ended before it could ask for that signal;
/// - runs in its own process group (a Ctrl-C in the terminal reaches the gateway only, which then
///   stops the functions in order);
/// - has every signal at its default disposition and unblocked (the gateway ignores SIGINT/SIGTERM
///   to handle them itself, and an ignored signal would stay ignored across exec);
/// - reads stdin from /dev/null, writes stdout and stderr to `output_fd`, and has no other descriptor.
/// Returns the child's pid, or -errno when the fork failed. A failed exec ends the child with 127.
pid_t vc_spawn_supervised(const char *path, char *const argv[], char *const envp[], int output_fd,
                          int death_signal);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends no other child inherits (Swift's Glibc module hides pipe2).
/// Returns 0, or -errno.
int vc_pipe_cloexec(int fds[2]);

#endif
