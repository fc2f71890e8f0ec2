// The report: a Markdown table (readable in a terminal and pasteable into the README), the
// targets with PASS/MISS and their figures, and the same as JSON.
import type { Row, Target, WorkloadResult } from './suite.js';

const secs = (s: number): string =>
  !Number.isFinite(s) ? '–' : s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s >= 0.1 ? s.toFixed(3) : s.toFixed(4);

function ratioText(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '';
  return r <= 1 ? `${r.toFixed(2)} (${(1 / r).toFixed(1)}x faster)` : `${r.toFixed(2)} (${r.toFixed(1)}x slower)`;
}

function rowCells(r: Row): string[] {
  const time = r.samples ? `${secs(r.wall.median)} [${secs(r.wall.min)}–${secs(r.wall.max)}]` : 'failed';
  const notes = [r.notes, r.error ? `error: ${r.error.slice(0, 160)}` : undefined].filter(Boolean).join('; ');
  const net = r.net === undefined ? '' : secs(r.net);
  return [
    r.id,
    r.mode,
    time,
    net,
    r.samples && Number.isFinite(r.cpu) ? secs(r.cpu) : '',
    r.samples ? r.rssMB.toFixed(1) : '',
    ratioText(r.ratio),
    notes,
  ];
}

/** The results table and the targets, as Markdown. */
export function markdown(
  results: WorkloadResult[],
  versions: Record<string, string>,
  meta: { quick: boolean; reps: number; date: string; load: string },
): string {
  const out: string[] = [];
  out.push(
    `Measured ${meta.date}${meta.quick ? ' (--quick: small sizes)' : ''}; median of ${meta.reps} runs after a warm-up, implementations alternating.`,
  );
  out.push(
    `Machine: ${versions.machine}, Linux ${versions.kernel}, load average ${meta.load}. Versions: ${Object.entries(
      versions,
    )
      .filter(([k]) => k !== 'machine' && k !== 'kernel')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  out.push('');
  out.push(
    'Time is seconds, median [min–max]: a whole process (start-up included) unless the mode says in-process. ' +
      'CPU is user + system seconds (median), the steadier figure when the machine is busy. ' +
      "Minus node -e 0: a whole Node process's median time less the median of `node -e 0` measured at the start of the same run " +
      "(Node's own start-up); targets between two Node processes use it. " +
      'Ratio = nlroute time / peer time (below 1: nlroute is faster).',
  );
  out.push('');
  out.push(
    '| workload | implementation | mode | time s, median [min–max] | minus node -e 0 s | CPU s | peak RSS MB | nlroute / peer | notes |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const w of results) {
    w.rows.forEach((r, i) => out.push(`| ${i === 0 ? w.title : ''} | ${rowCells(r).join(' | ')} |`));
    for (const n of w.notes) out.push(`| | _${n}_ | | | | | | | |`);
  }
  out.push('');
  out.push('Targets:');
  out.push('');
  for (const w of results)
    for (const t of w.targets)
      out.push(`- ${targetMark(t)} ${w.title.split(':')[0].split(',')[0]}: ${t.text} — ${t.detail}`);
  const all = results.flatMap((w) => w.targets);
  out.push('');
  out.push(
    `${all.filter((t) => t.pass === true).length} targets met, ${all.filter((t) => t.pass === false).length} missed, ${all.filter((t) => t.pass === undefined).length} not measured.`,
  );
  return out.join('\n');
}

function targetMark(t: Target): string {
  return t.pass === true ? '**PASS**' : t.pass === false ? '**MISS**' : '**N/A**';
}

/** The same results, machine-readable. */
export function json(
  results: WorkloadResult[],
  versions: Record<string, string>,
  meta: { quick: boolean; reps: number; date: string; load: string; notes: string[] },
): string {
  return JSON.stringify({ ...meta, versions, workloads: results }, null, 2) + '\n';
}
