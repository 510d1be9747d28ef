import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import type { Clock } from '../ports';
import { classifyThrown, type InterruptReason, type ScriptError } from './script-error';

// Rule scripts run in QuickJS compiled to WebAssembly: a fresh context per run,
// with no host functions at all. Data crosses as JSON strings only; the
// bindings and helpers are JavaScript evaluated inside the context (the
// prelude). The WASM module is loaded once per process; a runtime is reused
// between runs and replaced after any fault; contexts are never reused.
//
// Evaluating the prelude is most of a run's cost and does not depend on the
// run's data, so after each run the sandbox evaluates the same prelude in a new
// context when the process is next idle (the engine spends most of a sync
// waiting on Jira): the next run with that prelude starts from there, still in
// a context no script has touched.

export interface SandboxLimits {
  /** QuickJS's own heap limit. Built for WebAssembly it cannot see allocation
   *  sizes and in effect counts allocations; the module's capped memory
   *  (WASM_PAGES) is what bounds bytes. */
  memoryBytes: number;
  /** QuickJS stack limit. Kept well below the host's own stack, which WASM
   *  frames share: a deeper limit lets recursion overflow V8 first. */
  stackBytes: number;
  /** Wall-clock deadline for one run. */
  deadlineMs: number;
  /** How many times QuickJS may poll the interrupt handler (about every 10,000
   *  steps) before the run is stopped: a deterministic bound for endless loops. */
  interruptBudget: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 16 * 1024 * 1024,
  stackBytes: 128 * 1024,
  deadlineMs: 1_000,
  interruptBudget: 5_000,
};

/** One run: the prelude is an expression returning `{start, finish, logs}`;
 *  `start()` builds the bindings from `inputs` (JSON texts set as globals
 *  under their names), `finish()` gives the result as a JSON string and
 *  `logs()` the debug log as a JSON string, for failed runs. */
export interface SandboxJob {
  prelude: string;
  inputs: Record<string, string>;
  script: string;
  /** The name QuickJS reports positions under, e.g. `outgoing.js`. */
  filename: string;
  limits?: Partial<SandboxLimits>;
  clock?: Clock;
}

export type SandboxOutcome =
  | { ok: true; output: string }
  | { ok: false; error: ScriptError; logs: string[] };

/** Language features a rule script gets. No Proxy, typed arrays or BigInt: each
 *  costs context set-up time and no sync rule needs them. Promise stays, as
 *  async syntax without it leaves the runtime in an inconsistent state. */
const INTRINSICS = {
  BaseObjects: true,
  Date: true,
  Eval: true,
  JSON: true,
  RegExp: true,
  MapSet: true,
  Promise: true,
} as const;

/** QuickJS built for WebAssembly cannot measure its allocations (it counts
 *  them, not their bytes), so its memory limit alone lets one big array after
 *  another grow the module's heap to gigabytes. The module's memory itself is
 *  therefore capped: past it, allocations fail inside QuickJS as "out of
 *  memory". 64 KiB pages; the build starts at 16 MiB. */
const WASM_PAGES = { initial: 256, maximum: 1024 };

const PRELUDE_FILENAME = 'rules.js';

/** A rule script runs as the body of a function, so a top-level `return` stops
 *  it (Exalate's scripts end early that way, and admins write it by habit) and
 *  what it set before stays. The opening stays on the script's first line, so
 *  QuickJS reports the admin's line numbers unchanged; only columns on line 1
 * *  move, and `scriptPlace` takes that back. The closing goes after a newline,
 *  so a last line ending in a `//` comment cannot swallow it. Declarations
 *  (`var`, `function`) are the function's own: the script reaches `issue` and
 *  `replica` as before, by assigning to them or changing them. */
const SCRIPT_OPENING = '(function () {';
const SCRIPT_CLOSING = '\n}).call(this);';

export function asScriptBody(script: string): string {
  return `${SCRIPT_OPENING}${script}${SCRIPT_CLOSING}`;
}

/** A column QuickJS reported in the wrapped script, as the admin counts it. */
function scriptPlace(error: ScriptError): ScriptError {
  if (error.line === 1 && error.column !== null) return { ...error, column: Math.max(1, error.column - SCRIPT_OPENING.length) };
  return error;
}
/** Contexts kept ready, one per prelude text (scripts differ in the helpers they name). */
const READY_PRELUDES = 8;
/** Replace the runtime now and then so fragmentation cannot build up. */
const RUNS_PER_RUNTIME = 2_000;

const monotonic: Clock = { now: () => performance.now() };

/** A context in which a prelude has been evaluated and nothing else has run. */
interface ReadyContext {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  api: QuickJSHandle;
}

export class Sandbox {
  private runtime: QuickJSRuntime | null = null;
  private runs = 0;
  private readonly ready = new Map<string, ReadyContext>();
  private readonly preparing = new Set<string>();
  /** Set when a run failed below QuickJS (a host stack overflow or a WASM
   *  trap): the module's memory can no longer be trusted. */
  broken = false;

