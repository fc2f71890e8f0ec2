/*
 * nlroute native transport: raw AF_NETLINK sockets for Node.js through N-API (plain C,
 * N-API version 8).
 *
 * Everything protocol-related lives in TypeScript. This file only owns what JavaScript
 * cannot do itself: the socket syscalls, creating a socket inside another network
 * namespace, and readiness notification through the Node event loop (libuv).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/netlink.h>

#include <node_api.h>
#include <uv.h>

#include "unixsock.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* An N-API call failing here means a bug in this file or a dying environment: surface it
 * as a JS exception (if none is pending yet) rather than continuing with garbage. */
#define CHECK(env, call)                                                       \
  do {                                                                         \
    if ((call) != napi_ok) {                                                   \
      bool pending_ = false;                                                   \
      napi_is_exception_pending((env), &pending_);                             \
      if (!pending_) napi_throw_error((env), NULL, "nlroute: " #call " failed"); \
      return NULL;                                                             \
    }                                                                          \
  } while (0)

/* ------------------------------------------------------------------ errors */

static const char *errno_name(int err) {
  switch (err) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(EBADF) E(EAGAIN)
    E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(ENODEV) E(ENOTDIR) E(EISDIR)
    E(EINVAL) E(ENFILE) E(EMFILE) E(ENOSPC) E(EROFS) E(EMLINK) E(ERANGE) E(ENAMETOOLONG)
    E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENODATA) E(ENOLINK) E(EPROTO) E(EBADMSG)
    E(EOVERFLOW) E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT)
    E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT) E(EOPNOTSUPP) E(EPFNOSUPPORT) E(EAFNOSUPPORT)
    E(EADDRINUSE) E(EADDRNOTAVAIL) E(ENETDOWN) E(ENETUNREACH) E(ECONNRESET) E(ENOBUFS)
    E(EISCONN) E(ENOTCONN) E(ETIMEDOUT) E(ECONNREFUSED) E(EHOSTUNREACH) E(EALREADY)
    E(EINPROGRESS) E(ECANCELED) E(ERFKILL) E(ENOTTY) E(EDOM) E(ECHILD) E(EXDEV)
#undef E
    default: return NULL;
  }
}

/* Throws Error("<syscall>: <strerror> (<CODE>)") with code/errno/syscall, like Node's own
 * system errors, so JS can switch on err.code. Always returns NULL for `return throw_...`. */
static napi_value throw_errno(napi_env env, const char *syscall, int err) {
  char code[24], msg[256];
  const char *name = errno_name(err);
  if (name == NULL) {
    snprintf(code, sizeof code, "E%d", err);
    name = code;
  }
  snprintf(msg, sizeof msg, "%s: %s (%s)", syscall, strerror(err), name);

  napi_value js_code, js_msg, js_err, js_errno, js_syscall;
  CHECK(env, napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &js_code));
  CHECK(env, napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &js_msg));
  CHECK(env, napi_create_error(env, js_code, js_msg, &js_err));
  CHECK(env, napi_create_int32(env, err, &js_errno));
  CHECK(env, napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &js_syscall));
  CHECK(env, napi_set_named_property(env, js_err, "errno", js_errno));
  CHECK(env, napi_set_named_property(env, js_err, "syscall", js_syscall));
  napi_throw(env, js_err);
  return NULL;
}

static bool type_error(napi_env env, const char *what, const char *expected) {
  char msg[160];
  snprintf(msg, sizeof msg, "The \"%s\" argument must be %s", what, expected);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return false;
}

/* --------------------------------------------------------- argument parsing */

/* An integral number in [min, max]. Non-numbers are a TypeError, bad values a RangeError. */
static bool arg_int(napi_env env, napi_value v, const char *what, double min, double max,
                    int64_t *out) {
  napi_valuetype t;
  double d;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) return type_error(env, what, "a number");
  napi_get_value_double(env, v, &d);
  if (!(d >= min && d <= max) || d != (double)(int64_t)d) {
    char msg[160];
    snprintf(msg, sizeof msg, "The \"%s\" argument must be an integer in [%.0f, %.0f]", what, min, max);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  *out = (int64_t)d;
  return true;
}

static bool arg_i32(napi_env env, napi_value v, const char *what, int *out) {
  int64_t x;
  if (!arg_int(env, v, what, INT32_MIN, INT32_MAX, &x)) return false;
  *out = (int)x;
  return true;
}

static bool arg_u32(napi_env env, napi_value v, const char *what, uint32_t *out) {
  int64_t x;
  if (!arg_int(env, v, what, 0, UINT32_MAX, &x)) return false;
  *out = (uint32_t)x;
  return true;
}

/* Optional u32: missing or undefined means `dflt`. */
static bool arg_u32_opt(napi_env env, napi_value v, const char *what, uint32_t dflt, uint32_t *out) {
  napi_valuetype t = napi_undefined;
  if (v != NULL) napi_typeof(env, v, &t);
  if (t == napi_undefined) {
    *out = dflt;
    return true;
  }
  return arg_u32(env, v, what, out);
}

/* Buffer, or any ArrayBufferView (node's napi_is_buffer accepts those). */
static bool arg_buffer(napi_env env, napi_value v, const char *what, void **data, size_t *len) {
  bool ok = false;
  if (napi_is_buffer(env, v, &ok) != napi_ok || !ok) return type_error(env, what, "a Buffer");
  napi_get_buffer_info(env, v, data, len);
  return true;
}

/* -------------------------------------------------------- per-env state */

typedef struct nl_poll nl_poll;

/* One per Node environment (main thread, each worker): the polls that are still active, so
 * close(fd) and environment teardown can stop them. */
