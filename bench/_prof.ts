import { newQuickJSWASMModuleFromVariant, type QuickJSContext } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import { INCOMING_PRELUDE, OUTGOING_PRELUDE } from '../src/rules/prelude';
import { defaultOutgoingScript, defaultIncomingScript } from '../src/rules/defaults';
import { blueIssue, greenLookups } from '../test/rules/fixtures';
import { normalizeLookups } from '../src/rules/lookups';
const mod = await newQuickJSWASMModuleFromVariant(variant);
const rt = mod.newRuntime(); rt.setMaxStackSize(128 * 1024); rt.setMemoryLimit(16 << 20);
const intrinsics = { BaseObjects: true, Date: true, Eval: true, JSON: true, RegExp: true, MapSet: true, Promise: true };
const ctx = rt.newContext({ intrinsics });
function m(name: string, fn: () => void, n = 500) {
  for (let i = 0; i < 100; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) { const a = performance.now(); fn(); ts.push(performance.now() - a); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(40), (ts[n >> 1]! * 1000).toFixed(1), 'us');
}
const ev = (src: string, f = 'x.js') => { const r = ctx.evalCode(src, f, { type: 'global', strict: true }); if (r.error) { console.log(ctx.dump(r.error)); r.error.dispose(); } else r.value.dispose(); };
const input = JSON.stringify({ issue: blueIssue(), lookups: normalizeLookups(undefined) });
const inInput = JSON.stringify({ replica: blueIssue(), previous: blueIssue(), issue: blueIssue(), firstSync: false, lookups: normalizeLookups(greenLookups()) });
console.log('input chars', input.length, inInput.length, 'prelude chars', OUTGOING_PRELUDE.length, INCOMING_PRELUDE.length);
m('eval "1"', () => ev('1'));
m('newString+setProp input', () => ctx.newString(input).consume((h) => ctx.setProp(ctx.global, '__rulesInput', h)));
ctx.newString(input).consume((h) => ctx.setProp(ctx.global, '__rulesInput', h));
m('JSON.parse input', () => ev('JSON.parse(globalThis.__rulesInput); 1'));
m('compile outgoing prelude only', () => { const r = ctx.evalCode(OUTGOING_PRELUDE, 'p.js', { type: 'global', strict: true, compileOnly: true }); r.error ? r.error.dispose() : r.value.dispose(); });
m('compile incoming prelude only', () => { const r = ctx.evalCode(INCOMING_PRELUDE, 'p.js', { type: 'global', strict: true, compileOnly: true }); r.error ? r.error.dispose() : r.value.dispose(); });
m('compile outgoing script', () => { const r = ctx.evalCode(defaultOutgoingScript(), 'p.js', { type: 'global', strict: true, compileOnly: true }); r.error ? r.error.dispose() : r.value.dispose(); });
m('compile incoming script', () => { const r = ctx.evalCode(defaultIncomingScript({projectKey:'SC'}), 'p.js', { type: 'global', strict: true, compileOnly: true }); r.error ? r.error.dispose() : r.value.dispose(); });
m('stringify issue', () => ev('globalThis.__x = globalThis.__x || JSON.parse(' + JSON.stringify(input) + '); JSON.stringify(__x).length'));
m('loop 1e4', () => ev('for (var i=0;i<10000;i++){}'));
m('newContext+dispose', () => rt.newContext({ intrinsics }).dispose());
