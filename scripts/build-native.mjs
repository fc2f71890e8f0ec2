// Builds the native addon with node-gyp at install time. Node's headers are taken from the
// system (/usr/include/node, Debian's nodejs) when present, so nothing is downloaded.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (process.platform !== 'linux') {
  console.log('nlroute: not Linux; the native addon is skipped (offline decoding still works)');
  process.exit(0);
}
const args = ['rebuild'];
const systemHeaders = `${process.execPath.replace(/\/bin\/node$/, '')}/include/node/node_api.h`;
if (!process.env.npm_config_nodedir && existsSync(systemHeaders))
  args.push(`--nodedir=${systemHeaders.replace(/\/include\/node\/node_api\.h$/, '')}`);
const r = spawnSync('node-gyp', args, { stdio: 'inherit', shell: false });
if (r.error) {
  console.error(`nlroute: cannot run node-gyp (${r.error.message}); install npm's node-gyp, python3, make and g++`);
  process.exit(1);
}
process.exit(r.status ?? 1);
