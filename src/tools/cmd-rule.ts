// `nlroute rule add|del|show|flush`: `ip rule` grammar over IPRoute.rule().
import type { RuleSpec } from '../rtnl/rule.js';
import { AF_INET6, UsageError, Words, matches, pick } from './cli-args.js';
import type { CliContext } from './cli-context.js';
import { ruleText } from './cli-text.js';
import { ruleJSON } from '../rtnl/ipjson.js';

const VERBS = ['add', 'delete', 'flush', 'show', 'list', 'lst', 'help'] as const;
const ACTIONS = ['blackhole', 'unreachable', 'prohibit', 'nop'];
const TABLES: Record<string, number> = { main: 254, local: 255, default: 253 };

function parse(words: string[], verb: string, family: number): RuleSpec {
  const w = new Words(words, `rule ${verb}`);
  const spec: RuleSpec = {};
  while (!w.done) {
    const word = w.take()!;
    switch (word) {
      case 'not':
        spec.invert = true;
        break;
      case 'from': {
        const v = w.next(word);
        if (v !== 'all') spec.src = v;
        break;
      }
      case 'to': {
        const v = w.next(word);
        if (v !== 'all') spec.dst = v;
        break;
      }
      case 'tos':
      case 'dsfield':
        spec.tos = w.number(word, 0xff);
        break;
      case 'fwmark': {
        const [mark, mask] = w.next(word).split('/');
        spec.fwmark = Number(mark);
        if (mask !== undefined) spec.fwmask = Number(mask);
        if (!Number.isInteger(spec.fwmark) || (mask !== undefined && !Number.isInteger(spec.fwmask))) {
          throw new UsageError(`rule ${verb}: bad fwmark`);
        }
        break;
      }
      case 'iif':
      case 'dev':
        spec.iif = w.next(word);
        break;
      case 'oif':
        spec.oif = w.next(word);
        break;
      case 'lookup': {
        const t = w.next(word);
        spec.table = TABLES[t] ?? (/^\d+$/.test(t) ? Number(t) : NaN);
        if (Number.isNaN(spec.table)) throw new UsageError(`rule ${verb}: unknown table "${t}"`);
        break;
      }
      case 'goto':
        spec.action = 'goto';
        spec.goto = w.number(word);
        break;
      case 'uidrange':
        spec.uidRange = w.next(word);
        break;
      case 'ipproto':
        spec.ipProto = w.next(word);
        break;
      case 'sport':
        spec.sportRange = w.next(word);
        break;
      case 'dport':
        spec.dportRange = w.next(word);
        break;
      case 'suppress_prefixlength':
        spec.suppressPrefixlength = w.number(word);
        break;
      case 'suppress_ifgroup':
        spec.suppressIfgroup = w.number(word);
        break;
      case 'realms':
        spec.flow = w.number(word);
        break;
      case 'l3mdev':
        spec.l3mdev = true;
        break;
      default:
        // ip takes any abbreviation of preference, order, priority and table (matches()).
        if (matches(word, 'preference') || matches(word, 'order') || matches(word, 'priority')) {
          spec.priority = w.number(word);
        } else if (matches(word, 'table')) {
          const t = w.next(word);
          spec.table = TABLES[t] ?? (/^\d+$/.test(t) ? Number(t) : NaN);
          if (Number.isNaN(spec.table)) throw new UsageError(`rule ${verb}: unknown table "${t}"`);
        } else if (matches(word, 'protocol') && word.length > 2) {
          // A number or a name of rt_protos (static, boot, kernel...).
          const v = w.next(word);
          spec.protocol = /^\d+$/.test(v) ? Number(v) : v;
        } else if (ACTIONS.includes(word)) spec.action = word;
        else w.unsupported(word);
    }
  }
  spec.family = family === AF_INET6 || (spec.src ?? spec.dst ?? '').includes(':') ? 'inet6' : 'inet';
  return spec;
}

async function show(ctx: CliContext, words: string[]): Promise<number> {
  if (words.length) throw new UsageError('rule show: selectors are not supported');
  const families = ctx.opts.family === AF_INET6 ? (['inet6'] as const) : (['inet'] as const);
  const rules = await ctx.route().getRules({ family: families[0] });
  ctx.print(rules.map(ruleJSON), ruleText);
  return 0;
}

export async function ruleCommand(ctx: CliContext, words: string[]): Promise<number> {
  const [first, ...rest] = words;
  const verb = first === undefined ? 'show' : pick(first, VERBS);
  switch (verb) {
    case 'add':
      await ctx.route().rule('add', parse(rest, verb, ctx.opts.family));
      return 0;
    case 'delete':
      await ctx.route().rule('del', parse(rest, 'del', ctx.opts.family));
      return 0;
    case 'flush': {
      const family = ctx.opts.family === AF_INET6 ? 'inet6' : 'inet';
      for (const r of await ctx.route().getRules({ family })) {
        const prio = r.getAttr('FRA_PRIORITY') ?? 0;
        if (prio === 0) continue; // as ip: the rule at priority 0 stays
        await ctx.route().rule('del', { family, priority: prio });
      }
      return 0;
    }
    case 'show':
    case 'list':
    case 'lst':
      return show(ctx, rest);
    case 'help':
      ctx.write(RULE_USAGE);
      return 0;
    default:
      throw new UsageError(`rule: "${first}" is not supported (add, del, flush, show)`);
  }
}

export const RULE_USAGE = `\
usage: nlroute rule {add|del} [not] [from PREFIX] [to PREFIX] [tos N] [fwmark MARK[/MASK]]
                        [iif DEV] [oif DEV] [pref N] [uidrange A-B] [ipproto P] [sport A[-B]] [dport A[-B]]
                        [table T | goto N | blackhole | unreachable | prohibit | nop] [suppress_prefixlength N]
       nlroute rule {show|flush}
`;