typedef struct {
  nl_poll *polls;
} addon_state;

struct nl_poll {
  uv_poll_t uv;
  napi_env env;
  addon_state *state;
  napi_ref callback;
  napi_async_context async;
  int fd;
  bool active;   /* started and not yet stopped */
  int owners;    /* the JS external + the libuv handle until its close callback */
  nl_poll *next; /* in state->polls while active */
};

/* Tags our externals so pollStop() can refuse a foreign external instead of crashing. */
static const napi_type_tag POLL_TAG = {0x6e6c726f75746531ULL, 0x706f6c6c68616e64ULL};

static addon_state *get_state(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return data;
}

/* ------------------------------------------------------------------- open */

typedef struct {
  const char *path; /* netns path to open, or NULL to use nsfd */
  int nsfd;
  int protocol;
  int fd;           /* result */
  int err;          /* errno of the failing call, 0 on success */
  const char *syscall;
} netns_job;

/* Runs fn(arg) on a short-lived thread and waits for it; returns 0 or pthread_create's error.
 * Namespace work happens there: setns()/unshare() move only the calling thread, so no Node
 * thread (main or libuv pool) ever leaves its namespace. */
static int run_on_thread(void *(*fn)(void *), void *arg) {
  pthread_attr_t attr;
  pthread_t tid;
  sigset_t all, old;
  int rc;

  /* The job needs almost no stack; keep the mapping small since opens can be frequent. */
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  /* Signals must keep going to Node's threads, not to this short-lived one. */
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  rc = pthread_create(&tid, &attr, fn, arg);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  if (rc == 0) pthread_join(tid, NULL);
  return rc;
}

static int netlink_socket(int protocol) {
  return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
}

/* Runs on a throwaway thread: setns() only moves the calling thread, and a netlink socket
 * stays in the namespace it was created in, so the thread can simply exit afterwards and no
 * Node thread ever leaves its own namespace. */
static void *netns_thread(void *arg) {
  netns_job *job = arg;
  int nsfd = job->nsfd;
  if (job->path != NULL) {
    nsfd = open(job->path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) {
      job->err = errno, job->syscall = "open";
      return NULL;
    }
  }
  if (setns(nsfd, CLONE_NEWNET) < 0) {
    job->err = errno, job->syscall = "setns";
  } else if ((job->fd = netlink_socket(job->protocol)) < 0) {
    job->err = errno, job->syscall = "socket";
  }
  if (job->path != NULL) close(nsfd);
  return NULL;
}

static int open_in_netns(netns_job *job) {
  int rc = run_on_thread(netns_thread, job);
  if (rc != 0) job->err = rc, job->syscall = "pthread_create";
  return job->err ? -1 : job->fd;
}

/* open(protocol, netns?) -> fd */
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2] = {NULL, NULL}, result;
  napi_valuetype t = napi_undefined;
  char path[PATH_MAX];
  netns_job job = {.path = NULL, .nsfd = -1, .fd = -1, .err = 0, .syscall = NULL};

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "protocol", &job.protocol)) return NULL;
  if (argv[1] != NULL) napi_typeof(env, argv[1], &t);

  if (t == napi_undefined || t == napi_null) {
    int fd = netlink_socket(job.protocol);
    if (fd < 0) return throw_errno(env, "socket", errno);
    CHECK(env, napi_create_int32(env, fd, &result));
    return result;
  }
  if (t == napi_string) {
    size_t len = 0;
    CHECK(env, napi_get_value_string_utf8(env, argv[1], path, sizeof path, &len));
    if (len == 0 || len >= sizeof path - 1 || strlen(path) != len) {
      napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE",
                             "The \"netns\" path must be a non-empty path without NUL bytes");
      return NULL;
    }
    job.path = path;
  } else if (t == napi_number) {
    if (!arg_i32(env, argv[1], "netns", &job.nsfd)) return NULL;
  } else {
    type_error(env, "netns", "a path string, a namespace fd number, null or undefined");
    return NULL;
  }
  if (open_in_netns(&job) < 0) return throw_errno(env, job.syscall, job.err);
  CHECK(env, napi_create_int32(env, job.fd, &result));
  return result;
}

/* ------------------------------------------------------ bind / sockopts */

/* bind(fd, pid, groups) */
static napi_value js_bind(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3] = {NULL, NULL, NULL};
  int fd;
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd) || !arg_u32(env, argv[1], "pid", &sa.nl_pid) ||
      !arg_u32(env, argv[2], "groups", &sa.nl_groups))
    return NULL;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) return throw_errno(env, "bind", errno);
  return NULL;
}

/* getsockname(fd) -> our port id (the kernel assigns one at bind or first send) */
static napi_value js_getsockname(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL}, result;
  int fd;
  struct sockaddr_nl sa;
  socklen_t len = sizeof sa;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd)) return NULL;
  memset(&sa, 0, sizeof sa);
  if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0) return throw_errno(env, "getsockname", errno);
  CHECK(env, napi_create_uint32(env, sa.nl_pid, &result));
  return result;
}

/* setsockopt(fd, level, name, value) for int-valued options */
static napi_value js_setsockopt(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4] = {NULL, NULL, NULL, NULL};
  int fd, level, name, value;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd) || !arg_i32(env, argv[1], "level", &level) ||
      !arg_i32(env, argv[2], "name", &name))
    return NULL;
  /* Group numbers and flags are unsigned in the kernel: accept the full u32 range too. */
  {
    int64_t v;
    if (!arg_int(env, argv[3], "value", INT32_MIN, UINT32_MAX, &v)) return NULL;
    value = (int)(uint32_t)v;
  }
  if (setsockopt(fd, level, name, &value, sizeof value) < 0) return throw_errno(env, "setsockopt", errno);
  return NULL;
}

