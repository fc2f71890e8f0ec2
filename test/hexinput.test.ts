import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HexInputError, decodeStraceString, parseHexDumpLine } from '../src/tools/hexinput.js';
import { parseHexInput } from '../src/tools/hexstream.js';
import { parseStraceLog } from '../src/tools/straceparse.js';

const FIXTURES = new URL('../../test/fixtures/strace/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// First ipset request of ipset-list-netns.log (IPSET_CMD_PROTOCOL), as in the seed.
const IPSET_PROTO = hex('1c000000 01060100 e3950000 00000000 02000000 05000100 07000000');

function throwsAt(input: string, line: number, column: number, message?: RegExp): void {
  assert.throws(
    () => parseHexInput(input),
    (e: unknown) => {
      assert.ok(e instanceof HexInputError, `expected HexInputError, got ${String(e)}`);
      assert.equal(e.line, line, `line of: ${e.message}`);
      assert.equal(e.column, column, `column of: ${e.message}`);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

test('quoted strace string, seed form', () => {
  const s =
    '"\\x1c\\x00\\x00\\x00\\x01\\x06\\x01\\x00\\xe3\\x95\\x00\\x00\\x00\\x00\\x00\\x00' +
    '\\x02\\x00\\x00\\x00\\x05\\x00\\x01\\x00\\x07\\x00\\x00\\x00"';
  assert.deepEqual(parseHexInput(s), [IPSET_PROTO]);
});

test('quoted strings inside strace lines: only the quoted parts, one buffer each', () => {
  const text = [
    'sendto(3, "\\x14\\x00\\x00\\x00\\x03\\x00\\x02\\x00", 8, 0, NULL, 0) = 8',
    '[pid 12] recvfrom(3, "\\x10\\x00\\x00\\x00\\x02\\x00\\x00\\x00"..., 16384, 0, NULL, NULL) = 16',
  ].join('\n');
  assert.deepEqual(parseHexInput(text), [hex('1400000003000200'), hex('1000000002000000')]);
});

test('a quoted string wrapped across lines is one buffer', () => {
  const text =
    '"\\x1c\\x00\\x00\\x00\\x01\\x06\\x01\\x00\\xe3\\x95\\x00\\x00\n' +
    '\\x00\\x00\\x00\\x00\\x02\\x00\\x00\\x00\\x05\\x00\n\\x01\\x00\\x07\\x00\\x00\\x00"\n';
  assert.deepEqual(parseHexInput(text), [IPSET_PROTO]);
});

test('strace escapes and printable characters (no -x, or -x on an ASCII string)', () => {
  // what strace prints without -x: octal escapes, C escapes, plain ASCII
  const [b] = parseHexInput('"\\30\\0\\0\\0\\v\\0\\2\\0nlctrl\\0\\0\\n\\t\\"\\\\\\0001 ok"');
  assert.deepEqual(
    b,
    Buffer.from([
      0x18,
      0,
      0,
      0,
      0x0b,
      0,
      2,
      0,
      ...Buffer.from('nlctrl'),
      0,
      0,
      0x0a,
      0x09,
      0x22,
      0x5c,
      0,
      0x31,
      ...Buffer.from(' ok'),
    ]),
  );
});

test('decodeStraceString reports strace -s cuts', () => {
  const text = 'x("\\x01\\x02"..., 9)';
  const s = decodeStraceString(text, 2);
  assert.deepEqual(s.bytes, Buffer.from([1, 2]));
  assert.equal(s.cut, true);
  assert.equal(text[s.end], '.');
  assert.equal(decodeStraceString('"\\x01", 9', 0).cut, false);
});

test('strace 6.x hex dump lines; offset 00000 starts a new buffer', () => {
  const text = [
    'sendto(3, [{nlmsg_len=28, ...}], 28, 0, NULL, 0) = 28',
    ' | 00000  1c 00 00 00 01 06 01 00  e3 95 00 00 00 00 00 00  ................ |',
    ' | 00010  02 00 00 00 05 00 01 00  07 00 00 00              ............     |',
    'recvmsg(3, {...}, 0) = 20',
    ' * 20 bytes in buffer 0',
    ' | 00000  14 00 00 00 03 00 02 00  09 8f 04 6b 91 11 00 00  ...........k.... |',
    ' | 00010  00 00 00 00                                       ....             |',
  ].join('\n');
  assert.deepEqual(parseHexInput(text), [IPSET_PROTO, hex('14000000 03000200 098f046b 91110000 00000000')]);
});

test('hex dump: the ASCII column is never read as hex', () => {
  // last line's ASCII column "ab" looks like a hex byte
  const line = ' | 00000  61 62                                             ab               |';
  assert.deepEqual(parseHexDumpLine(line)?.bytes, Buffer.from('ab'));
  assert.deepEqual(parseHexInput(line), [Buffer.from('ab')]);
});

test('hex dump: later iovecs of one call (buffer 1, 2...) join the same buffer', () => {
  const text = [
    ' * 16 bytes in buffer 0',
    ' | 00000  20 00 00 00 12 00 01 00  02 00 00 00 00 00 00 00   ............... |',
    ' * 16 bytes in buffer 1',
    ' | 00000  00 00 00 00 01 00 00 00  00 00 00 00 00 00 00 00  ................ |',
  ].join('\n');
  const out = parseHexInput(text);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.length, 32);
});

test('hex dump wins over quoted strings when both are present', () => {
  // nlprobe-rawstr.log prints sendto/recvfrom both ways; a decoded recvmsg
  // holds partial strings that must not become buffers.
  const bufs = parseHexInput(fixture('nlprobe-rawstr.log'));
  const s = parseStraceLog(fixture('nlprobe-rawstr.log'));
  // one buffer per dumped syscall (non-netlink UDP included: hexinput knows no sockets)
  assert.equal(bufs.length, s.transfers.filter((t) => t.source === 'hexdump').length + 1);
  assert.deepEqual(bufs[0], s.transfers[0]!.bytes);
});

test('hex dump of a whole real capture matches the strace parser', () => {
  const bufs = parseHexInput(fixture('ipset-list-netns.log'));
  const s = parseStraceLog(fixture('ipset-list-netns.log'));
  assert.deepEqual(
    bufs,
    s.transfers.map((t) => t.bytes),
  );
});

test('hex dump with a missing line is an error, not silent corruption', () => {
  const text = [
    ' | 00000  1c 00 00 00 01 06 01 00  e3 95 00 00 00 00 00 00  ................ |',
    ' | 00020  02 00 00 00 05 00 01 00  07 00 00 00              ............     |',
  ].join('\n');
  throwsAt(text, 2, 4, /offset 20/);
});

test('hex dump with a non-hex byte', () => {
  throwsAt(' | 00000  1c 00 zz 00                                       ....             |', 1, 17);
});

test('plain hex: whitespace, newlines, 0x prefixes, colons', () => {
  assert.deepEqual(parseHexInput('1c000000 0106\n0100 e3950000\n00000000 02000000 05000100 07000000\n'), [IPSET_PROTO]);
  assert.deepEqual(parseHexInput('0x1c 0x00 0x00 0x00'), [hex('1c000000')]);
  assert.deepEqual(parseHexInput('1c:00:00:00\n01:06:01:00'), [hex('1c000000 01060100')]);
  assert.deepEqual(parseHexInput('0x1c, 0x00,\t0X00, 0x00'), [hex('1c000000')]);
  assert.deepEqual(parseHexInput('\\x1c\\x00\\x00\\x00'), [hex('1c000000')]);
  assert.deepEqual(parseHexInput('1C00 00ff # trailing comment\n'), [hex('1c0000ff')]);
});

test('plain hex: blank lines separate buffers; comment lines do not', () => {
  const text = '14000000 03000200\n# header of the second one follows\n\n\n10000000\n# note\n02000000\n';
  assert.deepEqual(parseHexInput(text), [hex('1400000003000200'), hex('1000000002000000')]);
});

test('empty input gives no buffers', () => {
  assert.deepEqual(parseHexInput(''), []);
  assert.deepEqual(parseHexInput('\n  \n'), []);
  assert.deepEqual(parseHexInput('""'), []);
});

test('odd number of hex digits -> HexInputError with line/column', () => {
  throwsAt('1c000000\n 0106010', 2, 2, /odd number of hex digits/);
  throwsAt('0x1', 1, 1, /odd/);
});

test('non-hex character in plain mode -> HexInputError at that character', () => {
  throwsAt('1c000000 01g6', 1, 12, /not a hex digit: "g"/);
  throwsAt('00\n0x\n', 2, 1, /prefix without hex digits/);
});

test('bad quoted input -> HexInputError', () => {
  throwsAt('ok\n  "\\x1c\\x00', 2, 3, /unterminated/);
  throwsAt('"\\xzz"', 1, 2, /bad \\x escape/);
  throwsAt('"\\q"', 1, 2, /unknown escape/);
  throwsAt('"\\777"', 1, 2, /out of range/);
});

test('HexInputError is an Error with a readable message', () => {
  try {
    parseHexInput('abc');
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.ok(e instanceof HexInputError);
    assert.equal(e.name, 'HexInputError');
    assert.match(e.message, /line 1, column 1/);
  }
});
