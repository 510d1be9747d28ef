import { newQuickJSWASMModuleFromVariant, type QuickJSContext } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import { INCOMING_PRELUDE, OUTGOING_PRELUDE } from '../src/rules/prelude';
import { defaultOutgoingScript, defaultIncomingScript } from '../src/rules/defaults';
import { blueIssue, greenLookups } from '../test/rules/fixtures';
import { normalizeLookups } from '../src/rules/lookups';
const mod = await newQuickJSWASMModuleFromVariant(variant);
const rt = mod.newRuntime(); rt.setMaxStackSize(128 * 1024); rt.setMemoryLimit(16 << 20);
const intrinsics = { BaseObjects: true, Date: true, Eval: true, JSON: true, RegExp: true, MapSet: true, Promise: true };
const acc: Record<string, number[]> = {};
function t<T>(name: string, fn: () => T): T { const a = performance.now(); const r = fn(); (acc[name] ??= []).push(performance.now() - a); return r; }
function one(prelude: string, input: string, script: string, tag: string) {
  const ctx = t(tag + ' newContext', () => rt.newContext({ intrinsics }));
  t(tag + ' input', () => ctx.newString(input).consume((h) => ctx.setProp(ctx.global, '__rulesInput', h)));
  const api = t(tag + ' prelude', () => ctx.unwrapResult(ctx.evalCode(prelude, 'rules.js', { type: 'global', strict: true })));
  t(tag + ' script', () => ctx.unwrapResult(ctx.evalCode(script, 'x.js', { type: 'global', strict: true })).dispose());
  const s = t(tag + ' finish', () => ctx.getProp(api, 'finish').consume((f) => ctx.unwrapResult(ctx.callFunction(f, ctx.undefined))).consume((h) => ctx.getString(h)));
  api.dispose();
  t(tag + ' dispose', () => ctx.dispose());
  return s;
}
const oi = JSON.stringify({ issue: blueIssue(), lookups: normalizeLookups(undefined) });
const ii = JSON.stringify({ replica: blueIssue(), previous: blueIssue(), issue: blueIssue(), firstSync: false, lookups: normalizeLookups(greenLookups()) });
for (let i = 0; i < 600; i++) { one(OUTGOING_PRELUDE, oi, defaultOutgoingScript(), 'out'); one(INCOMING_PRELUDE, ii, defaultIncomingScript({ projectKey: 'SC' }), 'in '); }
for (const [k, v] of Object.entries(acc)) { const s = v.slice(100).sort((a, b) => a - b); console.log(k.padEnd(20), (s[s.length >> 1]! * 1000).toFixed(1)); }
