import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseStraceLog, type StraceSession, type StraceTransfer } from '../src/tools/straceparse.js';

// Real strace 6.1 captures from this machine, made by test/fixtures/strace/capture.sh.
const FIXTURES = new URL('../../test/fixtures/strace/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const parse = (name: string) => parseStraceLog(fixture(name));

const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;

interface Expect {
  file: string;
  sockets: string[]; // `fd:PROTOCOL` in order of creation
  sends: number;
  recvs: number; // real reads
  peeks: number;
  anyOrder?: boolean; // processes ran in parallel: socket order varies between captures
}

const CAPTURES: Expect[] = [
  { file: 'ip-link-show.log', sockets: ['3:NETLINK_ROUTE'], sends: 2, recvs: 3, peeks: 2 },
  { file: 'ip-route-show-json.log', sockets: ['3:NETLINK_ROUTE', '4:NETLINK_ROUTE'], sends: 2, recvs: 3, peeks: 3 },
  { file: 'ip-addr-show-lo.log', sockets: ['3:NETLINK_ROUTE', '4:NETLINK_ROUTE'], sends: 3, recvs: 4, peeks: 4 },
  { file: 'ip-addr-show-lo-rawstr.log', sockets: ['3:NETLINK_ROUTE', '4:NETLINK_ROUTE'], sends: 3, recvs: 4, peeks: 4 },
  { file: 'ip-addr-add-netns.log', sockets: ['3:NETLINK_ROUTE', '4:NETLINK_ROUTE'], sends: 2, recvs: 2, peeks: 2 },
  {
    file: 'ip-link-show-lo-annotated.log',
    sockets: ['3:NETLINK_ROUTE', '4:NETLINK_ROUTE'],
    sends: 3,
    recvs: 3,
    peeks: 2,
  },
  { file: 'ip-link-show-lo-xraw.log', sockets: ['3:NETLINK_ROUTE', '4:NETLINK_ROUTE'], sends: 3, recvs: 3, peeks: 2 },
  { file: 'ipset-list-netns.log', sockets: ['3:NETLINK_NETFILTER'], sends: 2, recvs: 3, peeks: 0 },
  { file: 'seed-form-ipset.log', sockets: ['3:NETLINK_NETFILTER'], sends: 2, recvs: 3, peeks: 0 },
  { file: 'nlprobe.log', sockets: ['3:NETLINK_ROUTE', '3:NETLINK_GENERIC'], sends: 3, recvs: 5, peeks: 1 },
  { file: 'nlprobe-rawstr.log', sockets: ['3:NETLINK_ROUTE', '3:NETLINK_GENERIC'], sends: 3, recvs: 5, peeks: 1 },
  { file: 'nlprobe-rawstr-octal.log', sockets: ['3:NETLINK_ROUTE', '3:NETLINK_GENERIC'], sends: 3, recvs: 5, peeks: 1 },
  {
    file: 'multiproc-ip.log',
    sockets: [
      '3:NETLINK_ROUTE',
      '4:NETLINK_ROUTE',
      '3:NETLINK_ROUTE',
      '3:NETLINK_ROUTE',
      '4:NETLINK_ROUTE',
      '4:NETLINK_ROUTE',
      '4:NETLINK_ROUTE',
    ],
    sends: 9,
    recvs: 11,
    peeks: 10,
    anyOrder: true,
  },
];

const count = (s: StraceSession, f: (t: StraceTransfer) => boolean) => s.transfers.filter(f).length;

// Walks the netlink headers in a buffer; every nlmsg_len must fit. Stops at a
// zero header (iproute2 sends its request struct with zero padding after it).
function checkMessages(b: Buffer, where: string): number {
  let off = 0;
  let n = 0;
  while (off + NLMSG_HDRLEN <= b.length) {
    const len = b.readUInt32LE(off);
    if (len === 0 && b.subarray(off).every((x) => x === 0)) break;
    assert.ok(len >= NLMSG_HDRLEN, `${where}: nlmsg_len ${len} at ${off} is below the header size`);
    assert.ok(off + len <= b.length, `${where}: nlmsg_len ${len} at ${off} runs past ${b.length}`);
    off += (len + 3) & ~3;
    n++;
  }
  return n;
}

for (const exp of CAPTURES) {
  test(`${exp.file}: sockets, transfer counts, netlink lengths`, () => {
    const s = parse(exp.file);
    assert.deepEqual(s.warnings, []);
    const seen = s.sockets.map((k) => `${k.fd}:${k.protocolName}`);
    if (exp.anyOrder) assert.deepEqual(seen.sort(), [...exp.sockets].sort());
    else assert.deepEqual(seen, exp.sockets);
    for (const k of s.sockets) {
      assert.equal(k.protocol, { NETLINK_ROUTE: 0, NETLINK_NETFILTER: 12, NETLINK_GENERIC: 16 }[k.protocolName]);
    }
    assert.equal(
      count(s, (t) => t.direction === 'send'),
      exp.sends,
      'sends',
    );
    assert.equal(
      count(s, (t) => t.direction === 'recv' && !t.peek),
      exp.recvs,
      'recvs',
    );
    assert.equal(
      count(s, (t) => t.peek),
      exp.peeks,
      'peeks',
    );
    for (const t of s.transfers) {
      const where = `${exp.file}:${t.line} ${t.syscall}`;
      assert.equal(t.direction === 'send', /^(sendto|sendmsg)$/.test(t.syscall), where);
      if (t.peek) continue;
      assert.equal(t.truncated, false, where);
      assert.equal(t.bytes.length, t.returned, where);
      assert.ok(t.bytes.length >= 4, where);
      assert.ok(t.bytes.readUInt32LE(0) <= t.bytes.length, `${where}: first nlmsg_len`);
      assert.ok(checkMessages(t.bytes, where) >= 1, where);
    }
  });
}

test('ip addr add (in a netns): the request is acked with NLMSG_ERROR error=0', () => {
  const s = parse('ip-addr-add-netns.log');
  const req = s.transfers.filter((t) => t.direction === 'send').at(-1)!;
  assert.equal(req.bytes.readUInt16LE(4), 20, 'RTM_NEWADDR');
  const ack = s.transfers.at(-1)!;
  assert.equal(ack.bytes.readUInt16LE(4), NLMSG_ERROR);
  assert.equal(ack.bytes.readInt32LE(NLMSG_HDRLEN), 0);
  assert.equal(ack.bytes.readUInt32LE(NLMSG_HDRLEN + 4 + 8), req.bytes.readUInt32LE(8), 'echoed seq');
  const done = parse('ip-link-show.log').transfers.at(-1)!;
  assert.equal(done.bytes.readUInt16LE(4), NLMSG_DONE);
});

test('peeks: MSG_PEEK|MSG_TRUNC sizing reads are marked and carry no fake data', () => {
  const s = parse('ip-link-show.log');
  const peeks = s.transfers.filter((t) => t.peek);
  for (const p of peeks) {
    assert.equal(p.bytes.length, 0); // iov_base=NULL, iov_len=0
    assert.equal(p.truncated, true);
    const next = s.transfers[s.transfers.indexOf(p) + 1]!;
    assert.equal(next.peek, false);
    assert.equal(next.returned, p.returned, 'the real read returns what the peek announced');
  }
  // nlprobe peeks with a 16-byte buffer: strace dumps `returned` (1468) bytes
  // anyway, reading past the buffer; only the 16 real bytes may be kept.
  for (const f of ['nlprobe.log', 'nlprobe-rawstr.log', 'nlprobe-rawstr-octal.log']) {
    const p = parse(f).transfers.find((t) => t.peek)!;
    assert.equal(p.syscall, 'recvfrom');
    assert.equal(p.returned, 1468);
    assert.equal(p.bytes.length, 16);
    assert.equal(p.bytes.readUInt32LE(0), 1468);
    assert.equal(p.truncated, true);
  }
});

test('sendmsg with two iovecs is one concatenated buffer', () => {
  const t = parse('nlprobe.log').transfers.find((x) => x.syscall === 'sendmsg')!;
  assert.equal(t.bytes.length, 32);
  assert.equal(t.bytes.readUInt32LE(0), 32);
  assert.equal(t.bytes.readInt32LE(20), 1, 'ifi_index from the second iovec');
});

test('fd reuse: the UDP socket that takes fd 3 after the netlink ones is ignored', () => {
  for (const f of ['nlprobe.log', 'nlprobe-rawstr.log']) {
    const s = parse(f);
    assert.ok(fixture(f).includes('not netlink'));
    assert.ok(!s.transfers.some((t) => t.bytes.includes('not netlink')));
    assert.equal(s.transfers.at(-1)!.protocolName, 'NETLINK_GENERIC');
  }
});

function stripDumps(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^ [|*] /.test(l))
    .join('\n');
}

