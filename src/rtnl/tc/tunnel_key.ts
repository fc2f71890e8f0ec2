// tunnel_key action: attach (set) or drop (release) tunnel metadata (tc_act/tc_tunnel_key.h).
import {
  NetlinkEncodeError,
  attrMap,
  be16,
  be32,
  binary,
  enumOf,
  flag,
  ipv4,
  ipv6,
  nested,
  pad,
  s32,
  struct,
  u32,
  u8,
  type AttrSet,
} from '../../core/index.js';
import { checkKeys, num, parseVerdict, tcGen, tcfT, type TcActionKind, type TcSpec } from './common.js';
import { showActionGen, showTimes, showVerdict, type TcShow } from './show.js';

export const TCA_TUNNEL_KEY_ACT = { TCA_TUNNEL_KEY_ACT_SET: 1, TCA_TUNNEL_KEY_ACT_RELEASE: 2 } as const;

// One geneve option is a class/type/data triple; the kernel dumps all triples in one nest.
export const geneveOptMap = attrMap('tca_tunnel_key_enc_opt_geneve', {
  TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS: [1, be16],
  TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE: [2, u8],
  TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA: [3, binary],
});
export const vxlanOptMap = attrMap('tca_tunnel_key_enc_opt_vxlan', { TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP: [1, u32] });
export const erspanOptMap = attrMap('tca_tunnel_key_enc_opt_erspan', {
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER: [1, u8],
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX: [2, be32],
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR: [3, u8],
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID: [4, u8],
});
export const encOptsMap = attrMap('tca_tunnel_key_enc_opts', {
  TCA_TUNNEL_KEY_ENC_OPTS_GENEVE: [1, nested(geneveOptMap)],
  TCA_TUNNEL_KEY_ENC_OPTS_VXLAN: [2, nested(vxlanOptMap, { flag: true })],
  TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN: [3, nested(erspanOptMap, { flag: true })],
});

export const tunnelKeyMap = attrMap('tca_tunnel_key', {
  TCA_TUNNEL_KEY_TM: [1, tcfT],
  TCA_TUNNEL_KEY_PARMS: [2, struct('tc_tunnel_key', { ...tcGen, t_action: enumOf(s32, TCA_TUNNEL_KEY_ACT) })],
  TCA_TUNNEL_KEY_ENC_IPV4_SRC: [3, ipv4],
  TCA_TUNNEL_KEY_ENC_IPV4_DST: [4, ipv4],
  TCA_TUNNEL_KEY_ENC_IPV6_SRC: [5, ipv6],
  TCA_TUNNEL_KEY_ENC_IPV6_DST: [6, ipv6],
  TCA_TUNNEL_KEY_ENC_KEY_ID: [7, be32],
  TCA_TUNNEL_KEY_PAD: [8, pad(0)],
  TCA_TUNNEL_KEY_ENC_DST_PORT: [9, be16],
  TCA_TUNNEL_KEY_NO_CSUM: [10, u8],
  TCA_TUNNEL_KEY_ENC_OPTS: [11, nested(encOptsMap)],
  TCA_TUNNEL_KEY_ENC_TOS: [12, u8],
  TCA_TUNNEL_KEY_ENC_TTL: [13, u8],
  TCA_TUNNEL_KEY_NO_FRAG: [14, flag],
});

/** A geneve option as tc writes it, `CLASS:TYPE:DATA` in hex ('0102:80:00880022'). */
function geneveOpt(s: string): [string, unknown][] {
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,2}):((?:[0-9a-f]{2})+)$/i.exec(s);
  if (!m || m[3].length % 8)
    throw new NetlinkEncodeError(
      `tunnel_key: geneve option ${JSON.stringify(s)} is not CLASS:TYPE:DATA (data in 4-byte words)`,
    );
  return [
    ['TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS', parseInt(m[1], 16)],
    ['TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE', parseInt(m[2], 16)],
    ['TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA', Buffer.from(m[3], 'hex')],
  ];
}

