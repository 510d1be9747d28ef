import { describe, expect, it } from 'vitest';
import { runOutgoing } from '../../src/rules/outgoing';
import { sandbox } from '../../src/rules/sandbox';
import { blueIssue } from './fixtures';

// Hostile and broken scripts must come back as error values of the right kind,
// quickly, and leave nothing behind for the next run or the host.

const outgoing = (script: string, extra: Partial<Parameters<typeof runOutgoing>[0]> = {}) =>
  runOutgoing({ script, issue: blueIssue(), ...extra });

async function summaryOf(script: string): Promise<string | undefined> {
  const out = await outgoing(script);
  if (!out.ok) throw new Error(`${out.error.kind}: ${out.error.message}`);
  return out.replica.summary;
}

describe('script errors', () => {
  it('reports a thrown error at its line in the admin script', async () => {
    const script = ['replica.summary = issue.summary;', '', '// a comment', 'var n = 1;', '', 'n++;', 'throw new Error("no mapping for " + issue.key);'].join('\n');
    const out = await outgoing(script);
    expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', message: 'Error: no mapping for UD-42', line: 7 } });
  });

  it('reports a TypeError with the line that caused it', async () => {
    const out = await outgoing('replica.summary = issue.summary;\nreplica.labels = issue.nothing.length;');
    expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', line: 2 } });
    if (!out.ok) expect(out.error.message).toMatch(/^TypeError: /);
  });

  it('reports a syntax error with line and column, before running anything', async () => {
    const out = await outgoing('debug.log("never");\nreplica.summary = (issue.summary;');
    expect(out).toMatchObject({ ok: false, error: { kind: 'syntax', line: 2 }, logs: [] });
    if (!out.ok) expect(out.error.column).toBeGreaterThan(1);
  });

  it('counts a SyntaxError raised while running as a runtime error', async () => {
    const out = await outgoing('\nJSON.parse("{oops");');
    expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', line: 2 } });
  });

  it('reports a thrown non-error value', async () => {
    const out = await outgoing('throw "stop here";');
    expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', message: 'Uncaught "stop here"' } });
    expect(await outgoing('throw null;')).toMatchObject({ ok: false, error: { kind: 'runtime', message: 'Uncaught null' } });
    expect(await outgoing('throw { code: 7 };')).toMatchObject({ ok: false, error: { kind: 'runtime', message: 'Uncaught {"code":7}' } });
  });

  it('keeps the debug log of a failed run', async () => {
    const out = await outgoing('debug.log("about to fail", {key: issue.key});\nnull.x;');
    expect(out).toMatchObject({ ok: false, logs: ['about to fail {"key":"UD-42"}'] });
  });

  it('makes the outgoing issue read-only', async () => {
    const out = await outgoing('replica.summary = "x";\nissue.summary = "changed";');
    expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', line: 2 } });
    const nested = await outgoing('issue.labels.push("x");');
    expect(nested).toMatchObject({ ok: false, error: { kind: 'runtime', line: 1 } });
  });
});

