import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The bridge (./bridge.ts) is TypeScript the compiler checks with the rest;
// the page needs it as one plain script. esbuild (already here for vite and
// tsx) bundles it on first use, in a few milliseconds, and the result is kept
// for the life of the process.

const entry = join(dirname(fileURLToPath(import.meta.url)), 'bridge.ts');
let built: string | undefined;

/** The bridge as a classic script: ES2017, one IIFE, no module syntax. */
export function bridgeScript(): string {
  built ??= buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2017',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  return built;
}
