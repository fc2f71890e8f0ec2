// bpf filter: an eBPF program by fd, or a classic BPF program given as bytecode (pkt_cls.h).
import {
  NetlinkEncodeError,
  arrayOf,
  asciiz,
  attrMap,
  binary,
  flagsOf,
  hex,
  nested,
  struct,
  u16,
  u32,
  u8,
  type AttrSet,
} from '../../core/index.js';
import { actionList, buildActions, showActions, type ActionSpec } from './action.js';
import { classidText, hex0x, showClsFlags, type TcShow } from './show.js';
import { checkKeys, formatHandle, num, parseHandle, tcHandle, type TcKind, type TcSpec } from './common.js';
import { TCA_CLS_FLAGS } from './u32.js';

export const TCA_BPF_FLAG = { TCA_BPF_FLAG_ACT_DIRECT: 1 } as const;

/** struct sock_filter: one classic BPF instruction. */
export const sockFilter = struct('sock_filter', { code: u16, jt: u8, jf: u8, k: u32 });

export const bpfMap = attrMap('tca_bpf', {
  TCA_BPF_ACT: [1, actionList],
  TCA_BPF_POLICE: [2, hex],
  TCA_BPF_CLASSID: [3, tcHandle],
  TCA_BPF_OPS_LEN: [4, u16],
  TCA_BPF_OPS: [5, arrayOf(sockFilter)],
  TCA_BPF_FD: [6, u32],
  TCA_BPF_NAME: [7, asciiz],
  TCA_BPF_FLAGS: [8, flagsOf(u32, TCA_BPF_FLAG)],
  TCA_BPF_FLAGS_GEN: [9, flagsOf(u32, TCA_CLS_FLAGS)],
  TCA_BPF_TAG: [10, binary],
  TCA_BPF_ID: [11, u32],
});

export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** Classic BPF in tc's text form 'N,code jt jf k,code jt jf k,...' (what `bpf_asm -c`/tcpdump -ddd print). */
export function parseBytecode(v: string | readonly SockFilter[]): SockFilter[] {
  if (Array.isArray(v)) return v.map((x) => ({ ...x }));
  const parts = String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const n = Number(parts.shift());
  if (!Number.isInteger(n) || n < 1 || n !== parts.length) {
    throw new NetlinkEncodeError(`bpf: bytecode must be 'N,code jt jf k,...' with N instructions`);
  }
  return parts.map((p) => {
    const w = p.split(/\s+/).map(Number);
    if (w.length !== 4 || w.some((x) => !Number.isInteger(x) || x < 0))
      throw new NetlinkEncodeError(`bpf: bad instruction ${JSON.stringify(p)}`);
    return { code: w[0], jt: w[1], jf: w[2], k: w[3] >>> 0 };
  });
}

const KEYS = ['fd', 'name', 'bytecode', 'pinned', 'classid', 'flowid', 'directAction', 'action', 'skipHw', 'skipSw'];

/**
 * `{ fd: progFd, name?: 'prog.o:[sec]', directAction?: true, classid?, action?, skipHw?, skipSw? }`
 * for an eBPF program already loaded in this process, or `{ bytecode: '4,40 0 0 12,...' }`
 * for classic BPF. A pinned path cannot be used directly: opening it needs the bpf(2)
 * syscall (BPF_OBJ_GET), which Node cannot make; get an fd from a native loader instead.
 */