test('raw-string form and hex-dump form of the same capture are byte-identical', () => {
  for (const f of ['nlprobe-rawstr.log', 'nlprobe-rawstr-octal.log', 'ip-addr-show-lo-rawstr.log']) {
    const withDumps = parse(f);
    const stringsOnly = parseStraceLog(stripDumps(fixture(f)));
    assert.equal(stringsOnly.transfers.length, withDumps.transfers.length);
    let compared = 0;
    withDumps.transfers.forEach((t, i) => {
      const u = stringsOnly.transfers[i]!;
      assert.equal(u.syscall, t.syscall);
      assert.equal(u.returned, t.returned);
      if (!t.peek) assert.equal(t.source, 'hexdump');
      if (u.source !== 'string') return; // decoded (sendmsg/recvmsg, msg_name says AF_NETLINK)
      assert.deepEqual(u.bytes, t.bytes, `${f}:${t.line}`);
      compared++;
    });
    assert.ok(compared >= (f.startsWith('nlprobe') ? 7 : 1), `${f}: compared ${compared}`);
  }
});

test('seed form (hand-built from real bytes) equals the real hex-dump capture', () => {
  const real = parse('ipset-list-netns.log');
  const seed = parse('seed-form-ipset.log');
  assert.equal(seed.transfers.length, real.transfers.length);
  seed.transfers.forEach((t, i) => {
    const r = real.transfers[i]!;
    assert.equal(t.source, 'string');
    assert.equal(t.direction, r.direction);
    assert.equal(t.returned, r.returned);
    assert.deepEqual(t.bytes, r.bytes);
    assert.equal(t.pid, 4242, 'unprefixed lines belong to the first pid never announced as attached');
  });
  assert.deepEqual(
    seed.sockets.map((k) => [k.pid, k.fd, k.protocol]),
    [[4242, 3, 12]],
  );
});

