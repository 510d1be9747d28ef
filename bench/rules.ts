import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { setImmediate as idle } from 'node:timers/promises';
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import type { IncomingIssue, LocalIssue, Replica } from '../src/domain/replica';
import { defaultIncomingScript, defaultOutgoingScript } from '../src/rules/defaults';
import { incomingJob, runIncomingIn, type IncomingRun } from '../src/rules/incoming';
import { outgoingJob, runOutgoingIn, type OutgoingRun } from '../src/rules/outgoing';
import { GUARD_SOURCE } from '../src/rules/prelude';
import type { SandboxJob } from '../src/rules/sandbox';
import { asScriptBody, sandbox } from '../src/rules/sandbox';
import { applyIncoming, blueIssue, greenLookups, paragraph } from '../test/rules/fixtures';

// Rule execution: the default outgoing script on one side and the default
// incoming script on the other, each in a fresh QuickJS context, as the engine
// runs them (zod and diffing included).
//
// Two ways a run meets its context. "Ready": the sandbox evaluated the prelude
// in a new context while the process was idle (the engine waits on Jira before
// every run), so the run only hands over its data, runs the script and reads
// the result. "Cold": back-to-back runs with no idle time between them, so
// each run also creates its context and evaluates the prelude; this is the
// CPU a run costs in all. Both are compared with V8 (node:vm) running the same
// preludes and scripts.

export interface Figure {
  medianMs: number;
  p99Ms: number;
}

export interface RulesBenchFigures {
  runs: number;
  /** Each default script on its own, in a context made ready while idle. */
  outgoingReady: Figure;
  incomingReady: Figure;
  /** The same back to back: context and prelude made inside the run. */
  outgoingCold: Figure;
  incomingCold: Figure;
  /** Outgoing + incoming, the rule execution one sync needs. */
  perSyncReady: Figure;
  perSyncCold: Figure;
  /** The floor of the ready path: empty scripts on an issue with no description, comments or attachments. */
  floorPerSyncReady: Figure;
  /** Creating and disposing one QuickJS context, nothing run. */
  quickjsContextOnly: Figure;
  /** The same preludes (without the native guard, which V8 does not need) and scripts in V8. */
  v8FreshPerSync: Figure;
  v8ReusedPerSync: Figure;
  /** Where a ready run of each script spends its time (medians, ms). */
  breakdown: Record<'outgoing' | 'incoming', Record<Phase, number>>;
  targetMedianMs: number;
  /** DESIGN.md's target: rule execution per sync (both default scripts), fresh contexts, median. Read on the ready runs. */
  meetsTarget: boolean;
}

type Phase = 'prepare' | 'start' | 'script' | 'finish' | 'host';

interface Scenario {
  outgoing: OutgoingRun;
  incoming: IncomingRun;
}