/* getsockopt(fd, level, name) -> int */
static napi_value js_getsockopt(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3] = {NULL, NULL, NULL}, result;
  int fd, level, name, value = 0;
  socklen_t len = sizeof value;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd) || !arg_i32(env, argv[1], "level", &level) ||
      !arg_i32(env, argv[2], "name", &name))
    return NULL;
  if (getsockopt(fd, level, name, &value, &len) < 0) return throw_errno(env, "getsockopt", errno);
  CHECK(env, napi_create_int32(env, value, &result));
  return result;
}

/* ------------------------------------------------------------ send / recv */

#define SEND_STACK_IOV 32

/* send(fd, bufs, pid = 0, groups = 0) -> bytes: one sendmsg for all buffers, so a batch of
 * requests costs one syscall (the kernel handles every message in the datagram). */
static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4] = {NULL, NULL, NULL, NULL}, result;
  int fd;
  bool is_array = false;
  uint32_t count = 1;
  struct iovec stack_iov[SEND_STACK_IOV], *iov = stack_iov;
  struct sockaddr_nl dst = {.nl_family = AF_NETLINK};
  struct msghdr msg;
  ssize_t n;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd)) return NULL;
  if (argv[1] == NULL) return type_error(env, "bufs", "a Buffer or an array of Buffers"), NULL;
  CHECK(env, napi_is_array(env, argv[1], &is_array));
  if (!arg_u32_opt(env, argv[2], "pid", 0, &dst.nl_pid) ||
      !arg_u32_opt(env, argv[3], "groups", 0, &dst.nl_groups))
    return NULL;

  if (is_array) {
    CHECK(env, napi_get_array_length(env, argv[1], &count));
    if (count > UIO_MAXIOV) return throw_errno(env, "sendmsg", EMSGSIZE);
    if (count > SEND_STACK_IOV && (iov = malloc(count * sizeof *iov)) == NULL)
      return throw_errno(env, "sendmsg", ENOMEM);
    for (uint32_t i = 0; i < count; i++) {
      napi_value el;
      if (napi_get_element(env, argv[1], i, &el) != napi_ok ||
          !arg_buffer(env, el, "bufs[i]", &iov[i].iov_base, &iov[i].iov_len)) {
        if (iov != stack_iov) free(iov);
        return NULL;
      }
    }
  } else if (!arg_buffer(env, argv[1], "bufs", &iov[0].iov_base, &iov[0].iov_len)) {
    return NULL;
  }

  memset(&msg, 0, sizeof msg);
  msg.msg_name = &dst;
  msg.msg_namelen = sizeof dst;
  msg.msg_iov = iov;
  msg.msg_iovlen = count;
  do n = sendmsg(fd, &msg, 0); while (n < 0 && errno == EINTR);
  int err = errno;
  if (iov != stack_iov) free(iov);
  if (n < 0) return throw_errno(env, "sendmsg", err);
  CHECK(env, napi_create_double(env, (double)n, &result));
  return result;
}

/* recv(fd, buf, offset, info) -> bytes | -1 (nothing queued) | -2 (buffer too small; the
 * needed size is in info[3]). Peeking first means a datagram is never truncated: netlink
 * drops the rest of a datagram that does not fit, which would corrupt a dump. This is the
 * hot path of big dumps, so it allocates nothing on success (small ints are not objects). */
static napi_value js_recv(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 4, len = 0, ilen = 0;
  napi_value argv[4] = {NULL, NULL, NULL, NULL}, result, ab;
  int fd;
  int64_t offset;
  void *data = NULL, *idata = NULL;
  bool is_ta = false;
  napi_typedarray_type itype;
  struct sockaddr_nl sa;
  struct iovec iov;
  struct msghdr msg;
  ssize_t n;

  CHECK(env, napi_get_cb_info(env, cbinfo, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd) || !arg_buffer(env, argv[1], "buf", &data, &len) ||
      !arg_int(env, argv[2], "offset", 0, (double)len, &offset))
    return NULL;
  if (argv[3] == NULL || napi_is_typedarray(env, argv[3], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, argv[3], &itype, &ilen, &idata, &ab, NULL) != napi_ok ||
      itype != napi_int32_array || ilen < 4)
    return type_error(env, "info", "an Int32Array of length >= 4"), NULL;
  int32_t *out = idata;
  size_t room = len - (size_t)offset;

  memset(&msg, 0, sizeof msg);
  iov.iov_base = (char *)data + offset;
  iov.iov_len = 0;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  /* MSG_TRUNC makes netlink return the datagram's full length even into a 0-byte iovec. */
  do n = recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT); while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return napi_create_int32(env, -1, &result), result;
    return throw_errno(env, "recvmsg", errno);
  }
  if ((size_t)n > room) {
    out[3] = (int32_t)n;
    CHECK(env, napi_create_int32(env, -2, &result));
    return result;
  }

  memset(&sa, 0, sizeof sa);
  iov.iov_len = room;
  msg.msg_name = &sa;
  msg.msg_namelen = sizeof sa;
  msg.msg_flags = 0;
  do n = recvmsg(fd, &msg, MSG_DONTWAIT); while (n < 0 && errno == EINTR);
  if (n < 0) {
    /* Only possible if someone else read the socket between the two calls. */
    if (errno == EAGAIN || errno == EWOULDBLOCK) return napi_create_int32(env, -1, &result), result;
    return throw_errno(env, "recvmsg", errno);
  }
  out[0] = (int32_t)sa.nl_pid;
  out[1] = (int32_t)sa.nl_groups;
  out[2] = msg.msg_flags;
  out[3] = (int32_t)n;
  CHECK(env, napi_create_int32(env, (int32_t)n, &result));
  return result;
}