test('-f: pids, unfinished/resumed splits, per-pid fds', () => {
  const s = parse('multiproc-ip.log');
  const text = fixture('multiproc-ip.log');
  assert.ok(/<unfinished \.\.\.>/.test(text) && /<\.\.\. recvmsg resumed>/.test(text));
  const pids = [...new Set(s.sockets.map((k) => k.pid))];
  assert.equal(pids.length, 3);
  assert.ok(pids.every((p) => p > 0));
  for (const t of s.transfers) {
    assert.ok(
      s.sockets.some((k) => k.pid === t.pid && k.fd === t.fd),
      `transfer at ${t.line} on a socket of its pid`,
    );
  }
  // a resumed recvmsg is attributed to the line where it completed
  const resumed = text.split('\n').findIndex((l) => /<\.\.\. recvmsg resumed>.*\) = [1-9]/.test(l)) + 1;
  assert.ok(s.transfers.some((t) => t.line === resumed && t.syscall === 'recvmsg'));
});

test('a log without netlink sockets is an empty session', () => {
  const text = [
    'socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = 3',
    'sendto(3, "\\x1c\\x00\\x00\\x00", 4, 0, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 4',
    ' | 00000  1c 00 00 00                                       ....             |',
    '+++ exited with 0 +++',
  ].join('\n');
  assert.deepEqual(parseStraceLog(text), { sockets: [], transfers: [], warnings: [] });
  assert.deepEqual(parseStraceLog(''), { sockets: [], transfers: [], warnings: [] });
});

