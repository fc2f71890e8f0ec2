// Node `netlink` peer, start-up: require, open a socket, list links.
const { join } = require('node:path');
const { createRtNetlink } = require(join(__dirname, '..', '.peers', 'node_modules', 'netlink'));

(async () => {
  const sock = createRtNetlink();
  const links = await sock.getLinks();
  sock.socket.close();
  console.log(JSON.stringify({ count: links.length }));
})().catch((e) => { console.error(e); process.exitCode = 1; });