/* ------------------------------------------------------------------- poll */

static void poll_free(nl_poll *p) {
  if (--p->owners == 0) free(p);
}

static void on_poll_closed(uv_handle_t *h) { poll_free(h->data); }

/* Idempotent: stops readiness, drops the JS callback and starts the asynchronous uv_close
 * (the memory is freed in its close callback once the external is gone as well). */
static void poll_stop(nl_poll *p) {
  if (!p->active) return;
  p->active = false;
  for (nl_poll **pp = &p->state->polls; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == p) {
      *pp = p->next;
      break;
    }
  }
  uv_poll_stop(&p->uv);
  napi_delete_reference(p->env, p->callback);
  napi_async_destroy(p->env, p->async);
  uv_close((uv_handle_t *)&p->uv, on_poll_closed);
}

static void on_poll(uv_poll_t *h, int status, int events) {
  nl_poll *p = h->data;
  napi_env env = p->env;
  napi_handle_scope scope;
  napi_value fn, global, ignored;

  if (!p->active) return;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  if (napi_get_reference_value(env, p->callback, &fn) == napi_ok && fn != NULL &&
      napi_get_global(env, &global) == napi_ok) {
    /* napi_make_callback opens a callback scope: process.nextTick and promise jobs queued
     * by the callback run right after it, and async_hooks see a proper async context. */
    napi_status st = napi_make_callback(env, p->async, global, fn, 0, NULL, &ignored);
    if (st == napi_pending_exception) {
      /* Nobody up the C stack can catch it: report it like any uncaught JS exception. */
      napi_value err;
      if (napi_get_and_clear_last_exception(env, &err) == napi_ok) napi_fatal_exception(env, err);
    }
  }
  napi_close_handle_scope(env, scope);

  /* libuv stops the handle itself when epoll reports EPOLLERR. Netlink signals a receive
   * overrun (ENOBUFS) that way, which is not fatal: the callback's recv() has reported and
   * cleared it, so keep listening unless JS stopped us or the fd is really gone. */
  if (status < 0 && p->active) {
    if (fcntl(p->fd, F_GETFD) >= 0) {
      uv_poll_start(&p->uv, UV_READABLE, on_poll);
    } else {
      poll_stop(p);
    }
  }
}

static void poll_finalize(napi_env env, void *data, void *hint) {
  /* The handle is unreachable, so nothing could stop this poll anymore: stop it now. */
  poll_stop(data);
  poll_free(data);
}

/* poll(fd, callback) -> handle: calls callback() on the main thread whenever fd is readable. */
static napi_value js_poll(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2] = {NULL, NULL}, name, external;
  napi_valuetype t = napi_undefined;
  int fd, rc;
  uv_loop_t *loop;
  addon_state *state = get_state(env);
  nl_poll *p;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd)) return NULL;
  if (argv[1] != NULL) napi_typeof(env, argv[1], &t);
  if (t != napi_function) return type_error(env, "callback", "a function"), NULL;
  CHECK(env, napi_get_uv_event_loop(env, &loop));

  if ((p = calloc(1, sizeof *p)) == NULL) return throw_errno(env, "poll", ENOMEM);
  if ((rc = uv_poll_init(loop, &p->uv, fd)) < 0) {
    free(p); /* uv_poll_init leaves the handle untouched on failure: nothing to close */
    return throw_errno(env, "uv_poll_init", -rc);
  }
  p->uv.data = p;
  p->env = env;
  p->state = state;
  p->fd = fd;
  p->owners = 1; /* the libuv handle; the external is counted once it exists */
  if (napi_create_reference(env, argv[1], 1, &p->callback) != napi_ok) {
    uv_close((uv_handle_t *)&p->uv, on_poll_closed);
    return NULL;
  }
  if (napi_create_string_utf8(env, "nlroute:poll", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_async_init(env, NULL, name, &p->async) != napi_ok) {
    napi_delete_reference(env, p->callback);
    uv_close((uv_handle_t *)&p->uv, on_poll_closed);
    return NULL;
  }
  p->active = true;
  p->next = state->polls;
  state->polls = p;
  if ((rc = uv_poll_start(&p->uv, UV_READABLE, on_poll)) < 0) {
    poll_stop(p);
    return throw_errno(env, "uv_poll_start", -rc);
  }
  if (napi_create_external(env, p, poll_finalize, NULL, &external) != napi_ok) {
    poll_stop(p);
    return NULL;
  }
  p->owners++; /* from here on the external's finalizer will release it */
  if (napi_type_tag_object(env, external, &POLL_TAG) != napi_ok) {
    poll_stop(p);
    return NULL;
  }
  return external;
}

/* Reads a handle returned by poll(); false (with a TypeError thrown) for anything else. */
static bool arg_poll(napi_env env, napi_value v, nl_poll **out) {
  napi_valuetype t = napi_undefined;
  bool tagged = false;
  void *p = NULL;

  if (v != NULL) napi_typeof(env, v, &t);
  if (t != napi_external || napi_check_object_type_tag(env, v, &POLL_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, v, &p) != napi_ok)
    return type_error(env, "handle", "a handle returned by poll()");
  *out = p;
  return true;
}

/* pollStop(handle): safe to call any number of times. */
static napi_value js_poll_stop(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  nl_poll *p;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_poll(env, argv[0], &p)) return NULL;
  poll_stop(p);
  return NULL;
}