/** The set-only attributes: addresses, key id, port, options, checksum, tos, ttl. */
function setAttrs(spec: TcSpec): [string, unknown][] {
  const a: [string, unknown][] = [];
  for (const k of ['src_ip', 'dst_ip'] as const) {
    const v = spec[k];
    if (v === undefined) continue;
    const fam = String(v).includes(':') ? 'IPV6' : 'IPV4';
    a.push([`TCA_TUNNEL_KEY_ENC_${fam}_${k === 'src_ip' ? 'SRC' : 'DST'}`, String(v)]);
  }
  const id = num(spec, 'id'),
    port = num(spec, 'dst_port'),
    tos = num(spec, 'tos'),
    ttl = num(spec, 'ttl');
  if (id !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_KEY_ID', id]);
  if (port !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_DST_PORT', port]);
  if (spec.geneve_opts !== undefined) {
    const list = Array.isArray(spec.geneve_opts) ? spec.geneve_opts : String(spec.geneve_opts).split(',');
    // One nest per option, as tc sends them; the kernel joins them.
    a.push(['TCA_TUNNEL_KEY_ENC_OPTS', list.map((s) => ['TCA_TUNNEL_KEY_ENC_OPTS_GENEVE', geneveOpt(String(s))])]);
  }
  if (tos !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_TOS', tos]);
  if (ttl !== undefined) a.push(['TCA_TUNNEL_KEY_ENC_TTL', ttl]);
  a.push(['TCA_TUNNEL_KEY_NO_CSUM', spec.csum === false ? 1 : 0]);
  if (spec.nofrag) a.push(['TCA_TUNNEL_KEY_NO_FRAG', true]);
  return a;
}

/**
 * `{ kind: 'tunnel_key', op: 'set' | 'release' ('unset'), src_ip?, dst_ip?, id?, dst_port?, tos?, ttl?,
 * csum?: boolean (default true), geneve_opts?: 'CLASS:TYPE:DATA,...' | string[], nofrag?, action?, index? }`
 * as `tc ... action tunnel_key set ...`.
 */
export const tunnelKey: TcActionKind = {
  kind: 'tunnel_key',
  options: nested(tunnelKeyMap),
  build(spec: TcSpec) {
    checkKeys('tunnel_key', spec, [
      ...['kind', 'op', 'src_ip', 'dst_ip', 'id', 'dst_port', 'tos', 'ttl', 'csum', 'geneve_opts', 'nofrag'],
      ...['action', 'index'],
    ]);
    const set = spec.op === 'set';
    if (!set && spec.op !== 'release' && spec.op !== 'unset')
      throw new NetlinkEncodeError('tunnel_key: op must be set or release (unset)');
    const parms = {
      index: num(spec, 'index') ?? 0,
      action: parseVerdict((spec.action ?? 'pipe') as string),
      t_action: set ? 'TCA_TUNNEL_KEY_ACT_SET' : 'TCA_TUNNEL_KEY_ACT_RELEASE',
    };
    return [['TCA_TUNNEL_KEY_PARMS', parms], ...(set ? setAttrs(spec) : [])];
  },
  show: showTunnelKey,
};

/** `geneve_opts 0102:80:00880022,...`; JSON: `[{ class, type, data: [bytes] }]`. */
function showGeneve(p: TcShow, g: AttrSet<typeof geneveOptMap.decl>): void {
  const classes = g.getAttrs('TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS');
  const types = g.getAttrs('TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE');
  const data = g.getAttrs('TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA');
  p.openArray('geneve_opts').text('\n\tgeneve_opts ');
  classes.forEach((c, i) => {
    const d = data[i] ?? Buffer.alloc(0);
    p.open(null).put('class', c).put('type', types[i]).openArray('data');
    for (const x of d) p.put(null, x);
    p.close().close();
    const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
    const t = `${hex(c, 4)}:${hex(types[i] ?? 0, 2)}:${d.toString('hex')}`;
    p.text(i < classes.length - 1 ? `${t},` : t);
  });
  p.close();
}

/** The tunnel options: geneve, else vxlan's gbp, else erspan's. */
function showOpts(p: TcShow, o: AttrSet<typeof encOptsMap.decl> | undefined): void {
  if (!o) return;
  const geneve = o.getAttr('TCA_TUNNEL_KEY_ENC_OPTS_GENEVE'),
    vxlan = o.getAttr('TCA_TUNNEL_KEY_ENC_OPTS_VXLAN'),
    erspan = o.getAttr('TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN');
  if (geneve) showGeneve(p, geneve);
  else if (vxlan) {
    const gbp = vxlan.getAttr('TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP') ?? 0;
    p.text('\n\tvxlan_opts ').openArray('vxlan_opts').open(null).put('gbp', gbp, `${gbp}`).close().close();
  } else if (erspan) {
    const ver = erspan.getAttr('TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER') ?? 0;
    const v1 = ver === 1;
    const idx = v1 ? (erspan.getAttr('TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX') ?? 0) : 0;
    const dir = v1 ? 0 : (erspan.getAttr('TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR') ?? 0);
    const hwid = v1 ? 0 : (erspan.getAttr('TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID') ?? 0);
    p.text('\n\terspan_opts ').openArray('erspan_opts').open(null);
    p.put('ver', ver, `${ver}`).put('index', idx, `:${idx}`).put('dir', dir, `:${dir}`).put('hwid', hwid, `:${hwid}`);
    p.close().close();
  }
}

/** The metadata `set` attaches, one field a line (tc 6.1 does not show nofrag). */
function showSet(p: TcShow, o: AttrSet<typeof tunnelKeyMap.decl>): void {
  const line = (key: string, v: unknown, text: string): void => void p.text('\n').put(key, v, `\t${text}`);
  for (const [key, a] of [
    ['src_ip', 'TCA_TUNNEL_KEY_ENC_IPV4_SRC'],
    ['dst_ip', 'TCA_TUNNEL_KEY_ENC_IPV4_DST'],
    ['src_ip', 'TCA_TUNNEL_KEY_ENC_IPV6_SRC'],
    ['dst_ip', 'TCA_TUNNEL_KEY_ENC_IPV6_DST'],
  ] as const) {
    const v = o.getAttr(a);
    if (v !== undefined) line(key, v, `${key} ${v}`);
  }
  const id = o.getAttr('TCA_TUNNEL_KEY_ENC_KEY_ID');
  if (id !== undefined) line('key_id', id, `key_id ${id}`);
  const port = o.getAttr('TCA_TUNNEL_KEY_ENC_DST_PORT');
  if (port !== undefined) line('dst_port', port, `dst_port ${port}`);
  showOpts(p, o.getAttr('TCA_TUNNEL_KEY_ENC_OPTS'));
  const nocsum = o.getAttr('TCA_TUNNEL_KEY_NO_CSUM');
  if (nocsum !== undefined) line('flag', nocsum ? 'nocsum' : 'csum', nocsum ? 'nocsum' : 'csum');
  const tos = o.getAttr('TCA_TUNNEL_KEY_ENC_TOS'),
    ttl = o.getAttr('TCA_TUNNEL_KEY_ENC_TTL');
  if (tos) line('tos', tos, `tos 0x${tos.toString(16)}`);
  if (ttl) line('ttl', ttl, `ttl ${ttl}`);
}

/** `tunnel_key  set` or `unset`, the metadata, the verdict, then index/ref/bind. */
function showTunnelKey(p: TcShow, o: AttrSet<typeof tunnelKeyMap.decl> | undefined): void {
  p.put('kind', 'tunnel_key', 'tunnel_key ');
  const g = o?.getAttr('TCA_TUNNEL_KEY_PARMS');
  if (!o || !g) return;
  if (g.t_action === TCA_TUNNEL_KEY_ACT.TCA_TUNNEL_KEY_ACT_RELEASE) p.put('mode', 'unset', ' unset');
  else if (g.t_action === TCA_TUNNEL_KEY_ACT.TCA_TUNNEL_KEY_ACT_SET) {
    p.put('mode', 'set', ' set');
    showSet(p, o);
  }
  showVerdict(p, ' ', g.action, '');
  showActionGen(p, g, '\t ');
  showTimes(p, o.getAttr('TCA_TUNNEL_KEY_TM'));
  p.text('\n');
}