export async function benchRules(options: { runs?: number; warmup?: number } = {}): Promise<RulesBenchFigures> {
  const runs = Math.max(2_000, options.runs ?? 2_000);
  const warmup = options.warmup ?? 300;
  const box = await sandbox();
  const s = steadyState(box);

  const outgoing = () => {
    const out = runOutgoingIn(box, s.outgoing);
    if (!out.ok) throw new Error(`outgoing failed: ${out.error.message}`);
  };
  const incoming = () => {
    const inc = runIncomingIn(box, s.incoming);
    if (!inc.ok) throw new Error(`incoming failed: ${inc.error.message}`);
  };
  const both = () => {
    outgoing();
    incoming();
  };

  const outgoingReady = await measureReady([outgoing], runs, warmup);
  const incomingReady = await measureReady([incoming], runs, warmup);
  const perSyncReady = await measureReady([outgoing, incoming], runs, warmup);
  const bare = { ...s.outgoing.issue, description: null, comments: [], attachments: [], labels: [] };
  const floorOut = () => {
    const out = runOutgoingIn(box, { script: '', issue: bare });
    if (!out.ok) throw new Error(out.error.message);
  };
  const floorIn = () => {
    const inc = runIncomingIn(box, { script: '', replica: { id: bare.id, key: bare.key }, previous: null, issue: { id: '11042', key: 'SC-42' }, firstSync: false, lookups: s.incoming.lookups });
    if (!inc.ok) throw new Error(inc.error.message);
  };
  const floorPerSyncReady = await measureReady([floorOut, floorIn], runs, warmup);
  const outgoingCold = measure(outgoing, runs, warmup);
  const incomingCold = measure(incoming, runs, warmup);
  const perSyncCold = measure(both, runs, warmup);

  const raw = await rawEngines(s);
  const quickjsContextOnly = measure(raw.contextOnly, runs, warmup);
  const breakdown = {
    outgoing: raw.breakdown(0, Math.min(runs, 1_000), warmup, outgoing),
    incoming: raw.breakdown(1, Math.min(runs, 1_000), warmup, incoming),
  };
  const v8FreshPerSync = measure(raw.v8Fresh, Math.min(runs, 2_000), Math.min(warmup, 100));
  const v8ReusedPerSync = measure(raw.v8Reused, runs, warmup);
  raw.dispose();

  const targetMedianMs = 0.3;
  return {
    runs,
    outgoingReady,
    incomingReady,
    outgoingCold,
    incomingCold,
    perSyncReady,
    perSyncCold,
    floorPerSyncReady,
    quickjsContextOnly,
    v8FreshPerSync,
    v8ReusedPerSync,
    breakdown,
    targetMedianMs,
    meetsTarget: perSyncReady.medianMs <= targetMedianMs,
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

  const green: IncomingIssue = applyIncoming({ id: '11042', key: 'SC-42' }, created.result);
  const blue: LocalIssue = blueIssue();
  blue.comments[1] = { ...blue.comments[1]!, body: paragraph('Fix merged.'), updated: '2025-11-22T09:00:00.000+0000' };
  const current = runOutgoingIn(box, { script: outgoingScript, issue: blue });
  if (!current.ok) throw new Error(current.error.message);
  const replica: Replica = current.replica;
  return {
    outgoing: { script: outgoingScript, issue: blue },
    incoming: { script: incomingScript, replica, previous: first.replica, issue: green, firstSync: false, lookups },
  };
}

/** The jobs the pipeline builds, run straight on the engines: no zod, no
 *  diffing, so the figures isolate the engines. */
async function rawEngines(s: Scenario) {
  const jobs: SandboxJob[] = [outgoingJob(s.outgoing), incomingJob(s.incoming)];
  const intrinsics = { BaseObjects: true, Date: true, Eval: true, JSON: true, RegExp: true, MapSet: true, Promise: true };
  const module = await newQuickJSWASMModuleFromVariant(variant);
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(16 * 1024 * 1024);
  runtime.setMaxStackSize(128 * 1024);

  const call = (ctx: QuickJSContext, api: QuickJSHandle, name: string) => ctx.getProp(api, name).consume((f) => ctx.unwrapResult(ctx.callFunction(f, ctx.undefined)));
  /** One ready run, phase by phase; `host` is what the pipeline adds (JSON, zod, diffing). */
  const breakdown = (index: number, runs: number, warmup: number, pipeline: () => void): Record<Phase, number> => {
    const job = jobs[index]!;
    const samples: Record<Phase, number[]> = { prepare: [], start: [], script: [], finish: [], host: [] };
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const ctx = runtime.newContext({ intrinsics });
      const api = ctx.unwrapResult(ctx.evalCode(job.prelude, 'rules.js', { type: 'global', strict: true }));
      const t1 = performance.now();
      for (const [name, text] of Object.entries(job.inputs)) ctx.newString(text).consume((h) => ctx.setProp(ctx.global, name, h));
      call(ctx, api, 'start').dispose();
      const t2 = performance.now();
      ctx.unwrapResult(ctx.evalCode(asScriptBody(job.script), job.filename, { type: 'global', strict: true })).dispose();
      const t3 = performance.now();
      call(ctx, api, 'finish').consume((h) => ctx.getString(h));
      api.dispose();
      ctx.dispose();
      const t4 = performance.now();
      pipeline();
      const t5 = performance.now();
      if (i < warmup) continue;
      samples.prepare.push(t1 - t0);
      samples.start.push(t2 - t1);
      samples.script.push(t3 - t2);
      samples.finish.push(t4 - t3);
      // The pipeline ran cold here: take off a cold engine run to leave the host's share.
      samples.host.push(Math.max(0, t5 - t4 - (t4 - t0)));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return Object.fromEntries(Object.entries(samples).map(([phase, xs]) => [phase, median(xs)])) as Record<Phase, number>;
  };

  const compiled = jobs.map((job) => ({
    inputs: job.inputs,
    prelude: new vm.Script(job.prelude.replace(GUARD_SOURCE, '\n  var now = Date.now, stopAt = Infinity;'), { filename: 'rules.js' }),
    script: new vm.Script(asScriptBody(job.script), { filename: job.filename }),
  }));
  const v8Run = (ctx: vm.Context, job: (typeof compiled)[number]) => {
    Object.assign(ctx, job.inputs);
    const api = job.prelude.runInContext(ctx) as { start(): void; finish(): string };
    api.start();
    job.script.runInContext(ctx);
    JSON.parse(api.finish());
  };
  const v8Shared = vm.createContext({});

  return {
    breakdown,
    contextOnly: () => runtime.newContext({ intrinsics }).dispose(),
    v8Fresh: () => {
      for (const job of compiled) v8Run(vm.createContext({}), job);
    },
    v8Reused: () => {
      for (const job of compiled) v8Run(v8Shared, job);
    },
    dispose: () => runtime.dispose(),
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
  return figure(times);
}

/** Each step timed on its own after an idle turn, as the engine's runs follow
 *  a Jira call; a sample is the sum of its steps. */
async function measureReady(steps: (() => void)[], runs: number, warmup: number): Promise<Figure> {
  const times = new Float64Array(runs);
  for (let i = 0; i < warmup + runs; i++) {
    let total = 0;
    for (const step of steps) {
      await idle();
      const start = performance.now();
      step();
      total += performance.now() - start;
    }
    if (i >= warmup) times[i - warmup] = total;
  }
  return figure(times);
}

function figure(times: Float64Array): Figure {
  times.sort();
  return { medianMs: times[Math.floor(times.length / 2)]!, p99Ms: times[Math.floor(times.length * 0.99)]! };
}

function printTable(f: RulesBenchFigures): void {
  const row = (name: string, fig: Figure) => `${name.padEnd(52)} ${fig.medianMs.toFixed(3).padStart(9)} ${fig.p99Ms.toFixed(3).padStart(9)}`;
  console.log(`Rule execution, default scripts, ${f.runs} runs each`);
  console.log(`${''.padEnd(52)} ${'median ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
  console.log(row('outgoing script, context made ready while idle', f.outgoingReady));
  console.log(row('incoming script, context made ready while idle', f.incomingReady));
  console.log(row('outgoing script, cold (context + prelude in the run)', f.outgoingCold));
  console.log(row('incoming script, cold', f.incomingCold));
  console.log(row('per sync (outgoing + incoming), ready', f.perSyncReady));
  console.log(row('per sync, cold', f.perSyncCold));
  console.log(row('per sync, ready, empty scripts on a bare issue (floor)', f.floorPerSyncReady));
  console.log(row('one QuickJS context, create + dispose only', f.quickjsContextOnly));
  console.log(row('per sync, V8 node:vm, fresh contexts', f.v8FreshPerSync));
  console.log(row('per sync, V8 node:vm, one reused context', f.v8ReusedPerSync));
  for (const [direction, phases] of Object.entries(f.breakdown)) {
    console.log(`${direction} run by phase (median ms): ${Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  }
  console.log(`target: rule execution per sync ≤ ${f.targetMedianMs} ms median (ready): ${f.meetsTarget ? 'met' : 'NOT met'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await benchRules());
}
