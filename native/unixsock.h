/* AF_UNIX helpers of the addon (unixsock.c). */
#ifndef NLROUTE_UNIXSOCK_H
#define NLROUTE_UNIXSOCK_H
#include <stdbool.h>
#include <node_api.h>

bool unixsock_define(napi_env env, napi_value exports);

#endif