  private constructor(private readonly module: QuickJSWASMModule) {}

  static async load(): Promise<Sandbox> {
    const memory = new WebAssembly.Memory(WASM_PAGES);
    return new Sandbox(await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory: memory })));
  }

  /** Bytes of WebAssembly memory the module holds (it never shrinks). */
  heapBytes(): number {
    return this.module.getWasmMemory().buffer.byteLength;
  }

  run(job: SandboxJob): SandboxOutcome {
    if (this.broken) throw new Error('This sandbox failed earlier; load a new one.');
    const limits = effectiveLimits(job.limits);
    const clock = job.clock ?? monotonic;
    const runtime = this.acquireRuntime(limits);
    const interrupt = { reason: null as InterruptReason | null, polls: 0 };
    const deadline = clock.now() + limits.deadlineMs;
    runtime.setInterruptHandler(() => {
      if (interrupt.reason) return true;
      interrupt.polls += 1;
      if (interrupt.polls > limits.interruptBudget) interrupt.reason = 'budget';
      else if (clock.now() > deadline) interrupt.reason = 'deadline';
      return interrupt.reason !== null;
    });

    let context: QuickJSContext | null = null;
    let api: QuickJSHandle | null = null;
    let phase: 'prelude' | 'script' | 'finish' = 'prelude';
    let outcome: SandboxOutcome | null = null;
    try {
      const ready = this.takeReady(job.prelude, runtime);
      context = ready?.context ?? runtime.newContext({ intrinsics: INTRINSICS });
      api = ready?.api ?? null;
      const ctx = context;
      const fail = (handle: QuickJSHandle): SandboxOutcome => {
        const thrown = dumpSafely(ctx, handle);
        handle.dispose();
        const classified = classifyThrown(thrown, {
          filename: job.filename,
          interrupted: interrupt.reason,
          duringScript: phase === 'script',
          limits,
        });
        const error = phase === 'script' ? scriptPlace(classified) : classified;
        // The log is worth having after a failure too; give reading it a
        // budget of its own, since the run's may be spent.
        let polls = 0;
        runtime.setInterruptHandler(() => ++polls > 20);
        return { ok: false, error, logs: api ? readLogs(ctx, api) : [] };
      };

      if (!api) {
        const made = ctx.evalCode(job.prelude, PRELUDE_FILENAME, { type: 'global', strict: true });
        if (made.error) return (outcome = fail(made.error));
        api = made.value;
      }
      for (const [name, text] of Object.entries(job.inputs)) {
        ctx.newString(text).consume((input) => ctx.setProp(ctx.global, name, input));
      }
      const started = ctx.getProp(api, 'start').consume((start) => ctx.callFunction(start, ctx.undefined));
      if (started.error) return (outcome = fail(started.error));
      started.value.dispose();

      phase = 'script';
      const ran = ctx.evalCode(asScriptBody(job.script), job.filename, { type: 'global', strict: true });
      if (ran.error) return (outcome = fail(ran.error));
      ran.value.dispose();

      phase = 'finish';
      const finished = ctx.getProp(api, 'finish').consume((finish) => ctx.callFunction(finish, ctx.undefined));
      if (finished.error) return (outcome = fail(finished.error));
      const output = ctx.getString(finished.value);
      finished.value.dispose();
      return (outcome = { ok: true, output });
    } catch (fault) {
      return (outcome = this.hostFault(fault));
    } finally {
      if (!this.broken) {
        if (api?.alive) api.dispose();
        context?.dispose();
        runtime.removeInterruptHandler();
        // A run stopped for its limits may have left the heap fragmented.
        if (outcome && !outcome.ok && ['timeout', 'memory', 'stack'].includes(outcome.error.kind)) this.retireRuntime();
        this.prepareSoon(job.prelude);
      }
    }
  }

  /** How many contexts wait ready for a run. */
  readyContexts(): number {
    return this.ready.size;
  }

  /** Evaluates `prelude` in a new context the next time the process is idle, for the next run with it. */
  prepareSoon(prelude: string): void {
    if (this.ready.has(prelude) || this.preparing.has(prelude)) return;
    this.preparing.add(prelude);
    setImmediate(() => {
      this.preparing.delete(prelude);
      this.prepare(prelude);
    }).unref();
  }

  private prepare(prelude: string): void {
    if (this.broken || !this.runtime || this.ready.has(prelude)) return;
    if (this.ready.size >= READY_PRELUDES) {
      const [oldest] = this.ready.keys();
      this.dropReady(oldest!);
    }
    const runtime = this.runtime;
    let context: QuickJSContext | null = null;
    try {
      context = runtime.newContext({ intrinsics: INTRINSICS });
      const made = context.evalCode(prelude, PRELUDE_FILENAME, { type: 'global', strict: true });
      if (made.error) {
        // The run itself will evaluate it again and report what fails.
        made.error.dispose();
        context.dispose();
        return;
      }
      this.ready.set(prelude, { runtime, context, api: made.value });
    } catch (fault) {
      this.hostFault(fault);
    }
  }

  private takeReady(prelude: string, runtime: QuickJSRuntime): ReadyContext | undefined {
    const ready = this.ready.get(prelude);
    if (!ready) return undefined;
    this.ready.delete(prelude);
    if (ready.runtime === runtime) return ready;
    ready.api.dispose();
    ready.context.dispose();
    return undefined;
  }

  private dropReady(prelude: string): void {
    const ready = this.ready.get(prelude);
    this.ready.delete(prelude);
    if (!ready || !ready.runtime.alive) return;
    ready.api.dispose();
    ready.context.dispose();
  }

  /** Parses `source` as a script without running it. */
  compile(source: string, filename: string): ScriptError | null {
    if (this.broken) throw new Error('This sandbox failed earlier; load a new one.');
    const runtime = this.acquireRuntime(DEFAULT_LIMITS);
    let context: QuickJSContext | null = null;
    try {
      context = runtime.newContext({ intrinsics: INTRINSICS });
      const ctx = context;
      const compiled = ctx.evalCode(asScriptBody(source), filename, { type: 'global', strict: true, compileOnly: true });
      if (!compiled.error) {
        compiled.value.dispose();
        return null;
      }
      const thrown = dumpSafely(ctx, compiled.error);
      compiled.error.dispose();
      return scriptPlace(
        classifyThrown(thrown, {
          filename,
          interrupted: null,
          duringScript: true,
          limits: DEFAULT_LIMITS,
        }),
      );
    } catch (fault) {
      const outcome = this.hostFault(fault);
      return outcome.ok ? null : outcome.error;
    } finally {
      if (!this.broken) context?.dispose();
    }
  }

  private acquireRuntime(limits: SandboxLimits): QuickJSRuntime {
    if (!this.runtime || this.runs >= RUNS_PER_RUNTIME) {
      this.retireRuntime();
      this.runtime = this.module.newRuntime();
    }
    this.runs += 1;
    this.runtime.setMemoryLimit(limits.memoryBytes);
    this.runtime.setMaxStackSize(limits.stackBytes);
    return this.runtime;
  }

  private retireRuntime(): void {
    const old = this.runtime;
    this.runtime = null;
    this.runs = 0;
    if (!old) return;
    // Contexts kept ready belong to the runtime: they go first.
    for (const prelude of [...this.ready.keys()]) this.dropReady(prelude);
    try {
      old.dispose();
    } catch {
      // QuickJS asserts on objects leaked by a failed run; the module aborts.
      this.broken = true;
    }
  }

  /** A failure below QuickJS. The usual one is V8's own stack overflowing in a
   *  deep native recursion (JSON.parse of deeply nested text, the parser on
   *  deeply nested source) before QuickJS's stack check fires. QuickJS is left
   *  mid-operation, so this module is abandoned, not disposed. */
  private hostFault(fault: unknown): SandboxOutcome {
    this.broken = true;
    this.runtime = null;
    this.ready.clear();
    if (fault instanceof RangeError) {
      return {
        ok: false,
        error: { kind: 'stack', message: 'The script recursed too deeply (stack overflow).', line: null, column: null },
        logs: [],
      };
    }
    const detail = fault instanceof Error ? fault.message : String(fault);
    return {
      ok: false,
      error: { kind: 'runtime', message: `The script engine failed: ${detail}`, line: null, column: null },
      logs: [],
    };
  }
}

