// Standalone tc actions: ipr.tcAction(cmd, spec) as `tc actions add|del|get|list` does it.
import {
  AF_UNSPEC,
  NLM_F_DUMP,
  NetlinkEncodeError,
  type AttrInput,
  type Message,
  type NetlinkSocket,
} from '../core/index.js';
import { ask, command } from './commands.js';
import { RTM } from './constants.js';
import { buildActions, type ActionSpec } from './tc/action.js';
import { TCA_ACT_FLAG, tcamsg } from './tcamsg.js';

export type TcActionMessage = Message<typeof tcamsg.header.fields, typeof tcamsg.attrs.decl>;

/**
 * `tcAction(sock, 'add' | 'replace', { kind: 'gact', action: 'drop', index: 5 })` adds actions that
 * filters can share by index; 'del' / 'get' take `{ kind, index }`; 'dump' takes `{ kind }`.
 */
export async function tcAction(
  sock: NetlinkSocket,
  cmd: string,
  spec: ActionSpec | readonly ActionSpec[],
): Promise<TcActionMessage[]> {
  const { verb, flags } = command(cmd, ['add', 'replace', 'change', 'del', 'delete', 'get', 'dump', 'show']);
  const list = (Array.isArray(spec) ? spec : [spec]) as ActionSpec[];
  if (verb === 'new') {
    return ask(sock, tcamsg, {
      type: RTM.RTM_NEWACTION,
      flags,
      fields: { family: AF_UNSPEC },
      attrs: [['TCA_ROOT_TAB', buildActions(list)]],
    });
  }
  const refs: AttrInput[] = list.map((a) => {
    if (typeof a !== 'object' || !a.kind) throw new NetlinkEncodeError(`tc action ${cmd}: give { kind, index }`);
    const r: [string, unknown][] = [['TCA_ACT_KIND', String(a.kind)]];
    if (verb !== 'dump') {
      if (a.index === undefined) throw new NetlinkEncodeError(`tc action ${cmd}: index is required`);
      r.push(['TCA_ACT_INDEX', a.index]);
    }
    return r as AttrInput;
  });
  if (verb === 'dump') {
    const all = await ask(sock, tcamsg, {
      type: RTM.RTM_GETACTION,
      flags: NLM_F_DUMP,
      fields: { family: AF_UNSPEC },
      attrs: [
        ['TCA_ROOT_TAB', refs],
        [
          'TCA_ROOT_FLAGS',
          { value: TCA_ACT_FLAG.TCA_ACT_FLAG_LARGE_DUMP_ON, selector: TCA_ACT_FLAG.TCA_ACT_FLAG_LARGE_DUMP_ON },
        ],
      ],
    });
    return all;
  }
  return ask(sock, tcamsg, {
    type: verb === 'del' ? RTM.RTM_DELACTION : RTM.RTM_GETACTION,
    flags,
    fields: { family: AF_UNSPEC },
    attrs: [['TCA_ROOT_TAB', refs]],
  });
}
