import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { newQuickJSWASMModuleFromVariant, type QuickJSContext } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import type { IncomingIssue, LocalIssue, Replica } from '../src/domain/replica';
import { defaultIncomingScript, defaultOutgoingScript } from '../src/rules/defaults';
import { incomingJob, runIncomingIn } from '../src/rules/incoming';
import { outgoingJob, runOutgoingIn } from '../src/rules/outgoing';
import { GUARD_SOURCE } from '../src/rules/prelude';
import type { SandboxJob } from '../src/rules/sandbox';
import { sandbox } from '../src/rules/sandbox';
import { applyIncoming, blueIssue, greenLookups, paragraph } from '../test/rules/fixtures';

// Rule execution per sync: the default outgoing script on one side plus the
// default incoming script on the other, each in a fresh QuickJS context, as
// the engine runs them. Compared with the same preludes and scripts in V8
// (node:vm) and with reused contexts, to show what the fresh context costs.

export interface Figure {
  medianMs: number;
  p99Ms: number;
}

export interface RulesBenchFigures {
  runs: number;
  /** The real pipeline: runOutgoing + runIncoming, fresh context each, zod included. */
  quickjsFresh: Figure;
  /** Prelude + script + result only, both scripts in one long-lived QuickJS
   *  context; the prelude's native guard is left out (a reused context would
   *  install it once, and installing it again would wrap the wrappers). */
  quickjsReused: Figure;
  /** Creating and disposing two QuickJS contexts, nothing run. */
  quickjsContextsOnly: Figure;
  /** The same preludes (without the guard, which QuickJS needs and V8 does not)
   *  and scripts in V8, a new node:vm context each. */
  v8Fresh: Figure;
  /** The same in one long-lived node:vm context. */
  v8Reused: Figure;
  /** Where a fresh-context sync spends its time (medians, both scripts summed). */
  breakdown: Record<Phase, number>;
  ratioToV8Fresh: number;
  ratioToV8Reused: number;
  targetMedianMs: number;
  meetsTarget: boolean;
}

type Phase = 'newContext' | 'inputs' | 'prelude' | 'script' | 'result' | 'dispose' | 'host';

interface Scenario {
  outgoingScript: string;
  incomingScript: string;
  blue: LocalIssue;
  green: IncomingIssue;
  replica: Replica;
  previous: Replica;
  lookups: ReturnType<typeof greenLookups>;
}

export async function benchRules(options: { runs?: number; warmup?: number } = {}): Promise<RulesBenchFigures> {
  const runs = Math.max(2_000, options.runs ?? 2_000);
  const warmup = options.warmup ?? 300;
  const box = await sandbox();
  const scenario = steadyState(box);

  const perSync = () => {
    const out = runOutgoingIn(box, { script: scenario.outgoingScript, issue: scenario.blue });
    if (!out.ok) throw new Error(`outgoing failed: ${out.error.message}`);
    const inc = runIncomingIn(box, {
      script: scenario.incomingScript,
      replica: out.replica,
      previous: scenario.previous,
      issue: scenario.green,
      firstSync: false,
      lookups: scenario.lookups,
    });
    if (!inc.ok) throw new Error(`incoming failed: ${inc.error.message}`);
  };

  const quickjsFresh = measure(perSync, runs, warmup);
  const raw = await rawEngines(scenario);
  const quickjsReused = measure(raw.quickjsReused, runs, warmup);
  const quickjsContextsOnly = measure(raw.quickjsContextsOnly, runs, warmup);
  const breakdown = raw.breakdown(Math.min(runs, 1_000), warmup, perSync);
  const v8Fresh = measure(raw.v8Fresh, Math.min(runs, 2_000), Math.min(warmup, 100));
  const v8Reused = measure(raw.v8Reused, runs, warmup);
  raw.dispose();

  const targetMedianMs = 0.3;
  return {
    runs,
    quickjsFresh,
    quickjsReused,
    quickjsContextsOnly,
    breakdown,
    v8Fresh,
    v8Reused,
    ratioToV8Fresh: quickjsFresh.medianMs / v8Fresh.medianMs,
    ratioToV8Reused: quickjsFresh.medianMs / v8Reused.medianMs,
    targetMedianMs,
    meetsTarget: quickjsFresh.medianMs <= targetMedianMs,
  };
}