export const bpfFilter: TcKind = {
  kind: 'bpf',
  options: nested(bpfMap),
  keys: { filter: KEYS },
  aliases: { direct_action: 'directAction', da: 'directAction', skip_hw: 'skipHw', skip_sw: 'skipSw' },
  show: (p: TcShow, o: AttrSet<typeof bpfMap.decl>, _t, handle: number) => showBpf(p, o, handle),
  read(o: AttrSet<typeof bpfMap.decl>) {
    // An eBPF program cannot be named again by the record (its fd is the loader's); classic bytecode can.
    const out: Record<string, unknown> = {};
    const classid = o.getAttr('TCA_BPF_CLASSID');
    if (classid !== undefined) out.classid = formatHandle(classid);
    const name = o.getAttr('TCA_BPF_NAME');
    if (name !== undefined) out.name = name;
    const ops = o.getAttr('TCA_BPF_OPS') as SockFilter[] | undefined;
    if (ops) out.bytecode = `${ops.length},${ops.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`).join(',')}`;
    if ((o.getAttr('TCA_BPF_FLAGS') ?? 0) & TCA_BPF_FLAG.TCA_BPF_FLAG_ACT_DIRECT) out.directAction = true;
    const gen = o.getAttr('TCA_BPF_FLAGS_GEN') ?? 0;
    if (gen & TCA_CLS_FLAGS.TCA_CLS_FLAGS_SKIP_HW) out.skipHw = true;
    if (gen & TCA_CLS_FLAGS.TCA_CLS_FLAGS_SKIP_SW) out.skipSw = true;
    return out;
  },
  filter(spec: TcSpec) {
    checkKeys('bpf', spec, KEYS);
    if (spec.pinned !== undefined) {
      throw new NetlinkEncodeError(
        'bpf: a pinned program path needs bpf(BPF_OBJ_GET), which nlroute cannot call; pass the program fd as `fd`',
      );
    }
    // tc's order: classid and actions, then the program, then the flags.
    const attrs: [string, unknown][] = [];
    const classid = spec.classid ?? spec.flowid;
    if (classid !== undefined) attrs.push(['TCA_BPF_CLASSID', parseHandle(classid as string | number, 'classid')]);
    if (spec.action !== undefined) attrs.push(['TCA_BPF_ACT', buildActions(spec.action as ActionSpec)]);
    const fd = num(spec, 'fd');
    if (fd !== undefined) {
      attrs.push(['TCA_BPF_FD', fd], ['TCA_BPF_NAME', String(spec.name ?? `fd:${fd}`)]);
    } else if (spec.bytecode !== undefined) {
      const ops = parseBytecode(spec.bytecode as string);
      attrs.push(['TCA_BPF_OPS_LEN', ops.length], ['TCA_BPF_OPS', ops]);
    } else throw new NetlinkEncodeError('bpf: give the program as fd or bytecode');
    const gen = (spec.skipHw ? 1 : 0) | (spec.skipSw ? 2 : 0);
    if (gen) attrs.push(['TCA_BPF_FLAGS_GEN', gen]);
    if (spec.directAction) attrs.push(['TCA_BPF_FLAGS', 1]);
    return attrs;
  },
};

/** tc's view of a bpf filter: handle, class, program name, flags, classic ops, tag, actions. */
function showBpf(p: TcShow, o: AttrSet<typeof bpfMap.decl>, handle: number): void {
  if (handle) p.put('handle', hex0x(handle), `handle ${hex0x(handle)} `);
  const classid = o.getAttr('TCA_BPF_CLASSID');
  if (classid !== undefined) p.put('flowid', classidText(classid), `flowid ${classidText(classid)} `);
  const name = o.getAttr('TCA_BPF_NAME');
  if (name !== undefined) p.put('bpf_name', name, `${name} `);
  const flags = o.getAttr('TCA_BPF_FLAGS');
  if (flags !== undefined && flags & TCA_BPF_FLAG.TCA_BPF_FLAG_ACT_DIRECT) {
    p.put('direct-action', true, 'direct-action ');
  }
  const gen = o.getAttr('TCA_BPF_FLAGS_GEN');
  if (gen !== undefined) showClsFlags(p, gen);
  const ops = o.getAttr('TCA_BPF_OPS');
  if (ops && o.getAttr('TCA_BPF_OPS_LEN') !== undefined) {
    const text = ops.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`).join(',');
    p.put('bytecode', `${ops.length},${text}`, `bytecode '${ops.length},${text}' `);
  }
  // tc asks the kernel for the program's details by id; the tag is what it shows without them.
  const tag = o.getAttr('TCA_BPF_TAG');
  if (tag) p.put('tag', tag.toString('hex'), `tag ${tag.toString('hex')} `);
  if (o.getAttr('TCA_BPF_POLICE')) p.text('\n');
  showActions(p, o.getAttr('TCA_BPF_ACT'));
}