/* pollRef(handle, ref): whether the poll keeps the event loop alive, like net.Socket#ref. */
static napi_value js_poll_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2] = {NULL, NULL};
  nl_poll *p;
  bool ref = true;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_poll(env, argv[0], &p)) return NULL;
  if (argv[1] == NULL || napi_get_value_bool(env, argv[1], &ref) != napi_ok)
    return type_error(env, "ref", "a boolean"), NULL;
  /* A stopped poll is closing: its handle must not be touched again. */
  if (!p->active) return NULL;
  if (ref) uv_ref((uv_handle_t *)&p->uv);
  else uv_unref((uv_handle_t *)&p->uv);
  return NULL;
}

/* ------------------------------------------------------------------ close */

/* close(fd): also stops polls on fd first, so a forgotten poll neither keeps the loop alive
 * nor blocks a later poll() on a new socket that reuses the same fd number. */
static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  int fd;
  addon_state *state = get_state(env);

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_i32(env, argv[0], "fd", &fd)) return NULL;
  for (nl_poll *p = state->polls, *next; p != NULL; p = next) {
    next = p->next;
    if (p->fd == fd) poll_stop(p);
  }
  /* On Linux the fd is released even when close() reports EINTR: never retry it. */
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, "close", errno);
  return NULL;
}

/* ================================================================== netns
 * Network namespace files, interoperable with iproute2's `ip netns` (owned by src/netns).
 * Only namespace operations live here: no general mount/umount wrappers are exported.
 * Namespace creation runs on a short-lived thread, so no Node thread changes namespace.
 */
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>

/* Reads a non-empty path argument without NUL bytes into buf. */
static bool arg_netns_path(napi_env env, napi_value v, const char *what, char *buf, size_t size) {
  napi_valuetype t = napi_undefined;
  size_t len = 0;
  if (v != NULL) napi_typeof(env, v, &t);
  if (t != napi_string) return type_error(env, what, "a path string");
  if (napi_get_value_string_utf8(env, v, buf, size, &len) != napi_ok) return false;
  if (len == 0 || len >= size - 1 || strlen(buf) != len) {
    char msg[160];
    snprintf(msg, sizeof msg, "The \"%s\" argument must be a non-empty path without NUL bytes", what);
    napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", msg);
    return false;
  }
  return true;
}

/* netnsMountDir(dir): make dir (e.g. /var/run/netns) a mount point with shared, recursive
 * propagation, binding it onto itself first when it is not one yet, under an flock on the
 * directory so concurrent set-ups (ours or iproute2's) do not stack bind mounts. */
static napi_value js_netns_mount_dir(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  char dir[PATH_MAX];
  int fd, err = 0;
  const char *call = NULL;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_netns_path(env, argv[0], "dir", dir, sizeof dir)) return NULL;
  if (mkdir(dir, 0755) < 0 && errno != EEXIST) return throw_errno(env, "mkdir", errno);
  if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) return throw_errno(env, "open", errno);
  while (flock(fd, LOCK_EX) < 0) {
    if (errno != EINTR) {
      err = errno, call = "flock";
      break;
    }
  }
  if (call == NULL && mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0) {
    /* EINVAL: dir is not a mount point yet. */
    if (errno != EINVAL) {
      err = errno, call = "mount";
    } else if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
               mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0) {
      err = errno, call = "mount";
    }
  }
  close(fd); /* also drops the lock */
  if (call != NULL) return throw_errno(env, call, err);
  return NULL;
}

/* Creates the empty file a namespace is bind-mounted on; EEXIST if the name is taken. */
static int netns_make_file(const char *path) {
  int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0) return -1;
  close(fd);
  return 0;
}

typedef struct {
  const char *path;
  int err;
  const char *syscall;
} netns_create_job;

/* Runs on its own thread: unshare() moves only this thread into the new namespace, the bind
 * mount keeps the namespace alive, and the thread then exits with it. */
static void *netns_create_thread(void *arg) {
  netns_create_job *job = arg;
  if (netns_make_file(job->path) < 0) {
    job->err = errno, job->syscall = "open";
    return NULL;
  }
  if (unshare(CLONE_NEWNET) < 0) {
    job->err = errno, job->syscall = "unshare";
  } else if (mount("/proc/thread-self/ns/net", job->path, "none", MS_BIND, NULL) < 0) {
    job->err = errno, job->syscall = "mount";
  }
  if (job->err != 0) unlink(job->path);
  return NULL;
}

/* netnsCreate(path): a new, empty network namespace bind-mounted on path (which must not
 * exist). The calling thread and the process keep their namespace. */
static napi_value js_netns_create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  char path[PATH_MAX];
  netns_create_job job = {.path = path, .err = 0, .syscall = NULL};
  int rc;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_netns_path(env, argv[0], "path", path, sizeof path)) return NULL;
  if ((rc = run_on_thread(netns_create_thread, &job)) != 0) return throw_errno(env, "pthread_create", rc);
  if (job.err != 0) return throw_errno(env, job.syscall, job.err);
  return NULL;
}

/* Same as throw_errno's error, returned instead of thrown (to reject a promise with). */
static napi_value netns_errno_error(napi_env env, const char *syscall, int err) {
  char code[24], msg[256];
  const char *name = errno_name(err);
  napi_value js_code, js_msg, js_err, js_errno, js_syscall;
  if (name == NULL) {
    snprintf(code, sizeof code, "E%d", err);
    name = code;
  }
  snprintf(msg, sizeof msg, "%s: %s (%s)", syscall, strerror(err), name);
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &js_code) != napi_ok ||
      napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &js_msg) != napi_ok ||
      napi_create_error(env, js_code, js_msg, &js_err) != napi_ok ||
      napi_create_int32(env, err, &js_errno) != napi_ok ||
      napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &js_syscall) != napi_ok ||
      napi_set_named_property(env, js_err, "errno", js_errno) != napi_ok ||
      napi_set_named_property(env, js_err, "syscall", js_syscall) != napi_ok)
    return NULL;
  return js_err;
}

