// Attribute policies from CTRL_CMD_GETPOLICY dumps, as plain objects.
import { NL_ATTR_TYPE } from './constants.js';
import type { CtrlMessage } from './family.js';

/** How the kernel validates one attribute. Bounds are bigint (they may be full 64-bit). */
export interface GenlAttrPolicy {
  /** NL_ATTR_TYPE_* name, or the number when this library does not know it. */
  type: keyof typeof NL_ATTR_TYPE | number;
  min?: bigint;
  max?: bigint;
  minLength?: number;
  maxLength?: number;
  /** For nested and nested-array attributes: the policy index of the contents. */
  policyIdx?: number;
  policyMaxType?: number;
  /** Allowed bits (bitfield32 selector or unsigned-integer mask). */
  mask?: bigint;
}

/** A family's policies: what its commands accept. */
export interface GenlPolicy {
  /** Policy index -> attribute type -> its policy. */
  policies: Map<number, Map<number, GenlAttrPolicy>>;
  /** Command -> the policy indexes its do and dump handlers validate with. */
  ops: Map<number, { do?: number; dump?: number }>;
}

const typeNames = new Map<number, keyof typeof NL_ATTR_TYPE>(
  Object.entries(NL_ATTR_TYPE).map(([k, v]) => [v, k as keyof typeof NL_ATTR_TYPE]),
);

/** Merge the messages of a CTRL_CMD_GETPOLICY dump (one attribute or one op per message). */
export function policyFromMessages(messages: readonly CtrlMessage[]): GenlPolicy {
  const out: GenlPolicy = { policies: new Map(), ops: new Map() };
  for (const m of messages) {
    for (const [idx, attrs] of m.getAttr('CTRL_ATTR_POLICY') ?? []) {
      let table = out.policies.get(idx);
      if (!table) out.policies.set(idx, (table = new Map()));
      for (const [type, p] of attrs) {
        const t = p.getAttr('NL_POLICY_TYPE_ATTR_TYPE') ?? 0;
        const pol: GenlAttrPolicy = { type: typeNames.get(t) ?? t };
        const min = p.getAttr('NL_POLICY_TYPE_ATTR_MIN_VALUE_S') ?? p.getAttr('NL_POLICY_TYPE_ATTR_MIN_VALUE_U');
        const max = p.getAttr('NL_POLICY_TYPE_ATTR_MAX_VALUE_S') ?? p.getAttr('NL_POLICY_TYPE_ATTR_MAX_VALUE_U');
        if (min !== undefined) pol.min = min;
        if (max !== undefined) pol.max = max;
        const set = <K extends keyof GenlAttrPolicy>(k: K, v: GenlAttrPolicy[K] | undefined): void => {
          if (v !== undefined) pol[k] = v;
        };
        set('minLength', p.getAttr('NL_POLICY_TYPE_ATTR_MIN_LENGTH'));
        set('maxLength', p.getAttr('NL_POLICY_TYPE_ATTR_MAX_LENGTH'));
        set('policyIdx', p.getAttr('NL_POLICY_TYPE_ATTR_POLICY_IDX'));
        set('policyMaxType', p.getAttr('NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE'));
        const bf = p.getAttr('NL_POLICY_TYPE_ATTR_BITFIELD32_MASK');
        set('mask', p.getAttr('NL_POLICY_TYPE_ATTR_MASK') ?? (bf !== undefined ? BigInt(bf) : undefined));
        table.set(type, pol);
      }
    }
    for (const [cmd, p] of m.getAttr('CTRL_ATTR_OP_POLICY') ?? []) {
      const entry: { do?: number; dump?: number } = {};
      const d = p.getAttr('CTRL_ATTR_POLICY_DO'),
        u = p.getAttr('CTRL_ATTR_POLICY_DUMP');
      if (d !== undefined) entry.do = d;
      if (u !== undefined) entry.dump = u;
      out.ops.set(cmd, entry);
    }
  }
  return out;
}
