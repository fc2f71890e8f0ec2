{
  # One plain-C N-API addon: the netlink socket syscalls nlroute cannot make from JS.
  "targets": [
    {
      "target_name": "nlroute_native",
      "conditions": [
        ["OS=='linux'", {
          "sources": ["native/nlsock.c", "native/unixsock.c"],
          "defines": ["NAPI_VERSION=8"],
          "cflags": ["-std=gnu11", "-fvisibility=hidden"],
          "libraries": ["-lpthread"]
        }, {
          # Netlink is Linux-only; elsewhere build nothing so installing still succeeds
          # and the pure-JS codec/decoder keep working (loadNative() reports it).
          "type": "none"
        }]
      ]
    }
  ]
}