typedef struct {
  char path[PATH_MAX];
  netns_create_job job;
  napi_deferred deferred;
  napi_async_work work;
} netns_create_async;

/* On a libuv pool thread: that thread only waits; our own short-lived thread does the work,
 * so no pool thread ever changes namespace. */
static void netns_create_execute(napi_env env, void *data) {
  netns_create_async *a = data;
  int rc = run_on_thread(netns_create_thread, &a->job);
  if (rc != 0) a->job.err = rc, a->job.syscall = "pthread_create";
}

static void netns_create_complete(napi_env env, napi_status status, void *data) {
  netns_create_async *a = data;
  napi_value result = NULL;
  if (status == napi_ok && a->job.err == 0) {
    napi_get_undefined(env, &result);
    napi_resolve_deferred(env, a->deferred, result);
  } else {
    result = netns_errno_error(env, a->job.err ? a->job.syscall : "netnsCreateAsync",
                               a->job.err ? a->job.err : ECANCELED);
    if (result == NULL) napi_get_undefined(env, &result);
    napi_reject_deferred(env, a->deferred, result);
  }
  napi_delete_async_work(env, a->work);
  free(a);
}

/* netnsCreateAsync(path) -> Promise<void>: netnsCreate without blocking the event loop. */
static napi_value js_netns_create_async(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL}, promise, name;
  netns_create_async *a;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if ((a = calloc(1, sizeof *a)) == NULL) return throw_errno(env, "netnsCreateAsync", ENOMEM);
  if (!arg_netns_path(env, argv[0], "path", a->path, sizeof a->path)) {
    free(a);
    return NULL;
  }
  a->job.path = a->path;
  if (napi_create_promise(env, &a->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "nlroute:netnsCreate", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, netns_create_execute, netns_create_complete, a, &a->work) != napi_ok) {
    free(a); /* a created promise is simply never settled; it is unreachable */
    return throw_errno(env, "napi_create_async_work", ENOMEM);
  }
  if (napi_queue_async_work(env, a->work) != napi_ok) {
    napi_delete_async_work(env, a->work);
    free(a);
    return throw_errno(env, "napi_queue_async_work", ENOMEM);
  }
  return promise;
}

/* netnsAttach(path, pid): bind-mount the network namespace of process pid on path (which
 * must not exist). The namespace is opened first, so a vanished pid fails with ESRCH before
 * anything is created, and the mount cannot pick up a recycled pid. */
static napi_value js_netns_attach(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2] = {NULL, NULL};
  char path[PATH_MAX], src[64];
  int pid, nsfd, err = 0;
  const char *call = NULL;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_netns_path(env, argv[0], "path", path, sizeof path)) return NULL;
  if (!arg_i32(env, argv[1], "pid", &pid)) return NULL;
  if (pid <= 0) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "The \"pid\" argument must be a positive integer");
    return NULL;
  }
  snprintf(src, sizeof src, "/proc/%d/ns/net", pid);
  if ((nsfd = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
    return throw_errno(env, "open /proc/PID/ns/net", errno == ENOENT ? ESRCH : errno);
  }
  snprintf(src, sizeof src, "/proc/self/fd/%d", nsfd);
  if (netns_make_file(path) < 0) {
    err = errno, call = "open";
  } else if (mount(src, path, "none", MS_BIND, NULL) < 0) {
    err = errno, call = "mount";
    unlink(path);
  }
  close(nsfd);
  if (call != NULL) return throw_errno(env, call, err);
  return NULL;
}

/* netnsRemove(path): detach the namespace mount (if any) and delete the file. The namespace
 * itself lives on while processes or sockets still use it. */
static napi_value js_netns_remove(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  char path[PATH_MAX];

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!arg_netns_path(env, argv[0], "path", path, sizeof path)) return NULL;
  /* EINVAL: a stale file with nothing mounted on it, which is still removed. */
  if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL) {
    return throw_errno(env, "umount2", errno);
  }
  if (unlink(path) < 0) return throw_errno(env, "unlink", errno);
  return NULL;
}

