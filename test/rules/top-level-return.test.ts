import { describe, expect, it } from 'vitest';
import { runIncoming } from '../../src/rules/incoming';
import { runOutgoing } from '../../src/rules/outgoing';
import { sandbox } from '../../src/rules/sandbox';
import { blueIssue, greenLookups } from './fixtures';

// Rule scripts may stop with a top-level `return`, as Exalate's do: what the
// script set before it stands, nothing after it runs, and it is no error.

describe('a top-level return', () => {
  it('stops an outgoing script without error, keeping what was set before it', async () => {
    const out = await runOutgoing({
      issue: blueIssue(),
      script: ['replica.summary = issue.summary;', 'if (issue.labels.includes("mobile")) return;', 'replica.labels = issue.labels;'].join('\n'),
    });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.replica.summary).toBe('Login button misaligned on narrow screens');
    expect(out.replica.labels).toBeUndefined();
  });

  it('stops an incoming script the same way', async () => {
    const out = await runIncoming({
      script: 'issue.summary = replica.summary;\nif (!firstSync) return\nissue.labels = ["never"];',
      replica: { id: '10042', key: 'UD-42', summary: 'From blue' },
      previous: null,
      issue: { summary: 'old' },
      firstSync: false,
      lookups: greenLookups(),
    });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result.issue.summary).toBe('From blue');
    expect(out.result.issue.labels).toBeUndefined();
  });

  it('is accepted when publishing (the syntax check wraps the script as a run does)', async () => {
    const box = await sandbox();
    expect(box.compile('if (issue.key) return;\nreplica.summary = "x";', 'outgoing.js')).toBeNull();
  });

  it('leaves line and column numbers as the admin counts them', async () => {
    const box = await sandbox();
    expect(box.compile('replica.summary = (;', 'outgoing.js')).toMatchObject({ kind: 'syntax', line: 1, column: 20 });
    const out = await runOutgoing({ issue: blueIssue(), script: 'null.x;' });
    expect(out).toMatchObject({ ok: false, error: { kind: 'runtime', line: 1 } });
  });

  it('still lets a script end in a line comment', async () => {
    const out = await runOutgoing({ issue: blueIssue(), script: 'replica.summary = "x"; // the end' });
    expect(out).toMatchObject({ ok: true, replica: { summary: 'x' } });
  });
});
