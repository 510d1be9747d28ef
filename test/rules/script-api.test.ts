import { describe, expect, it } from 'vitest';
import { SCRIPT_BINDINGS, type ScriptDirection } from '../../src/domain/script-api';
import { runIncoming } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { blueIssue, greenLookups } from './fixtures';

// The declared script API (what the editor completes and the reference lists)
// is exactly what the sandbox binds: each declared name exists in its
// directions with its members, and is absent in the others.

const names = SCRIPT_BINDINGS.filter((b) => b.kind !== 'keyword');

/** One script that reports, per declared name, whether it exists and which members it has. */
function probe(): string {
  const lines = names.map((b) => {
    const members = (b.members ?? []).map((m) => `(typeof ${b.name} !== 'undefined' && ${b.name} && typeof ${b.name}.${m.name} === 'function' ? '${m.name}' : '-')`);
    return `debug.log(${JSON.stringify(b.name)}, typeof ${b.name} === 'undefined' ? 'absent' : 'present'${members.map((m) => `, ${m}`).join('')});`;
  });
  return lines.join('\n');
}

async function logsOf(direction: ScriptDirection): Promise<string[]> {
  const script = probe();
  if (direction === 'outgoing') {
    const run = await runOutgoing({ script, issue: blueIssue() });
    if (!run.ok) throw new Error(run.error.message);
    return run.logs;
  }
  const run = await runIncoming({ script, replica: { id: '1', key: 'UD-1', summary: 'x' }, previous: null, issue: null, firstSync: true, lookups: greenLookups() });
  if (!run.ok) throw new Error(run.error.message);
  return run.result.logs;
}

describe('the declared script API', () => {
  for (const direction of ['outgoing', 'incoming'] as const) {
    it(`is what a ${direction} script finds bound, no more and no less`, async () => {
      const logs = await logsOf(direction);
      for (const binding of names) {
        const line = logs.find((l) => l.startsWith(`${binding.name} `));
        const expected = binding.directions.includes(direction) ? 'present' : 'absent';
        expect(line?.split(' ')[1], `${binding.name} in ${direction}`).toBe(expected);
        if (expected === 'present') expect(line!.split(' ').slice(2), `${binding.name} members`).toEqual((binding.members ?? []).map((m) => m.name));
      }
    });
  }
});
