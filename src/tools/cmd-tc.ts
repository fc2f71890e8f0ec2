// `nlroute tc qdisc|class|filter add|del|change|replace|show`: tc(8) grammar over IPRoute.tc().
import type { TcBaseSpec, TcCmd, TcMessage } from '../rtnl/tc.js';
import { parseHandle } from '../rtnl/tc/index.js';
import { tcShow } from '../rtnl/tcshow.js';
import { UsageError, Words, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';
import { kindWord } from './tc-kind-words.js';

type Target = 'qdisc' | 'class' | 'filter';
const OBJECTS = ['qdisc', 'class', 'filter'] as const;
const VERBS = ['add', 'delete', 'change', 'replace', 'show', 'list', 'ls', 'help'] as const;
// Words that take no value, by where they may appear.
const FLAGS = new Set(['skip_hw', 'skip_sw', 'offload', 'da', 'direct-action']);
// Words that end a u32 `match` clause.
const U32_KEYWORDS = new Set([
  'match',
  'classid',
  'flowid',
  'action',
  'ht',
  'hash',
  'link',
  'divisor',
  'indev',
  'skip_hw',
  'skip_sw',
  'police',
  'sample',
  'offset',
  'hashkey',
]);
const VERDICTS = new Set(['ok', 'pass', 'drop', 'shot', 'reclassify', 'continue', 'pipe', 'stolen', 'trap']);

/** `action mirred egress redirect dev X` or `action drop`: one action of a filter. */
function action(w: Words, ctxIfindex: (dev: string) => Promise<number>, pending: Promise<unknown>[]): unknown {
  const kind = w.next('action');
  if (VERDICTS.has(kind) || (kind === 'gact' && VERDICTS.has(w.peek() ?? ''))) {
    return { kind: 'gact', action: kind === 'gact' ? w.take() : kind };
  }
  if (kind !== 'mirred') throw new UsageError(`tc: action "${kind}" is not supported (mirred, or a verdict)`);
  const spec: Record<string, unknown> = { kind: 'mirred', direction: w.next('mirred'), action: w.next('mirred') };
  if (w.take() !== 'dev') throw new UsageError('tc: mirred needs "dev DEV"');
  const dev = w.next('dev');
  pending.push(
    ctxIfindex(dev).then((i) => {
      spec.ifindex = i;
    }),
  );
  if (w.peek() !== undefined && VERDICTS.has(w.peek()!)) spec.verdict = w.take();
  return spec;
}

interface Parsed {
  dev?: string;
  kind?: string;
  spec: TcBaseSpec;
}

async function parse(ctx: CliContext, target: Target, verb: string, words: string[]): Promise<Parsed> {
  const w = new Words(words, `tc ${target} ${verb}`);
  const spec: TcBaseSpec = {};
  let dev: string | undefined, kind: string | undefined;
  const pending: Promise<unknown>[] = [];
  const ifindex = (d: string): Promise<number> => ctx.route().ifindex(d);
  while (!w.done) {
    const word = w.take()!;
    if (kind === undefined) {
      switch (word) {
        case 'dev':
          dev = w.next(word);
          continue;
        case 'root':
          spec.parent = 'root';
          continue;
        case 'ingress':
        case 'clsact':
          if (target === 'qdisc') {
            kind = word;
            spec.parent = word === 'ingress' ? 'ingress' : 'clsact';
          } else spec.parent = word === 'ingress' ? 'ffff:fff2' : word;
          continue;
        case 'egress':
          spec.parent = 'ffff:fff3';
          continue;
        case 'parent':
          spec.parent = w.next(word);
          continue;
        case 'handle':
          spec.handle = w.next(word);
          continue;
        case 'classid':
          if (target === 'class') {
            spec.handle = w.next(word);
            continue;
          }
          break;
        case 'prio':
        case 'pref':
        case 'priority':
          if (target === 'filter') {
            spec.prio = w.number(word, 0xffff);
            continue;
          }
          break;
        case 'protocol':
          spec.protocol = w.next(word);
          continue;
        case 'chain':
          spec.chain = w.number(word);
          continue;
        case 'estimator':
        case 'stab':
        case 'ingress_block':
        case 'egress_block':
          w.unsupported(word);
      }
      if (kind === undefined) {
        kind = word;
        continue;
      }
    }
    // Kind options.
    if (kindWord(kind, word, w, spec, ifindex, pending)) continue;
    if (word === 'match' && kind === 'u32') {
      const words2: string[] = [];
      while (!w.done && !U32_KEYWORDS.has(w.peek()!)) words2.push(w.take()!);
      const list = (spec.match as string[] | undefined) ?? [];
      spec.match = [...list, words2.join(' ')];
    } else if (word === 'action') {
      const list = (spec.action as unknown[] | undefined) ?? [];
      spec.action = [...list, action(w, ifindex, pending)];
    } else if (FLAGS.has(word)) spec[word === 'da' || word === 'direct-action' ? 'direct_action' : word] = true;
    else if (word === 'police' || word === 'sample' || word === 'hashkey') w.unsupported(word);
    else spec[word] = w.next(word);
  }
  await Promise.all(pending);
  return { dev, kind, spec };
}

async function show(ctx: CliContext, target: Target, words: string[]): Promise<number> {
  const { dev, spec, kind } = await parse(ctx, target, 'show', words);
  const ipr = ctx.route();
  const names = new Map<number, string>(
    (await ipr.getLinks()).map((l) => [l.fields.index, l.getAttr('IFLA_IFNAME') ?? '']),
  );
  const index = dev === undefined ? undefined : await ipr.ifindex(dev);
  let msgs: TcMessage[];
  if (target === 'qdisc') msgs = await ipr.getQdiscs({ index, kind });
  else {
    if (index === undefined) throw new UsageError(`tc ${target} show: "dev" is required`);
    msgs = target === 'class' ? await ipr.getClasses(index, spec.parent) : await ipr.getFilters(index, spec.parent);
  }
  const parent = spec.parent === undefined ? undefined : parseHandle(spec.parent as string, 'parent');
  const opts = { names, stats: ctx.opts.stats, details: ctx.opts.details, ifindex: index, parent };
  const shown = msgs.map((m) => tcShow(m, target, opts));
  if (ctx.opts.json) ctx.write(JSON.stringify(shown.map((s) => s.json)) + '\n');
  else for (const s of shown) ctx.write(s.text);
  return 0;
}

export async function tcCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [obj, verbWord, ...rest] = words;
  const target = obj === undefined ? undefined : pick(obj, OBJECTS);
  if (!target) throw new UsageError(`tc: "${obj ?? ''}" is not supported (qdisc, class, filter)`);
  const verb = verbWord === undefined ? 'show' : pick(verbWord, VERBS);
  if (verb === 'show' || verb === 'list' || verb === 'ls') return show(ctx, target, rest);
  if (verb === 'help') {
    ctx.write(TC_USAGE);
    return 0;
  }
  if (!verb) throw new UsageError(`tc ${target}: "${verbWord}" is not supported (add, del, change, replace, show)`);
  const { dev, kind, spec } = await parse(ctx, target, verb, rest);
  if (dev === undefined) throw new UsageError(`tc ${target} ${verb}: "dev" is required`);
  const ipr = ctx.route();
  const index = await ipr.ifindex(dev);
  const cmd = ((verb === 'delete' ? 'del' : verb) + (target === 'qdisc' ? '' : `-${target}`)) as TcCmd;
  await ipr.tc(cmd, kind ?? null, { ...spec, index });
  return 0;
}

export const TC_USAGE = `\
usage: nlroute tc qdisc {add|del|change|replace} dev DEV [root|ingress|clsact|parent P] [handle H]
                            [KIND [OPTIONS]]        (htb, tbf, pfifo, bfifo, fq_codel, cake, hfsc, drr,
                                                     ingress, clsact)
       nlroute tc class {add|del|change|replace} dev DEV parent P classid C [KIND [OPTIONS]]
       nlroute tc filter {add|del|change|replace} dev DEV [parent P] [protocol P] [prio N] [handle H]
                            [KIND [OPTIONS]]        (u32 match ... flowid C [action ...], bpf, matchall,
                                                     flower, route)
       nlroute tc {qdisc|class|filter} show [dev DEV] [parent P]
`;
