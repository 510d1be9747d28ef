import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, drain, invoke, jira, OUTLASTS_WAITS, twoSites } from '../integration/helpers';

// A replica applied as it arrives is acked in the answer to its delivery (ReplicaMessage.ackInAnswer): no
// ack message, outbox entry or invocation of its own. The ack must still never be lost: when the sender
// cannot take it from the answer, the replica stays in its outbox and the repeat brings the ack again, from
// the receiver's replay record or, that gone, from the twin that already holds the replica.

describe('the ack in the answer', () => {
  let rt: Awaited<ReturnType<typeof twoSites>>;
  let connectionId: string;
  let issueKey: string;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
    rt = await twoSites();
    ({ blueConnectionId: connectionId } = await connect(rt));
    const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Acked' } });
    issueKey = created.body.key;
    await invoke(rt, 'blue', 'exalateIssue', { connectionId, issueKey });
    await drain(rt);
  }, 120_000);

  afterEach(() => {
    rt?.close();
    vi.useRealTimers();
  });

  const status = async () => (await invoke<{ twins: { status: string; remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey })).twins[0]!;
  const installation = (site: string) => rt.forge.installation(site).installationId;
  /** Refuse (Forge's 429) blue's next write of the ack: the transaction that records the twin with its last sync. */
  const refuseBluesAck = () =>
    rt.forge.kvs.refuseNext(installation('blue'), (path, body) => path === '/api/v1/transaction' && JSON.stringify(body).includes('"connection-last-sync:'), OUTLASTS_WAITS);
  const greenApplied = async () => (await invoke<{ entries: { outcome: string }[] }>(rt, 'green', 'getIssueHistory', { issueKey: (await status()).remoteKey })).entries.filter((e) => e.outcome === 'applied').length;

  it('sends no ack message: the sender is synchronized after one invocation per side', async () => {
    rt.resetUsage('blue');
    rt.resetUsage('green');
    await jira(rt, 'blue', 'PUT', `/issue/${issueKey}`, { fields: { summary: 'Acked in the answer' } });
    await drain(rt);
    expect((await status()).status).toBe('synchronized');
    expect(rt.usage('blue').invocations.webtrigger).toBe(0);
    expect(rt.forge.kvs.storedKeys(installation('green')).filter((k) => k.key.startsWith('outbox:'))).toEqual([]);
  });

  it('comes again from the replay record when the sender could not take it from the answer', async () => {
    const appliedBefore = await greenApplied();
    refuseBluesAck();
    await jira(rt, 'blue', 'PUT', `/issue/${issueKey}`, { fields: { summary: 'Ack refused once' } });
    await rt.settle();
    expect((await status()).status).toBe('pending');
    await drain(rt);
    expect((await status()).status).toBe('synchronized');
    expect(await greenApplied()).toBe(appliedBefore + 1);
  });

  it('comes again from the twin when the replay record has gone too', async () => {
    const appliedBefore = await greenApplied();
    refuseBluesAck();
    await jira(rt, 'blue', 'PUT', `/issue/${issueKey}`, { fields: { summary: 'Ack refused, record gone' } });
    await rt.settle();
    expect((await status()).status).toBe('pending');
    // The replay records expire by themselves after 15 minutes; here they go at once.
    for (const { key } of rt.forge.kvs.storedKeys(installation('green')).filter((k) => k.key.startsWith('seen:'))) {
      await rt.forge.kvs.handle(installation('green'), '/api/v1/delete', { method: 'POST', body: JSON.stringify({ key }) });
    }
    await drain(rt);
    expect((await status()).status).toBe('synchronized');
    // Acked as a replica already applied: not applied twice.
    expect(await greenApplied()).toBe(appliedBefore + 1);
    const green = await jira<{ fields: { summary: string } }>(rt, 'green', 'GET', `/issue/${(await status()).remoteKey}`);
    expect(green.body.fields.summary).toBe('Ack refused, record gone');
  });
});