describe('limits', () => {
  it('stops an endless loop by its step budget, deterministically', async () => {
    const started = Date.now();
    const out = await outgoing('replica.summary = "x";\nwhile (true) {}', { limits: { interruptBudget: 20, deadlineMs: 60_000 } });
    expect(out).toMatchObject({ ok: false, error: { kind: 'timeout', line: null } });
    if (!out.ok) expect(out.error.message).toMatch(/step budget/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a run at its wall-clock deadline, on the injected clock', async () => {
    let now = 0;
    const clock = { now: () => (now += 100) };
    const out = await outgoing('for (;;) { var x = 1; }', { deadlineMs: 1_000, clock, limits: { interruptBudget: 1_000_000 } });
    expect(out).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    if (!out.ok) expect(out.error.message).toMatch(/1000 ms/);
  });

  it('an endless loop cannot be caught by the script', async () => {
    const out = await outgoing('for (;;) { try { while (true) {} } catch (e) { debug.log("caught", String(e)); } }', {
      limits: { interruptBudget: 20 },
    });
    expect(out).toMatchObject({ ok: false, error: { kind: 'timeout' }, logs: [] });
  });

  it('stops runaway memory growth at the memory limit', async () => {
    const out = await outgoing('var a = [];\nwhile (true) { a.push(new Array(1e6)); }', { limits: { memoryBytes: 4 * 1024 * 1024, deadlineMs: 60_000 } });
    expect(out).toMatchObject({ ok: false, error: { kind: 'memory', line: 2 } });
  });

  it('caps the heap even when QuickJS cannot count the bytes', async () => {
    const started = Date.now();
    const out = await outgoing('var a = [];\nwhile (true) { a.push("x".repeat(1e6) + a.length); }', { limits: { deadlineMs: 60_000 } });
    expect(out).toMatchObject({ ok: false, error: { kind: 'memory', line: 2 } });
    expect((await sandbox()).heapBytes()).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('refuses native loops over absurd lengths', async () => {
    for (const script of ['new Array(1e9).indexOf(1);', 'Array.prototype.includes.call({ length: 1e12 }, 1);', 'var a = []; a.length = 4e9; a.join("");']) {
      const out = await outgoing(script);
      expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', line: 1 } });
      if (!out.ok) expect(out.error.message).toMatch(/^RangeError: Arrays longer than/);
    }
  });

  it('stops a loop around a heavy native call near its deadline', async () => {
    const started = Date.now();
    const out = await outgoing('var s = "x".repeat(4e6);\nwhile (true) { try { s.indexOf("y"); } catch (e) {} }', { deadlineMs: 200 });
    expect(out).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops runaway string growth at the memory limit', async () => {
    const out = await outgoing('var s = "x";\nwhile (true) { s = s + s; }');
    expect(out).toMatchObject({ ok: false, error: { kind: 'memory' } });
  });

  it('stops deep recursion with a stack error', async () => {
    const out = await outgoing('function down(n) { return down(n + 1) + 1; }\ndown(0);');
    expect(out).toMatchObject({ ok: false, error: { kind: 'stack', line: 1 } });
  });

  it('contains recursion inside native code too, and the next run still works', async () => {
    const out = await outgoing('JSON.parse("[".repeat(200000));');
    expect(out).toMatchObject({ ok: false, error: { kind: 'stack' } });
    await expect(summaryOf('replica.summary = issue.summary;')).resolves.toBe('Login button misaligned on narrow screens');
  });

  it('recovers after each kind of failure', async () => {
    for (const script of ['while(true){}', 'var a=[]; while(true){a.push(new Array(1e6))}', 'function f(){return f()} f()', 'x = ;']) {
      await outgoing(script, { limits: { interruptBudget: 20 } });
      await expect(summaryOf('replica.summary = "still fine";')).resolves.toBe('still fine');
    }
  });

  it('bounds the debug log', async () => {
    const out = await outgoing('for (var i = 0; i < 500; i++) debug.log("line", i);\ndebug.log("y".repeat(5000));');
    expect(out.ok).toBe(true);
    expect(out.logs).toHaveLength(201);
    expect(out.logs[0]).toBe('line 0');
    expect(out.logs[200]).toMatch(/301 more log lines were dropped/);
  });

  it('truncates long log lines', async () => {
    const out = await outgoing('debug.log("y".repeat(5000));');
    expect(out.logs[0]!.length).toBeLessThanOrEqual(2_001);
  });
});

describe('isolation', () => {
  it('keeps prototype changes inside the run', async () => {
    const polluter = [
      'Object.prototype.polluted = "yes";',
      'Array.prototype.map = function () { return ["hijacked"]; };',
      'JSON.stringify = function () { return "{}"; };',
      'replica.summary = "polluter";',
    ].join('\n');
    await expect(summaryOf(polluter)).resolves.toBe('polluter');
    await expect(summaryOf('replica.summary = String(({}).polluted) + " " + [1].map(function (x) { return x + 1; });')).resolves.toBe('undefined 2');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([1].map((x) => x + 1)).toEqual([2]);
  });

  it('keeps globals from one run out of the next', async () => {
    await summaryOf('var leftover = "from the last run"; globalThis.another = 1; replica.summary = "a";');
    await expect(summaryOf('replica.summary = typeof leftover + " " + typeof another;')).resolves.toBe('undefined undefined');
  });

  it('starts the next run in a context made ready while idle, which the last run never touched', async () => {
    const idle = () => new Promise((resolve) => setImmediate(resolve));
    const box = await sandbox();
    await summaryOf('Object.prototype.polluted = "yes"; globalThis.leftover = 1; replica.summary = "a";');
    await idle();
    expect(box.readyContexts()).toBeGreaterThan(0);
    const before = box.readyContexts();
    await expect(summaryOf('replica.summary = String(({}).polluted) + " " + typeof leftover;')).resolves.toBe('undefined undefined');
    expect(box.readyContexts()).toBe(before - 1);
    await idle();
    expect(box.readyContexts()).toBe(before);
  });

  it('lets Function constructors reach only the sandbox global', async () => {
    const script = [
      'var g = constructor.constructor("return this")();',
      'replica.summary = [g === globalThis, typeof g.process, typeof g.require, typeof g.fetch, typeof g.console].join(",");',
    ].join('\n');
    await expect(summaryOf(script)).resolves.toBe('true,undefined,undefined,undefined,undefined');
  });

  it('has no host objects or network to reach', async () => {
    const probes = ['process', 'require', 'fetch', 'XMLHttpRequest', 'console', 'print', 'std', 'os', 'module', 'Buffer', 'setTimeout', 'WebAssembly'];
    const names = await summaryOf(`replica.summary = ${JSON.stringify(probes)}.filter(function (n) { return typeof globalThis[n] !== "undefined"; }).join(",");`);
    expect(names).toBe('');
    for (const attempt of ['fetch("https://example.com")', 'require("fs")', 'process.exit(1)', 'globalThis.__proto__.constructor.constructor("return process")().exit()']) {
      const out = await outgoing(attempt);
      expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', line: 1 } });
      if (!out.ok) expect(out.error.message).toMatch(/ReferenceError/);
    }
  });

  it('resolves dynamic import to nothing', async () => {
    const out = await outgoing('var p = import("node:fs"); replica.summary = typeof p.then;');
    expect(out).toMatchObject({ ok: true, replica: { summary: 'function' } });
  });

  it('leaves the host global untouched', async () => {
    const before = Object.getOwnPropertyNames(globalThis).length;
    await summaryOf('globalThis.replica.summary = "x"; this.y = 1;');
    expect(Object.getOwnPropertyNames(globalThis).length).toBe(before);
  });
});

describe('compile only', () => {
  it('parses without running', async () => {
    const box = await sandbox();
    expect(box.compile('while (true) {}', 'incoming.js')).toBeNull();
    expect(box.compile('var a = 1;\n\nif (a {', 'incoming.js')).toMatchObject({ kind: 'syntax', line: 3 });
  });
});
