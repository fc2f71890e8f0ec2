// Node `netlink` peer, route dump: getRoutes() of every IPv4 route, the destination read from each.
const { join } = require('node:path');
const { createRtNetlink } = require(join(__dirname, '..', '.peers', 'node_modules', 'netlink'));

(async () => {
  const sock = createRtNetlink();
  const routes = await sock.getRoutes({ family: 2 });
  let dst = 0;
  for (const r of routes) if (r.attrs.dst !== undefined) dst++;
  sock.socket.close();
  console.log(JSON.stringify({ count: routes.length, dst }));
})().catch((e) => { console.error(e); process.exitCode = 1; });
