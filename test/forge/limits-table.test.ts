import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limitEntries } from '../../src/local/forge/limits';

// docs/forge-limits.md is the one table of Forge's limits; src/local/forge/limits.ts
// is what the runtime reads. Every value the runtime enforces has its row (with
// its source), and every value a row names is the one the runtime uses.

const table = readFileSync(join(import.meta.dirname, '../../docs/forge-limits.md'), 'utf8');
const documented = new Map<string, number[]>();
for (const match of table.matchAll(/`([a-z]+\.[A-Za-z0-9]+) = (\d+)`/g)) {
  documented.set(match[1]!, [...(documented.get(match[1]!) ?? []), Number(match[2])]);
}

describe('the limits table and the runtime agree', () => {
  it.each(limitEntries())('%s = %d is in docs/forge-limits.md, once, with that value', (name, value) => {
    expect(documented.get(name)).toEqual([value]);
  });

  it('names no value the runtime does not have', () => {
    const known = new Set<string>(limitEntries().map(([name]) => name));
    expect([...documented.keys()].filter((name) => !known.has(name))).toEqual([]);
  });

  it('gives every row with a value a source and a status', () => {
    const rows = table.split('\n').filter((line) => /`[a-z]+\.[A-Za-z0-9]+ = \d+`/.test(line));
    for (const row of rows) {
      const cells = row.split('|').map((c) => c.trim());
      expect(cells[4], row).toMatch(/\[[a-z-]+\]|jira-notes/);
      expect(cells[5], row).toMatch(/^(confirmed|chosen|secondary)$/);
    }
  });
});
