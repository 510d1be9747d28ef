import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
const mod = await newQuickJSWASMModuleFromVariant(variant);
const rt = mod.newRuntime();
const ctx = rt.newContext();
for (let k = 0; k < 5; k++) {
  const a = performance.now();
  const r = ctx.evalCode('(function(){var s=0; for(let i=0;i<1e6;i++){s+=i} return s})()', 'x.js');
  r.value?.dispose();
  console.log('1e6 loop ms', (performance.now() - a).toFixed(1));
}
const b = performance.now(); let s = 0; for (let i = 0; i < 1e8; i++) s += i; console.log('v8 1e8 loop ms', (performance.now() - b).toFixed(1), s > 0);
