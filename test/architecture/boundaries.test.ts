import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The core must run with no platform at all: it may import ports.ts, never
// @forge/* and never the local runtime.

const root = join(import.meta.dirname, '../..');
const coreFolders = ['domain', 'rules', 'sync', 'connections', 'transport', 'triggers', 'jira', 'removal'];

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(filesUnder(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const importsOf = (source: string) => [...source.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('core boundaries', () => {
  const files = coreFolders.flatMap((folder) => {
    const dir = join(root, 'src', folder);
    try {
      return filesUnder(dir);
    } catch {
      return [];
    }
  });

  it('finds the core', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('never imports @forge/* or src/local from the core', () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('@forge/') || /(^|\/)local(\/|$)/.test(spec) || /(^|\/)forge(\/|$)/.test(spec)) {
          offenders.push(`${relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('catches an offending import (the check itself works)', () => {
    expect(importsOf(`import { kvs } from '@forge/kvs';\nconst x = await import('../local/runtime');`)).toEqual(['@forge/kvs', '../local/runtime']);
  });
});
