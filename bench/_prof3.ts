import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import { INCOMING_PRELUDE, OUTGOING_PRELUDE } from '../src/rules/prelude';
import { defaultIncomingScript } from '../src/rules/defaults';
const mod = await newQuickJSWASMModuleFromVariant(variant);
const rt = mod.newRuntime(); rt.setMaxStackSize(128 * 1024); rt.setMemoryLimit(16 << 20);
const intrinsics = { BaseObjects: true, Date: true, Eval: true, JSON: true, RegExp: true, MapSet: true, Promise: true };
const ctx = rt.newContext({ intrinsics });
function m(name: string, fn: () => void, n = 400) {
  for (let i = 0; i < 100; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) { const a = performance.now(); fn(); ts.push(performance.now() - a); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(50), (ts[n >> 1]! * 1000).toFixed(1), 'us');
}
const comp = (src: string, opts: any) => () => { const r = ctx.evalCode(src, 'p.js', { type: 'global', compileOnly: true, ...opts }); if (r.error) { console.log(ctx.dump(r.error)); r.error.dispose(); } else r.value.dispose(); };
const noLiterals = OUTGOING_PRELUDE.replace(/lazy\('nodeHelper', "(?:[^"\\]|\\.)*", env\);/, '');
console.log(OUTGOING_PRELUDE.length, noLiterals.length);
m('outgoing prelude', comp(OUTGOING_PRELUDE, { strict: true }));
m('outgoing prelude strip', comp(OUTGOING_PRELUDE, { strict: true, strip: true }));
m('outgoing prelude no literal', comp(noLiterals, { strict: true }));
m('outgoing prelude no literal strip', comp(noLiterals, { strict: true, strip: true }));
m('incoming prelude', comp(INCOMING_PRELUDE, { strict: true }));
m('incoming prelude strip', comp(INCOMING_PRELUDE, { strict: true, strip: true }));
const big = '"' + 'x'.repeat(4000) + '"';
m('4KB string literal', comp(big, {}));
const fns = Array.from({ length: 20 }, (_, i) => `function f${i}(a){return a+${i};}`).join('\n');
m('20 tiny functions', comp(fns, {}));
m('20 tiny functions strip', comp(fns, { strip: true }));
m('incoming script', comp(defaultIncomingScript({projectKey:'SC'}), { strict: true }));