test('garbage lines are ignored', () => {
  const garbage = [
    'hello world',
    '"\\x zz unterminated',
    ' | not a dump',
    'sendto(',
    'sendto(3, "\\x14\\x00\\x00\\x00", 4, 0, NULL, 0) = ',
    '<... recvmsg resumed>{msg_iov=[]}, 0) = 5',
    '\u0000\u00ff binary',
    '--- SIGCHLD {si_signo=SIGCHLD} ---',
  ];
  const head = ['socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3'];
  const ok =
    'sendto(3, "\\x14\\x00\\x00\\x00\\x03\\x00\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00", 20, 0, NULL, 0) = 20';
  const s = parseStraceLog([...head, ...garbage, ok, ...garbage].join('\n'));
  assert.equal(s.transfers.length, 1);
  assert.equal(s.transfers[0]!.bytes.length, 20);
  assert.equal(s.warnings.length, 2, 'the two orphan resumed recvmsg lines are reported');
});

test('a malformed string on a netlink call becomes a warning, not an exception', () => {
  const s = parseStraceLog(
    ['socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 3', 'sendto(3, "\\q\\x00", 2, 0, NULL, 0) = 2'].join('\n'),
  );
  assert.equal(s.transfers.length, 1);
  assert.equal(s.transfers[0]!.source, 'none');
  assert.equal(s.transfers[0]!.truncated, true);
  assert.match(s.warnings[0]!.message, /unknown escape/);
});

test('strace -s cut strings are marked truncated', () => {
  const s = parseStraceLog(
    [
      'socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC) = 5',
      'recvfrom(5, "\\x24\\x00\\x00\\x00"..., 16384, 0, NULL, NULL) = 36',
    ].join('\n'),
  );
  const t = s.transfers[0]!;
  assert.deepEqual([t.fd, t.protocol, t.protocolName, t.source], [5, 16, 'NETLINK_GENERIC', 'string']);
  assert.equal(t.bytes.length, 4);
  assert.equal(t.truncated, true);
  assert.equal(t.peek, false);
});

test('failed calls carry no data; close() and a new socket() forget the fd', () => {
  const s = parseStraceLog(
    [
      'socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT) = 3',
      'recvfrom(3, 0x7ffc, 8192, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)',
      'sendto(3, "\\x10\\x00\\x00\\x00\\xe8\\x03\\x05\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00", 16, 0, NULL, 0) = 16',
      'close(3) = 0',
      'sendto(3, "\\x10\\x00\\x00\\x00", 4, 0, NULL, 0) = 4',
      'socket(AF_NETLINK, SOCK_RAW, 0x1f /* NETLINK_??? */) = 3',
      'sendto(3, "\\x10\\x00\\x00\\x00", 4, 0, NULL, 0) = 4',
      'dup2(3, 7) = 7',
      'sendto(7, "\\x10\\x00\\x00\\x00", 4, 0, NULL, 0) = 4',
    ].join('\n'),
  );
  assert.deepEqual(
    s.transfers.map((t) => `${t.fd}:${t.protocolName}:${t.bytes.length}`),
    ['3:NETLINK_AUDIT:16', '3:NETLINK_31:4', '7:NETLINK_31:4'],
  );
  assert.deepEqual(
    s.sockets.map((k) => k.protocol),
    [9, 31],
  );
});