/* Adds the netns functions to the exports object. */
static bool netns_define(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"netnsMountDir", NULL, js_netns_mount_dir, NULL, NULL, NULL, napi_enumerable, NULL},
    {"netnsCreate", NULL, js_netns_create, NULL, NULL, NULL, napi_enumerable, NULL},
    {"netnsCreateAsync", NULL, js_netns_create_async, NULL, NULL, NULL, napi_enumerable, NULL},
    {"netnsAttach", NULL, js_netns_attach, NULL, NULL, NULL, napi_enumerable, NULL},
    {"netnsRemove", NULL, js_netns_remove, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
/* ============================================================== end netns */

/* ================================================================= tuntap
 * tun/tap devices. The kernel creates them only through /dev/net/tun ioctls (TUNSETIFF and
 * friends), never over rtnetlink, so this is the one link kind that needs native code. The
 * device lands in the namespace of the process that opened /dev/net/tun: for another
 * namespace the whole sequence runs on a short-lived thread that setns()es first.
 */
#include <net/if.h>
#include <sys/ioctl.h>
#include <linux/if_tun.h>

typedef struct {
  char name[IFNAMSIZ];  /* in: wanted name ("" or "x%d" lets the kernel pick); out: created */
  short flags;          /* TUNSETIFF flags */
  bool persist;
  bool set_owner, set_group;
  uint32_t owner, group;
  const char *nspath;   /* namespace to create in (path), or NULL */
  int nsfd;             /* ... or an fd of one; -1 with nspath NULL: the caller's namespace */
  int err;              /* errno of the failing call, 0 on success */
  const char *syscall;
} tun_job;

/* open + TUNSETIFF (+ owner, group, persist), then close: a persistent device outlives the
 * fd; on any failure before TUNSETPERSIST the close removes the half-made device. */
static void tun_do(tun_job *job) {
  struct ifreq ifr;
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    job->err = errno, job->syscall = "open /dev/net/tun";
    return;
  }
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, job->name, IFNAMSIZ);
  ifr.ifr_flags = job->flags;
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    job->err = errno, job->syscall = "ioctl TUNSETIFF";
  } else if (job->set_owner && ioctl(fd, TUNSETOWNER, (unsigned long)job->owner) < 0) {
    job->err = errno, job->syscall = "ioctl TUNSETOWNER";
  } else if (job->set_group && ioctl(fd, TUNSETGROUP, (unsigned long)job->group) < 0) {
    job->err = errno, job->syscall = "ioctl TUNSETGROUP";
  } else if (job->persist && ioctl(fd, TUNSETPERSIST, 1UL) < 0) {
    job->err = errno, job->syscall = "ioctl TUNSETPERSIST";
  } else {
    /* TUNSETIFF writes back the final name (a "%d" filled in). */
    memcpy(job->name, ifr.ifr_name, IFNAMSIZ);
    job->name[IFNAMSIZ - 1] = '\0';
  }
  close(fd);
}

/* Thread body: join the namespace, then create. The thread exits in that namespace, so no
 * Node thread ever changes its own. */
static void *tun_thread(void *arg) {
  tun_job *job = arg;
  int nsfd = job->nsfd;
  if (job->nspath != NULL && (nsfd = open(job->nspath, O_RDONLY | O_CLOEXEC)) < 0) {
    job->err = errno, job->syscall = "open";
    return NULL;
  }
  if (setns(nsfd, CLONE_NEWNET) < 0) job->err = errno, job->syscall = "setns";
  else tun_do(job);
  if (job->nspath != NULL) close(nsfd);
  return NULL;
}

static void tun_run_in_netns(tun_job *job) {
  int rc = run_on_thread(tun_thread, job);
  if (rc != 0) job->err = rc, job->syscall = "pthread_create";
}

static const char *const TUN_OPTS[] = {"tap", "persist", "owner", "group", "multiQueue", "vnetHdr", "pi"};

/* Optional boolean option: undefined keeps *out. */
static bool tun_opt_bool(napi_env env, napi_value opts, const char *key, bool *out) {
  napi_value v;
  napi_valuetype t;
  char what[48];
  if (napi_get_named_property(env, opts, key, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_undefined) return true;
  snprintf(what, sizeof what, "opts.%s", key);
  if (t != napi_boolean) return type_error(env, what, "a boolean or undefined");
  return napi_get_value_bool(env, v, out) == napi_ok;
}

/* Optional uid/gid option: undefined or null leaves it unset. */
static bool tun_opt_id(napi_env env, napi_value opts, const char *key, bool *set, uint32_t *out) {
  napi_value v;
  napi_valuetype t;
  char what[48];
  if (napi_get_named_property(env, opts, key, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_undefined || t == napi_null) return true;
  snprintf(what, sizeof what, "opts.%s", key);
  /* (uid_t)-1 means "no id" to the kernel; refuse it here rather than get EINVAL later. */
  int64_t x;
  if (!arg_int(env, v, what, 0, UINT32_MAX - 1, &x)) return false;
  *set = true, *out = (uint32_t)x;
  return true;
}

/* Reads opts into job; unknown keys are refused so a typo is not silently ignored. */
static bool tun_parse_opts(napi_env env, napi_value opts, tun_job *job) {
  napi_valuetype t = napi_undefined;
  napi_value keys;
  uint32_t n;
  bool tap = false, multi = false, vnet = false, pi = false;
  if (opts != NULL) napi_typeof(env, opts, &t);
  if (t != napi_undefined && t != napi_null) {
    if (t != napi_object) return type_error(env, "opts", "an object, null or undefined");
    if (napi_get_property_names(env, opts, &keys) != napi_ok || napi_get_array_length(env, keys, &n) != napi_ok) return false;
    for (uint32_t i = 0; i < n; i++) {
      napi_value k;
      char key[32];
      size_t len = 0, j;
      if (napi_get_element(env, keys, i, &k) != napi_ok ||
          napi_get_value_string_utf8(env, k, key, sizeof key, &len) != napi_ok)
        return false;
      for (j = 0; j < sizeof TUN_OPTS / sizeof TUN_OPTS[0]; j++)
        if (strcmp(key, TUN_OPTS[j]) == 0) break;
      if (j == sizeof TUN_OPTS / sizeof TUN_OPTS[0]) {
        char msg[160];
        snprintf(msg, sizeof msg, "Unknown tunCreate option \"%s\" (tap, persist, owner, group, multiQueue, vnetHdr, pi)", key);
        napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", msg);
        return false;
      }
    }
    if (!tun_opt_bool(env, opts, "tap", &tap) || !tun_opt_bool(env, opts, "persist", &job->persist) ||
        !tun_opt_bool(env, opts, "multiQueue", &multi) || !tun_opt_bool(env, opts, "vnetHdr", &vnet) ||
        !tun_opt_bool(env, opts, "pi", &pi) ||
        !tun_opt_id(env, opts, "owner", &job->set_owner, &job->owner) ||
        !tun_opt_id(env, opts, "group", &job->set_group, &job->group))
      return false;
  }
  /* IFF_TUN_EXCL: an existing name is EBUSY instead of silently attaching to that device. */
  job->flags = (short)((tap ? IFF_TAP : IFF_TUN) | IFF_TUN_EXCL | (pi ? 0 : IFF_NO_PI) |
                       (multi ? IFF_MULTI_QUEUE : 0) | (vnet ? IFF_VNET_HDR : 0));
  return true;
}

/* tunCreate(name, opts?, netns?) -> the created interface's name. name: up to IFNAMSIZ-1
 * bytes, may hold one "%d"; empty/null/undefined lets the kernel name it tun%d / tap%d. */
static napi_value js_tun_create(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3] = {NULL, NULL, NULL}, result;
  napi_valuetype t = napi_undefined;
  char path[PATH_MAX];
  tun_job job;

  memset(&job, 0, sizeof job);
  job.persist = true, job.nsfd = -1;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argv[0] != NULL) napi_typeof(env, argv[0], &t);
  if (t == napi_string) {
    char buf[IFNAMSIZ + 1];
    size_t len = 0;
    CHECK(env, napi_get_value_string_utf8(env, argv[0], buf, sizeof buf, &len));
    if (len >= IFNAMSIZ || strlen(buf) != len) {
      napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE",
                             "The \"name\" argument must be at most 15 bytes (IFNAMSIZ - 1) without NUL bytes");
      return NULL;
    }
    memcpy(job.name, buf, len + 1);
  } else if (t != napi_undefined && t != napi_null) {
    return type_error(env, "name", "a string, null or undefined"), NULL;
  }
  if (!tun_parse_opts(env, argv[1], &job)) return NULL;

  t = napi_undefined;
  if (argv[2] != NULL) napi_typeof(env, argv[2], &t);
  if (t == napi_undefined || t == napi_null) {
    tun_do(&job);
  } else {
    if (t == napi_string) {
      if (!arg_netns_path(env, argv[2], "netns", path, sizeof path)) return NULL;
      job.nspath = path;
    } else if (t == napi_number) {
      if (!arg_i32(env, argv[2], "netns", &job.nsfd)) return NULL;
    } else {
      return type_error(env, "netns", "a path string, a namespace fd number, null or undefined"), NULL;
    }
    tun_run_in_netns(&job);
  }
  if (job.err != 0) return throw_errno(env, job.syscall, job.err);
  CHECK(env, napi_create_string_utf8(env, job.name, NAPI_AUTO_LENGTH, &result));
  return result;
}

