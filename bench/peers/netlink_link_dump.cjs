// Node `netlink` peer, link dump: getLinks() with details and stats, name, kind and rx bytes read.
const { join } = require('node:path');
const { createRtNetlink } = require(join(__dirname, '..', '.peers', 'node_modules', 'netlink'));

(async () => {
  const sock = createRtNetlink();
  const links = await sock.getLinks();
  let kinds = 0;
  let rx = 0n;
  for (const l of links) {
    if (l.attrs.linkinfo && l.attrs.linkinfo.kind) kinds++;
    if (l.attrs.stats64) rx += BigInt(l.attrs.stats64.rxBytes);
  }
  sock.socket.close();
  console.log(JSON.stringify({ count: links.length, kinds, rx_bytes: Number(rx) }));
})().catch((e) => { console.error(e); process.exitCode = 1; });
