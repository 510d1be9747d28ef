import { expect } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { invoke, jira } from '../integration/helpers';
import { addAttachment, addComment, createIssue, remoteKeyOf, runFor, storedWith } from './helpers';

// A public connection blue UD ↔ green SC with a bit of everything stored on
// blue: synced issues with comments and attachments, their history and
// statistics, published rules, a sync error, a trigger and a bulk job, a
// Connect request, a secret rotation, and an outbox backlog waiting for
// green, which is down when the test goes on.

export async function populate(rt: LocalRuntime, blueConnectionId: string, greenConnectionId: string): Promise<void> {
  const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId });
  await invoke(rt, 'blue', 'publishRules', {
    connectionId: blueConnectionId,
    outgoing: rules.outgoing,
    incoming: `${rules.incoming}\nif (replica.summary === "boom") { throw new Error("boom"); }`,
  });

  const rich = await createIssue(rt, 'blue', 'UD', { summary: 'rich' });
  await addComment(rt, 'blue', rich, 'a comment');
  await addAttachment(rt, 'blue', rich, 'trace.bin');
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: rich });
  const failing = await createIssue(rt, 'blue', 'UD', { summary: 'will fail' });
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: failing });
  await runFor(rt, 3, 5_000);
  // A change made on green is applied on blue; another makes blue's incoming script throw: a stored error on blue.
  await jira(rt, 'green', 'PUT', `/issue/${await remoteKeyOf(rt, 'blue', rich)}`, { fields: { description: null, labels: ['from-green'] } });
  await jira(rt, 'green', 'PUT', `/issue/${await remoteKeyOf(rt, 'blue', failing)}`, { fields: { summary: 'boom' } });
  await runFor(rt, 3, 5_000);
  const errors = await invoke<{ errors: unknown[] }>(rt, 'blue', 'listErrors', { connectionId: blueConnectionId });
  expect(errors.errors.length).toBeGreaterThan(0);

  const { trigger } = await invoke<{ trigger: { id: string } }>(rt, 'blue', 'saveTrigger', {
    connectionId: blueConnectionId,
    entityType: 'issue',
    jql: 'labels = bulk',
    notes: '',
    active: false,
  });
  for (let i = 0; i < 3; i++) await createIssue(rt, 'blue', 'UD', { summary: `bulk ${i}`, labels: ['bulk'] });
  await invoke(rt, 'blue', 'bulkExalate', { triggerId: trigger.id });
  await runFor(rt, 5, 5_000);

  // A Connect to an issue green does not have: the refused request stays on the issue panel.
  const lonely = await createIssue(rt, 'blue', 'UD', { summary: 'lonely' });
  await invoke(rt, 'blue', 'connectIssue', { connectionId: blueConnectionId, issueKey: lonely, remoteIssueKey: 'SC-9999' });
  await invoke(rt, 'blue', 'rotateSecret', { connectionId: blueConnectionId });
  await runFor(rt, 3, 5_000);

  // Green goes down: blue's changes wait in its outbox.
  rt.site('green').faults.setDown('refused');
  for (let i = 0; i < 4; i++) await jira(rt, 'blue', 'PUT', `/issue/${rich}`, { fields: { summary: `rich ${i}` } });
  await addComment(rt, 'blue', rich, 'while green is down');
  await runFor(rt, 3, 5_000);

  // An installation upgraded from the layout before the pair record still holds replicas under their own
  // keys (as a twin does for one too large to ride on it): the purge must reach them too.
  for (const key of [`replica-out:${blueConnectionId}:10000`, `replica-in:${blueConnectionId}:10000`]) {
    const planted = await rt.forge.kvs.handle(rt.forge.installation('blue').installationId, '/api/v1/set', { method: 'POST', body: JSON.stringify({ key, value: { id: '10000', key: 'UD-1', summary: 'kept apart' } }) });
    expect(planted.status).toBeLessThan(300);
  }

  const stored = storedWith(rt, 'blue', blueConnectionId);
  for (const family of ['twin:', 'twini:', 'twinr:', 'hist:', 'histn:', 'replica-out:', 'replica-in:', 'synerr:', 'synerr-twin:', 'trigger:', 'job:', 'outbox:', 'connect-pending:', 'rules:', 'delivery:', 'seen:', 'connection:']) {
    expect(stored.some((entry) => entry.startsWith(`plain ${family}`)), `blue stores ${family} for the connection`).toBe(true);
  }
  // Statistics events are folded into the day's record at random moments: one or the other is there.
  expect(stored.some((entry) => entry.startsWith('plain statd:') || entry.startsWith('plain stats:'))).toBe(true);
  expect(stored).toContain(`secret connection-secret:${blueConnectionId}`);
  expect(storedWith(rt, 'green', greenConnectionId).length).toBeGreaterThan(0);
}
