/* AF_UNIX calls Node's net module cannot make: the peer's credentials of a connected socket
 * (SO_PEERCRED, for authorizing API clients) and one datagram to a path (sd_notify). */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <node_api.h>

#include "unixsock.h"

static napi_value us_throw(napi_env env, const char *syscall, int err) {
  napi_value msg, code, error, num, call;
  char text[256];
  const char *name = strerrorname_np(err);
  snprintf(text, sizeof text, "%s: %s (%s)", syscall, strerror(err), name ? name : "?");
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code) != napi_ok) return NULL;
  if (napi_create_error(env, code, msg, &error) != napi_ok) return NULL;
  napi_create_int32(env, err, &num);
  napi_set_named_property(env, error, "errno", num);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &call);
  napi_set_named_property(env, error, "syscall", call);
  napi_throw(env, error);
  return NULL;
}

static napi_value us_type_error(napi_env env, const char *what) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", what);
  return NULL;
}

/* peerCred(fd) -> { pid, uid, gid } of the process at the other end of a UNIX socket. */
static napi_value js_peer_cred(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out, v;
  int32_t fd;
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    return us_type_error(env, "fd must be a non-negative integer");
  }
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) return us_throw(env, "getsockopt SO_PEERCRED", errno);
  napi_create_object(env, &out);
  napi_create_int32(env, cred.pid, &v);
  napi_set_named_property(env, out, "pid", v);
  napi_create_uint32(env, cred.uid, &v);
  napi_set_named_property(env, out, "uid", v);
  napi_create_uint32(env, cred.gid, &v);
  napi_set_named_property(env, out, "gid", v);
  return out;
}

/* sendDatagram(path, data): one SOCK_DGRAM datagram to a UNIX socket path; a leading '@'
 * names the abstract namespace (as NOTIFY_SOCKET does). Returns the bytes sent. */
static napi_value js_send_datagram(napi_env env, napi_callback_info info) {
  size_t argc = 2, plen = 0, dlen = 0;
  napi_value argv[2], out;
  struct sockaddr_un sa;
  char path[sizeof sa.sun_path + 1];
  void *data = NULL;
  bool is_buf = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &plen) != napi_ok) {
    return us_type_error(env, "path must be a string");
  }
  if (plen == 0 || plen >= sizeof sa.sun_path) return us_type_error(env, "path must be 1..107 bytes");
  if (napi_is_buffer(env, argv[1], &is_buf) != napi_ok || !is_buf ||
      napi_get_buffer_info(env, argv[1], &data, &dlen) != napi_ok) {
    return us_type_error(env, "data must be a Buffer");
  }
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  memcpy(sa.sun_path, path, plen);
  if (path[0] == '@') sa.sun_path[0] = '\0';
  socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] == '@' ? 0 : 1));
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return us_throw(env, "socket", errno);
  ssize_t n = sendto(fd, data, dlen, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
  int err = errno;
  close(fd);
  if (n < 0) return us_throw(env, "sendto", err);
  napi_create_int64(env, n, &out);
  return out;
}

bool unixsock_define(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"peerCred", NULL, js_peer_cred, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sendDatagram", NULL, js_send_datagram, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
