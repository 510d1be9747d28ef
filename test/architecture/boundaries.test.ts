import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Imports go one way. The folders of src/ stand in one order (docs/architecture.md
// draws it); a module may import its own folder, ports.ts, and folders before
// its own, never one after. Besides: @forge/* only in the Forge adapters and the
// Forge handlers; the local runtime only from itself; the custom UI only the
// contract and the domain (the shapes it shares with the server).

const root = join(import.meta.dirname, '../..');
const srcDir = join(root, 'src');

/** Lowest first. Each entry is a folder of src/ or a file at its top. */
export const ORDER = [
  'domain',
  'contract',
  'rules',
  'jira',
  'connections',
  'transport',
  'sync',
  'triggers',
  'operations',
  'removal',
  'pairing',
  'resolvers',
  'app.ts',
  'forge',
  'index.ts',
  'local',
] as const;

const FORGE_SDK_ALLOWED = ['forge', 'index.ts'];
const UI_MAY_IMPORT = ['contract', 'domain'];

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(filesUnder(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

/** Every module specifier in a source text: static imports and re-exports, `import(…)`, `require(…)`. */
export const importsOf = (source: string) =>
  [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

/** The part of src/ a path is in: its first folder, or the file itself at the top; null outside src/. */
export function partOf(absolutePath: string): string | null {
  const rel = relative(srcDir, absolutePath);
  if (rel.startsWith('..') || rel === '') return null;
  const first = rel.split(sep)[0]!;
  if (first !== rel) return first;
  // At the top: a folder imported by its index, or a file named with or without its extension.
  const isFolder = existsSync(join(srcDir, rel)) && statSync(join(srcDir, rel)).isDirectory();
  return isFolder ? rel : `${rel.replace(/\.tsx?$/, '')}.ts`;
}

/**
 * What is wrong with `spec` imported from `file` (both as the repository names them), or null.
 * Pure, so a test can feed it imports that exist nowhere.
 */
export function violation(file: string, spec: string): string | null {
  const from = join(root, file);
  const where = `${file} imports ${spec}`;
  if (file.startsWith('static/src/')) {
    if (!spec.startsWith('.')) return null;
    const part = partOf(resolve(dirname(from), spec));
    if (part === null || UI_MAY_IMPORT.includes(part)) return null;
    return `${where}: the custom UI may import only src/${UI_MAY_IMPORT.join(' and src/')}`;
  }
  const own = partOf(from);
  if (own === null) return null;
  if (spec.startsWith('@forge/')) return FORGE_SDK_ALLOWED.includes(own) ? null : `${where}: @forge/* belongs in src/forge and src/index.ts`;
  if (!spec.startsWith('.')) return null;
  const target = partOf(resolve(dirname(from), spec));
  if (target === null) return `${where}: it leaves src/`;
  if (target === own || target === 'ports.ts') return null;
  if (target === 'local') return `${where}: only the local runtime imports src/local`;
  const ownRank = ORDER.indexOf(own as (typeof ORDER)[number]);
  const targetRank = ORDER.indexOf(target as (typeof ORDER)[number]);
  if (ownRank < 0) return `${file} is in src/${own}, which has no place in the order (test/architecture/boundaries.test.ts)`;
  if (targetRank < 0) return `${where}: src/${target} has no place in the order (test/architecture/boundaries.test.ts)`;
  return targetRank < ownRank ? null : `${where}: ${own} may import only what comes before it (${ORDER.slice(0, ownRank).join(', ')})`;
}

function offenders(files: string[]): string[] {
  const found: string[] = [];
  for (const path of files) {
    const file = relative(root, path).split(sep).join('/');
    for (const spec of importsOf(readFileSync(path, 'utf8'))) {
      const problem = violation(file, spec);
      if (problem) found.push(problem);
    }
  }
  return found;
}

describe('import boundaries', () => {
  const srcFiles = filesUnder(srcDir);

  it('gives every part of src/ its place in the order', () => {
    const parts = new Set(srcFiles.map((f) => partOf(f)!));
    expect([...parts].filter((p) => p !== 'ports.ts' && !ORDER.includes(p as (typeof ORDER)[number]))).toEqual([]);
  });

  it('imports only downward in src/, @forge/* only in the Forge adapters and handlers, src/local only from itself', () => {
    expect(srcFiles.length).toBeGreaterThan(100);
    expect(offenders(srcFiles)).toEqual([]);
  });

  it("keeps the local runtime's entry from loading the app's modules before it installs Forge's globals", () => {
    // The app is loaded by the runtime's Forge (from the manifest) once the globals are in place; a module the
    // entry imports itself is evaluated before that (loading the transport here once broke a Visual picker).
    // Only small leaves that hold what a warm container keeps, and how to forget it, may come first.
    const MAY_COME_FIRST = ['../forge/sandbox', '../forge/read-cache', '../forge/kept-pushes', '../domain/held-across-invocations'];
    const source = readFileSync(join(srcDir, 'local/runtime.ts'), 'utf8');
    const loaded = [...source.matchAll(/^import (?!type )[^;]*?from '(\.\.\/[^']+)'/gm)].map((m) => m[1]!);
    expect(loaded.filter((spec) => !MAY_COME_FIRST.includes(spec))).toEqual([]);
  });

  it('lets the custom UI import only the contract and the domain', () => {
    expect(offenders(filesUnder(join(root, 'static/src')))).toEqual([]);
  });

  it('reports a wrong-way import (the check itself works)', () => {
    expect(importsOf(`import { kvs } from '@forge/kvs';\nexport { x } from './x';\nimport './side-effect';\nconst y = await import('../local/runtime');`)).toEqual([
      '@forge/kvs',
      './x',
      './side-effect',
      '../local/runtime',
    ]);
    // A record module reaching up into a flow that uses it.
    expect(violation('src/connections/store.ts', '../pairing/lifecycle')).toMatch(/^src\/connections\/store\.ts imports \.\.\/pairing\/lifecycle: connections may import only/);
    // The engine reaching into trigger routing, the transport into the connection flows.
    expect(violation('src/sync/engine.ts', '../triggers/routing')).not.toBeNull();
    expect(violation('src/transport/endpoint.ts', '../pairing/handshake')).not.toBeNull();
    // The SDK outside the adapters, the local runtime from the core, the UI into the engine.
    expect(violation('src/sync/outgoing.ts', '@forge/kvs')).toMatch(/@forge\/\* belongs in src\/forge/);
    expect(violation('src/rules/sandbox.ts', '../local/runtime')).toMatch(/only the local runtime/);
    expect(violation('static/src/api.ts', '../../src/sync/engine')).toMatch(/custom UI may import only/);
    // And what is allowed stays allowed.
    expect(violation('src/sync/engine.ts', '../transport')).toBeNull();
    expect(violation('src/sync/engine.ts', './incoming')).toBeNull();
    expect(violation('src/domain/connection.ts', '../ports')).toBeNull();
    expect(violation('src/index.ts', '@forge/resolver')).toBeNull();
    expect(violation('static/src/api.ts', '../../src/contract/resolvers')).toBeNull();
    expect(offenders([])).toEqual([]);
  });
});