test('recvmsg: only the returned bytes are data; MSG_TRUNC in msg_flags marks truncation', () => {
  const s = parseStraceLog(
    [
      'socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 3',
      // older strace printed iov_base up to the return value
      'recvmsg(3, {msg_name(12)={sa_family=AF_NETLINK, pid=0, groups=00000000}, msg_iov(1)=[{"\\x14\\x00\\x00\\x00\\x03\\x00\\x02\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00", 16384}], msg_controllen=0, msg_flags=0}, 0) = 20',
      'recvmsg(3, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base="\\xbc", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}, 0) = 1',
      'recvmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\\x14\\x00", iov_len=2}, {iov_base="\\x00\\x00", iov_len=2}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, MSG_PEEK) = 4',
    ].join('\n'),
  );
  const [a, b, c] = s.transfers;
  assert.equal(a!.bytes.length, 20);
  assert.equal(a!.truncated, false);
  assert.deepEqual([b!.bytes.length, b!.truncated, b!.peek], [1, true, false]);
  assert.deepEqual([c!.bytes.length, c!.peek], [4, true]);
});

test('peek detection: MSG_PEEK flag, else a return larger than the buffer', () => {
  const s = parseStraceLog(
    [
      'socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 3',
      'recvfrom(3, "\\x14\\x00\\x00\\x00", 4, MSG_PEEK|MSG_TRUNC, NULL, NULL) = 20',
      'recvfrom(3, "\\x14\\x00\\x00\\x00", 4, 0x22, NULL, NULL) = 20',
      'recvfrom(3, "\\x14\\x00\\x00\\x00", 4, MSG_TRUNC, NULL, NULL) = 20',
      'read(3, "\\x14\\x00\\x00\\x00", 4) = 20',
    ].join('\n'),
  );
  assert.deepEqual(
    s.transfers.map((t) => [t.syscall, t.peek, t.truncated, t.bytes.length]),
    [
      ['recvfrom', true, true, 4],
      ['recvfrom', true, true, 4],
      ['recvfrom', false, true, 4], // a real read that lost its tail: the decoder must not skip it
      ['read', true, true, 4],
    ],
  );
});

test('-yy annotations identify a netlink fd whose socket() was not traced', () => {
  const s = parseStraceLog(
    '12:00:00.000001 sendto(4<NETLINK:[GENERIC:1234]>, "\\x14\\x00\\x00\\x00", 4, 0, NULL, 0) = 4 <0.000010>',
  );
  assert.deepEqual(
    s.transfers.map((t) => [t.fd, t.protocol, t.bytes.length]),
    [[4, 16, 4]],
  );
  assert.equal(s.sockets[0]!.protocolName, 'NETLINK_GENERIC');
  // -r relative timestamps are right-aligned
  const r = parseStraceLog(
    [
      '     0.000000 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3',
      '     0.000118 sendto(3, "\\x14\\x00\\x00\\x00", 4, 0, NULL, 0) = 4',
    ].join('\n'),
  );
  assert.equal(r.transfers.length, 1);
});

test('threads/children: an fd used by another pid falls back to the newest socket with that number', () => {
  const s = parseStraceLog(
    [
      '[pid   100] socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM) = 6',
      '[pid   101] sendto(6, "\\x14\\x00\\x00\\x00", 4, 0, NULL, 0) = 4',
    ].join('\n'),
  );
  assert.deepEqual(
    s.transfers.map((t) => [t.pid, t.fd, t.protocolName]),
    [[101, 6, 'NETLINK_XFRM']],
  );
});

test('a large real log parses quickly', () => {
  const text = fixture('multiproc-ip.log').repeat(20);
  const t0 = performance.now();
  const s = parseStraceLog(text);
  const ms = performance.now() - t0;
  assert.ok(s.transfers.length > 500);
  assert.ok(ms < 2000, `${ms} ms for ${text.length} chars`);
});