/** A sync after the first: green already holds copies of blue's comments and
 *  attachments, and blue has since edited a comment. */
function steadyState(box: Awaited<ReturnType<typeof sandbox>>): Scenario {
  const outgoingScript = defaultOutgoingScript();
  const incomingScript = defaultIncomingScript({ projectKey: 'SC' });
  const lookups = greenLookups();
  const first = runOutgoingIn(box, { script: outgoingScript, issue: blueIssue() });
  if (!first.ok) throw new Error(first.error.message);
  const created = runIncomingIn(box, { script: incomingScript, replica: first.replica, previous: null, issue: null, firstSync: true, lookups });
  if (!created.ok) throw new Error(created.error.message);

  const green = applyIncoming({ id: '11042', key: 'SC-42' }, created.result);
  const blue = blueIssue();
  blue.comments[1] = { ...blue.comments[1]!, body: paragraph('Fix merged.'), updated: '2025-11-22T09:00:00.000+0000' };
  const current = runOutgoingIn(box, { script: outgoingScript, issue: blue });
  if (!current.ok) throw new Error(current.error.message);
  return { outgoingScript, incomingScript, blue, green, replica: current.replica, previous: first.replica, lookups };
}

/** The same jobs the pipeline builds, run straight on the engines: no zod, no
 *  diffing, so the figures isolate the engines and the context cost. */
