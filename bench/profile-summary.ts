import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// Where a `node --cpu-prof` profile spent its time: self time summed per
// source file (grouped by folder under src/ or by package under
// node_modules) and per function, so a bench figure that misses its target
// comes with what limits it.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byArea: { area: string; ms: number; share: number }[];
  byFunction: { fn: string; ms: number; share: number }[];
}

function areaOf(url: string): string {
  if (!url) return '(native/idle/gc)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return `pkg ${modules[1]}`;
  const src = url.match(/\/src\/(.+)$/);
  if (src) {
    const parts = src[1]!.split('/');
    return `src/${parts.slice(0, Math.min(parts.length, parts[0] === 'local' ? 3 : 2)).join('/')}`;
  }
  if (url.startsWith('node:')) return url;
  return url.replace(/^.*\/(work\/main\/)?/, '');
}

export function summarize(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const area = areaOf(frame.url);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${area}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const rank = <K extends string>(m: Map<string, number>, key: K) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ [key]: name, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 }) as { ms: number; share: number } & Record<K, string>);
  return { totalMs: Math.round(total / 1000), byArea: rank(areas, 'area'), byFunction: rank(fns, 'fn') };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const summary = summarize(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CpuProfile, Number(process.argv[3] ?? 15));
  console.log(`total sampled ${summary.totalMs} ms`);
  for (const a of summary.byArea) console.log(`${String(a.share).padStart(5)}%  ${String(a.ms).padStart(6)} ms  ${a.area}`);
  console.log('--- functions (self time)');
  for (const f of summary.byFunction) console.log(`${String(f.share).padStart(5)}%  ${String(f.ms).padStart(6)} ms  ${f.fn}`);
}
