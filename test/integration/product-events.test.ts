import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { PRODUCT_EVENTS_QUEUE } from '../../src/local/forge/local-forge';
import { readManifest } from '../../src/local/forge/manifest';
import { immediateDelivery } from '../../src/local/forge/product-event-delivery';
import { HANDLED_EVENT_TYPES } from '../../src/operations/product-event-payloads';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';

// Each product event the app subscribes to, through the real path: a change
// through the emulated site's REST API → the Forge trigger with the payload
// Forge sends → the app's routing → the sync to the partner.

type History = { entries: { direction: string; outcome: string; changes: { field: string }[] }[] };
type Issue = { id: string; key: string; fields: { summary: string; comment: { comments: { body: unknown }[] }; attachment: { filename: string }[] } };

const textOf = (node: unknown): string => {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return (n.text ?? '') + (n.content ?? []).map(textOf).join('');
};

describe('product events through the Forge trigger', () => {
  let rt: LocalRuntime;
  let blueConnectionId: string;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
    rt = await twoSites();
    ({ blueConnectionId } = await connect(rt));
  });
  afterEach(() => {
    rt.close();
    vi.useRealTimers();
  });

  async function exalated(summary: string): Promise<{ blue: { id: string; key: string }; greenKey: string }> {
    const created = await jira<{ id: string; key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary } });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
    await drain(rt);
    const status = await invoke<{ twins: { remoteKey: string | null }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
    return { blue: created.body, greenKey: status.twins[0]!.remoteKey! };
  }

  const sent = async (site: string, issueKey: string) =>
    (await invoke<History>(rt, site, 'getIssueHistory', { issueKey })).entries.filter((e) => e.direction === 'out' && e.outcome === 'sent');

  const waitingSyncs = () => rt.forge.queue.waiting().filter((w) => (w.body as { kind?: string }).kind === 'sync.outgoing').map((w) => w.body as { localIssueId: string; cause: string });

  it('subscribes to exactly the events the app reads', () => {
    const manifest = readManifest(join(import.meta.dirname, '../../manifest.yml'));
    const subscribed = manifest.triggers.flatMap((t) => t.events);
    expect([...subscribed].sort()).toEqual([...HANDLED_EVENT_TYPES].sort());
    expect(readFileSync(join(import.meta.dirname, '../../docs/forge-limits.md'), 'utf8')).toContain('avi:jira:created:issuelink');
  });

  it('commented:issue and deleted:comment: a comment made and removed on blue is made and removed on green', async () => {
    const { blue, greenKey } = await exalated('comment source');
    const added = await jira<{ id: string }>(rt, 'blue', 'POST', `/issue/${blue.key}/comment`, { body: adf('hello from blue') });
    await drain(rt);
    const onGreen = async () => (await jira<Issue>(rt, 'green', 'GET', `/issue/${greenKey}?fields=comment`)).body.fields.comment.comments.map((c) => textOf(c.body));
    expect((await onGreen()).some((t) => t.includes('hello from blue'))).toBe(true);
    await jira(rt, 'blue', 'DELETE', `/issue/${blue.key}/comment/${added.body.id}`);
    await drain(rt);
    expect((await onGreen()).some((t) => t.includes('hello from blue'))).toBe(false);
  });

  it('created:attachment maps to its issue from attachment.issueId and queues that issue\'s sync', async () => {
    const { blue, greenKey } = await exalated('attachment source');
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const response = await rt.fetch(`/blue/rest/api/3/issue/${blue.key}/attachments`, { method: 'POST', body: form, headers: { 'X-Atlassian-Token': 'no-check' } });
    expect(response.status).toBe(200);
    // The attachment event is delivered first (then the issue's updated event): it alone queues the twin's sync.
    const [first] = rt.forge.queue.waiting();
    expect(first).toMatchObject({ queue: PRODUCT_EVENTS_QUEUE, body: { event: { eventType: 'avi:jira:created:attachment', attachment: { issueId: blue.id } } } });
    expect((first!.body as { event: Record<string, unknown> }).event).not.toHaveProperty('issue');
    await rt.forge.runDue(1);
    expect(waitingSyncs()).toContainEqual(expect.objectContaining({ localIssueId: blue.id, cause: 'event' }));
    await drain(rt);
    expect((await jira<Issue>(rt, 'green', 'GET', `/issue/${greenKey}?fields=attachment`)).body.fields.attachment.map((a) => a.filename)).toEqual(['hello.txt']);
  });

  it('created:issuelink and deleted:issuelink: both issues of the link are read from the link and synced to their twins', async () => {
    // Links travel only when the outgoing script shares them.
    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId });
    await invoke(rt, 'blue', 'publishRules', { connectionId: blueConnectionId, outgoing: `${rules.outgoing}\nreplica.issueLinks = issue.issueLinks;\n`, incoming: rules.incoming });
    const a = await exalated('link source');
    const b = await exalated('link destination');
    const before = { a: (await sent('blue', a.blue.key)).length, b: (await sent('blue', b.blue.key)).length };

    await jira(rt, 'blue', 'POST', '/issueLink', { type: { name: 'Relates' }, inwardIssue: { key: a.blue.key }, outwardIssue: { key: b.blue.key } });
    const [event] = rt.forge.queue.waiting();
    expect((event!.body as { event: Record<string, unknown> }).event).toMatchObject({ eventType: 'avi:jira:created:issuelink', sourceIssueId: expect.any(String), destinationIssueId: expect.any(String) });
    await drain(rt);
    for (const [end, key] of [['a', a.blue.key], ['b', b.blue.key]] as const) {
      const entries = await sent('blue', key);
      expect(entries.length).toBe(before[end] + 1);
      expect(entries[0]!.changes.map((c) => c.field)).toEqual(['issueLinks']);
    }

    const link = (await jira<{ fields: { issuelinks: { id: string }[] } }>(rt, 'blue', 'GET', `/issue/${a.blue.key}?fields=issuelinks`)).body.fields.issuelinks[0]!;
    await jira(rt, 'blue', 'DELETE', `/issueLink/${link.id}`);
    await drain(rt);
    for (const [end, key] of [['a', a.blue.key], ['b', b.blue.key]] as const) expect((await sent('blue', key)).length).toBe(before[end] + 2);
  });

  it('refuses a malformed payload with a clear error, drops it, and goes on syncing', async () => {
    const { blue, greenKey } = await exalated('refusal');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const installation = rt.forge.installation('blue').installationId;
      const deliver = (event: Record<string, unknown>) =>
        rt.forge.queue.push(installation, PRODUCT_EVENTS_QUEUE, randomUUID(), [{ eventId: randomUUID(), body: { trigger: 'issue-events', event }, deliverAt: Date.now() }]);
      // A link event carrying an issue instead of the link, and an event the app never subscribed to.
      deliver({ eventType: 'avi:jira:created:issuelink', selfGenerated: false, issue: { id: blue.id } });
      deliver({ eventType: 'avi:jira:viewed:issue', selfGenerated: false, issue: { id: blue.id } });
      await rt.settle();
      const logged = errors.mock.calls.map((c) => String(c[0]));
      expect(logged).toContainEqual(expect.stringMatching(/^Product event refused: its payload is not what Forge sends for it \(.*sourceIssueId.*\)\. Nothing was synced for it\.$/));
      expect(logged).toContainEqual('Product event refused: the app does not subscribe to "avi:jira:viewed:issue". Nothing was synced for it.');
      // Dropped for good: not retried, not dead-lettered, and nothing queued for the issue.
      expect(rt.forge.queue.pendingCount()).toBe(0);
      expect(rt.forge.queue.deadLetters()).toEqual([]);
    } finally {
      errors.mockRestore();
    }
    await jira(rt, 'blue', 'PUT', `/issue/${blue.key}`, { fields: { summary: 'still syncing' } });
    await drain(rt);
    expect((await jira<Issue>(rt, 'green', 'GET', `/issue/${greenKey}?fields=summary`)).body.fields.summary).toBe('still syncing');
  });

  it('a late event for a change the partner has since overwritten sends nothing older over it', async () => {
    const { blue, greenKey } = await exalated('late source');
    // Blue's edit: its event comes 170 s late, Forge's lateness allowing.
    rt.forge.productEventDelivery = { delayMs: () => 170_000 };
    await jira(rt, 'blue', 'PUT', `/issue/${blue.key}`, { fields: { summary: 'edited on blue first' } });
    rt.forge.productEventDelivery = immediateDelivery;
    vi.setSystemTime(Date.now() + 10_000);
    // Green's later edit arrives on blue before blue's event does.
    await jira(rt, 'green', 'PUT', `/issue/${greenKey}`, { fields: { summary: 'edited on green later' } });
    await rt.settle();
    expect((await jira<Issue>(rt, 'blue', 'GET', `/issue/${blue.key}?fields=summary`)).body.fields.summary).toBe('edited on green later');
    const blueSentBefore = (await sent('blue', blue.key)).length;
    await drain(rt);
    // The late event read the issue as it is now: both sides keep the later edit, and blue sent nothing that changed it.
    expect((await jira<Issue>(rt, 'blue', 'GET', `/issue/${blue.key}?fields=summary`)).body.fields.summary).toBe('edited on green later');
    expect((await jira<Issue>(rt, 'green', 'GET', `/issue/${greenKey}?fields=summary`)).body.fields.summary).toBe('edited on green later');
    const late = (await sent('blue', blue.key)).slice(0, (await sent('blue', blue.key)).length - blueSentBefore);
    for (const entry of late) expect(entry.changes.length).toBeGreaterThan(0);
    expect((await sent('green', greenKey)).filter((e) => e.changes.length === 0)).toEqual([]);
  });
});
