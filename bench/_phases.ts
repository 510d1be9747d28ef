import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import { outgoingJob } from '../src/rules/outgoing';
import { incomingJob } from '../src/rules/incoming';
import { defaultOutgoingScript, defaultIncomingScript } from '../src/rules/defaults';
import { blueIssue, greenLookups } from '../test/rules/fixtures';
const mod = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory: new WebAssembly.Memory({ initial: 256, maximum: 1024 }) }));
const rt = mod.newRuntime(); rt.setMaxStackSize(128 * 1024); rt.setMemoryLimit(16 << 20);
const intrinsics = { BaseObjects: true, Date: true, Eval: true, JSON: true, RegExp: true, MapSet: true, Promise: true };
const acc: Record<string, number[]> = {};
function t<T>(name: string, fn: () => T): T { const a = performance.now(); const r = fn(); (acc[name] ??= []).push(performance.now() - a); return r; }
const replica = JSON.parse(JSON.stringify(blueIssue())); delete replica.projectKey; delete replica.typeName;
const jobs = [outgoingJob({ script: defaultOutgoingScript(), issue: blueIssue() }), incomingJob({ script: defaultIncomingScript({ projectKey: 'SC' }), replica, previous: replica, issue: { ...blueIssue(), comments: [] }, firstSync: false, lookups: greenLookups() })];
const variantPrelude = process.argv[2];
if (variantPrelude === 'noguard') for (const job of jobs) job.prelude = job.prelude.replace(/guard\(Array\.prototype[^;]*;\s*guard\(String\.prototype[^;]*;\s*guard\(JSON[^;]*;/, '');
if (variantPrelude === 'nofreeze') for (const job of jobs) job.prelude = job.prelude.replace("for (var key in issue) if (issue[key] !== null && typeof issue[key] === 'object') Object.freeze(issue[key]);", '');
console.log(variantPrelude, jobs[0]!.prelude.length);
for (let i = 0; i < 1500; i++) for (const [j, job] of jobs.entries()) {
  const tag = j ? 'in ' : 'out';
  const ctx = t(tag + ' newContext', () => rt.newContext({ intrinsics }));
  t(tag + ' inputs', () => { for (const [n, v] of Object.entries(job.inputs)) ctx.newString(v).consume((h) => ctx.setProp(ctx.global, n, h)); });
  const api = t(tag + ' prelude', () => ctx.unwrapResult(ctx.evalCode(job.prelude, 'rules.js', { type: 'global', strict: true })));
  t(tag + ' script', () => ctx.unwrapResult(ctx.evalCode(job.script, job.filename, { type: 'global', strict: true })).dispose());
  t(tag + ' finish', () => ctx.getProp(api, 'finish').consume((f) => ctx.unwrapResult(ctx.callFunction(f, ctx.undefined))).consume((h) => ctx.getString(h)));
  api.dispose();
  t(tag + ' dispose', () => ctx.dispose());
}
let total = 0;
for (const [k, v] of Object.entries(acc)) { const s = v.slice(300).sort((a, b) => a - b); const med = s[s.length >> 1]! * 1000; total += med; console.log(k.padEnd(20), med.toFixed(1)); }
console.log('sum of medians', total.toFixed(1));