/* Adds the tun/tap functions to the exports object. */
static bool tuntap_define(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"tunCreate", NULL, js_tun_create, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
/* ============================================================= end tuntap */

/* ------------------------------------------------------------------- init */

static void env_cleanup(void *arg) {
  addon_state *state = arg;
  while (state->polls != NULL) poll_stop(state->polls);
}

static void state_finalize(napi_env env, void *data, void *hint) { free(data); }

static napi_value make_constants(napi_env env) {
  static const struct {
    const char *name;
    int value;
  } table[] = {
#define C(x) {#x, x},
    C(SOL_SOCKET) C(SOL_NETLINK) C(SO_RCVBUF) C(SO_RCVBUFFORCE) C(SO_SNDBUF) C(SO_SNDBUFFORCE)
    C(NETLINK_ADD_MEMBERSHIP) C(NETLINK_DROP_MEMBERSHIP) C(NETLINK_PKTINFO)
    C(NETLINK_BROADCAST_ERROR) C(NETLINK_NO_ENOBUFS) C(NETLINK_LISTEN_ALL_NSID)
    C(NETLINK_CAP_ACK) C(NETLINK_EXT_ACK) C(NETLINK_GET_STRICT_CHK)
    C(MSG_PEEK) C(MSG_TRUNC) C(MSG_DONTWAIT)
#undef C
  };
  napi_value obj, v;
  CHECK(env, napi_create_object(env, &obj));
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    CHECK(env, napi_create_int32(env, table[i].value, &v));
    CHECK(env, napi_set_named_property(env, obj, table[i].name, v));
  }
  CHECK(env, napi_object_freeze(env, obj));
  return obj;
}

NAPI_MODULE_INIT() {
  addon_state *state = calloc(1, sizeof *state);
  napi_value constants;
  if (state == NULL) return throw_errno(env, "init", ENOMEM);
  if (napi_set_instance_data(env, state, state_finalize, NULL) != napi_ok) {
    free(state);
    return NULL;
  }
  CHECK(env, napi_add_env_cleanup_hook(env, env_cleanup, state));
  if ((constants = make_constants(env)) == NULL) return NULL;

  napi_property_descriptor props[] = {
#define F(js, c) {js, NULL, c, NULL, NULL, NULL, napi_enumerable, NULL},
    F("open", js_open) F("bind", js_bind) F("getsockname", js_getsockname)
    F("setsockopt", js_setsockopt) F("getsockopt", js_getsockopt) F("send", js_send)
    F("recv", js_recv) F("poll", js_poll) F("pollStop", js_poll_stop) F("pollRef", js_poll_ref) F("close", js_close)
#undef F
    {"constants", NULL, NULL, NULL, NULL, constants, napi_enumerable, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  if (!netns_define(env, exports)) return NULL;
  if (!tuntap_define(env, exports)) return NULL;
  if (!unixsock_define(env, exports)) return NULL;
  return exports;
}