async function rawEngines(s: Scenario) {
  const jobs = [
    outgoingJob({ script: s.outgoingScript, issue: s.blue }),
    incomingJob({ script: s.incomingScript, replica: s.replica, previous: s.previous, issue: s.green, firstSync: false, lookups: s.lookups }),
  ];
  const intrinsics = { BaseObjects: true, Date: true, Eval: true, JSON: true, RegExp: true, MapSet: true, Promise: true };

  const module = await newQuickJSWASMModuleFromVariant(variant);
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(16 * 1024 * 1024);
  runtime.setMaxStackSize(128 * 1024);
  const shared = runtime.newContext({ intrinsics });
  const unguarded = jobs.map((job) => ({ ...job, prelude: job.prelude.replace(GUARD_SOURCE, '') }));
  const quickjsRun = (ctx: QuickJSContext, job: SandboxJob) => {
    for (const [name, text] of Object.entries(job.inputs)) ctx.newString(text).consume((h) => ctx.setProp(ctx.global, name, h));
    const api = ctx.unwrapResult(ctx.evalCode(job.prelude, 'rules.js', { type: 'global', strict: true }));
    ctx.unwrapResult(ctx.evalCode(job.script, job.filename, { type: 'global', strict: true })).dispose();
    const out = ctx.getProp(api, 'finish').consume((f) => ctx.unwrapResult(ctx.callFunction(f, ctx.undefined)));
    JSON.parse(out.consume((h) => ctx.getString(h)));
    api.dispose();
  };

  const compiled = unguarded.map((job) => ({
    inputs: job.inputs,
    prelude: new vm.Script(job.prelude, { filename: 'rules.js' }),
    script: new vm.Script(job.script, { filename: job.filename }),
  }));
  const v8Run = (ctx: vm.Context, job: (typeof compiled)[number]) => {
    Object.assign(ctx, job.inputs);
    const api = job.prelude.runInContext(ctx) as { finish(): string };
    job.script.runInContext(ctx);
    JSON.parse(api.finish());
  };
  const v8Shared = vm.createContext({});

  /** The fresh-context run, step by step; `host` is what the full pipeline
   *  adds on top (JSON, zod, diffing). */
  const breakdown = (runs: number, warmup: number, perSync: () => void): Record<Phase, number> => {
    const samples: Record<Phase, number[]> = { newContext: [], inputs: [], prelude: [], script: [], result: [], dispose: [], host: [] };
    const time = <T>(phase: Phase, totals: Record<Phase, number>, fn: () => T): T => {
      const start = performance.now();
      const value = fn();
      totals[phase] += performance.now() - start;
      return value;
    };
    for (let i = 0; i < warmup + runs; i++) {
      const totals: Record<Phase, number> = { newContext: 0, inputs: 0, prelude: 0, script: 0, result: 0, dispose: 0, host: 0 };
      let engine = 0;
      for (const job of jobs) {
        const ctx = time('newContext', totals, () => runtime.newContext({ intrinsics }));
        time('inputs', totals, () => {
          for (const [name, text] of Object.entries(job.inputs)) ctx.newString(text).consume((h) => ctx.setProp(ctx.global, name, h));
        });
        const api = time('prelude', totals, () => ctx.unwrapResult(ctx.evalCode(job.prelude, 'rules.js', { type: 'global', strict: true })));
        time('script', totals, () => ctx.unwrapResult(ctx.evalCode(job.script, job.filename, { type: 'global', strict: true })).dispose());
        time('result', totals, () => ctx.getProp(api, 'finish').consume((f) => ctx.unwrapResult(ctx.callFunction(f, ctx.undefined))).consume((h) => ctx.getString(h)));
        api.dispose();
        time('dispose', totals, () => ctx.dispose());
      }
      for (const phase of Object.keys(totals) as Phase[]) engine += totals[phase];
      const start = performance.now();
      perSync();
      totals.host = Math.max(0, performance.now() - start - engine);
      if (i >= warmup) for (const phase of Object.keys(totals) as Phase[]) samples[phase].push(totals[phase]);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return Object.fromEntries(Object.entries(samples).map(([phase, xs]) => [phase, median(xs)])) as Record<Phase, number>;
  };

  return {
    breakdown,
    quickjsReused: () => {
      for (const job of unguarded) quickjsRun(shared, job);
    },
    quickjsContextsOnly: () => {
      for (let i = 0; i < jobs.length; i++) runtime.newContext({ intrinsics }).dispose();
    },
    v8Fresh: () => {
      for (const job of compiled) v8Run(vm.createContext({}), job);
    },
    v8Reused: () => {
      for (const job of compiled) v8Run(v8Shared, job);
    },
    dispose: () => {
      shared.dispose();
      runtime.dispose();
    },
  };
}

function measure(fn: () => void, runs: number, warmup: number): Figure {
  for (let i = 0; i < warmup; i++) fn();
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times[i] = performance.now() - start;
  }
  times.sort();
  return { medianMs: times[Math.floor(runs / 2)]!, p99Ms: times[Math.floor(runs * 0.99)]! };
}

function printTable(f: RulesBenchFigures): void {
  const row = (name: string, fig: Figure) => `${name.padEnd(44)} ${fig.medianMs.toFixed(3).padStart(9)} ${fig.p99Ms.toFixed(3).padStart(9)}`;
  console.log(`Rule execution per sync (default outgoing + incoming), ${f.runs} runs`);
  console.log(`${''.padEnd(44)} ${'median ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
  console.log(row('QuickJS, fresh context each (full pipeline)', f.quickjsFresh));
  console.log(row('QuickJS, one reused context (engine only)', f.quickjsReused));
  console.log(row('QuickJS, two context create+dispose only', f.quickjsContextsOnly));
  console.log(row('V8 node:vm, fresh context each', f.v8Fresh));
  console.log(row('V8 node:vm, one reused context', f.v8Reused));
  console.log(`where a fresh-context sync goes (median ms): ${Object.entries(f.breakdown).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  console.log(`ratio QuickJS fresh / V8 fresh: ${f.ratioToV8Fresh.toFixed(2)}; / V8 reused: ${f.ratioToV8Reused.toFixed(1)}`);
  console.log(`target median <= ${f.targetMedianMs} ms: ${f.meetsTarget ? 'met' : 'NOT met'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await benchRules());
}
