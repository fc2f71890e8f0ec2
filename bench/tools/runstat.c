// Run one command as a whole process; report its wall time and peak RSS.
//
//   runstat --result FILE [--netns PATH] [--stdin FILE] [--stdout FILE] [--stderr FILE]
//           [--timeout SECONDS] -- CMD ARGS...
//
// Written in C on purpose: Linux carries the peak RSS of the process image that exec()
// replaced into ru_maxrss, so the spawning process must itself be tiny (a Python or Node
// wrapper would add its own 10-40 MB to every reading). The namespace is entered here,
// before the spawn, so the timed span is only the command's own fork, exec, run and exit.
// The result file gets one JSON object: wall_s, maxrss_kb, user_s, sys_s, status.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static pid_t child;

static void on_alarm(int sig) {
  (void)sig;
  if (child > 0) kill(child, SIGKILL);
}

// Stopping runstat stops the command (it still gets measured and reported).
static void forward(int sig) {
  if (child > 0) kill(child, sig);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int die(const char *what) {
  fprintf(stderr, "runstat: %s: %s\n", what, strerror(errno));
  return 111;
}

int main(int argc, char **argv) {
  const char *result = NULL, *netns = NULL, *in = NULL, *out = NULL, *err = NULL;
  double timeout = 0;
  int i = 1;
  for (; i + 1 < argc && strcmp(argv[i], "--") != 0; i += 2) {
    if (!strcmp(argv[i], "--result")) result = argv[i + 1];
    else if (!strcmp(argv[i], "--netns")) netns = argv[i + 1];
    else if (!strcmp(argv[i], "--stdin")) in = argv[i + 1];
    else if (!strcmp(argv[i], "--stdout")) out = argv[i + 1];
    else if (!strcmp(argv[i], "--stderr")) err = argv[i + 1];
    else if (!strcmp(argv[i], "--timeout")) timeout = atof(argv[i + 1]);
    else { fprintf(stderr, "runstat: unknown option %s\n", argv[i]); return 2; }
  }
  if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc || !result) {
    fprintf(stderr, "usage: runstat --result FILE [--netns PATH] [--stdin F] [--stdout F] [--stderr F] [--timeout S] -- CMD...\n");
    return 2;
  }
  if (netns) {
    int fd = open(netns, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return die(netns);
    if (setns(fd, CLONE_NEWNET) != 0) return die("setns");
    close(fd);
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in) posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
  if (out) posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (err) posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = forward;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  double t0 = now();
  int rc = posix_spawnp(&child, argv[i + 1], &fa, NULL, argv + i + 1, environ);
  if (rc != 0) { errno = rc; return die(argv[i + 1]); }
  if (timeout > 0) {
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { { 0, 0 }, { (time_t)timeout, (suseconds_t)((timeout - (time_t)timeout) * 1e6) } };
    setitimer(ITIMER_REAL, &it, NULL);
  }
  int status;
  struct rusage ru;
  while (wait4(child, &status, 0, &ru) < 0) {
    if (errno != EINTR) return die("wait4");
  }
  double t1 = now();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE *f = fopen(result, "w");
  if (!f) return die(result);
  fprintf(f, "{\"wall_s\":%.6f,\"maxrss_kb\":%ld,\"user_s\":%.6f,\"sys_s\":%.6f,\"status\":%d}\n",
          t1 - t0, ru.ru_maxrss, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
          ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, code);
  fclose(f);
  return 0;
}