export function effectiveLimits(limits: Partial<SandboxLimits> | undefined): SandboxLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** The debug log of a failed run, if the context can still produce it. */
function readLogs(ctx: QuickJSContext, api: QuickJSHandle): string[] {
  const result = ctx.getProp(api, 'logs').consume((logs) => ctx.callFunction(logs, ctx.undefined));
  if (result.error) {
    result.error.dispose();
    return [];
  }
  const text = result.value.consume((value) => ctx.getString(value));
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** The thrown value as JSON. Dumping needs memory too: when an object cannot
 *  be dumped, the heap is full. */
function dumpSafely(ctx: QuickJSContext, handle: QuickJSHandle): unknown {
  const outOfMemory = { name: 'InternalError', message: 'out of memory' };
  try {
    const dumped: unknown = ctx.dump(handle);
    const isObject = ctx.typeof(handle) === 'object' && !ctx.sameValue(handle, ctx.null);
    if (isObject && (typeof dumped !== 'object' || dumped === null)) return outOfMemory;
    return dumped;
  } catch {
    return outOfMemory;
  }
}

let current: Promise<Sandbox> | null = null;

/** The process's sandbox, loading the WASM module on first use and again after
 *  a run broke it. */
export async function sandbox(): Promise<Sandbox> {
  let loading = current;
  if (!loading) {
    loading = Sandbox.load();
    current = loading;
    loading.catch(() => {
      if (current === loading) current = null;
    });
  }
  const loaded = await loading;
  if (!loaded.broken) return loaded;
  if (current === loading) current = null;
  return sandbox();
}
