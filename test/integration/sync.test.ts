import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';

// Script-mode sync between blue (UD) and green (SC), acting only through the
// sites' REST APIs and the app's resolvers, as people and the UI do.

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  // The clock moves only as the tests move it: bursts of work spread over time as they would on Forge (drain).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId, greenConnectionId } = await connect(rt));
  // Both sides also map priority and status, as admins commonly add.
  for (const [site, connectionId, statusMap] of [
    ['blue', blueConnectionId, '{ "Open": "To Do", "In Progress": "In Progress", "Done": "Done" }'],
    ['green', greenConnectionId, '{ "To Do": "Open", "In Progress": "In Progress", "Done": "Done" }'],
  ] as const) {
    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, site, 'getRules', { connectionId });
    const incoming = `${rules.incoming}
issue.priority = nodeHelper.getPriority(replica.priority?.name) ?? issue.priority;
const statusMap = ${statusMap};
if (!firstSync && replica.status && previous?.status?.name !== replica.status.name) issue.setStatus(statusMap[replica.status.name] ?? replica.status.name);
`;
    await invoke(rt, site, 'publishRules', { connectionId, outgoing: rules.outgoing, incoming });
  }
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

async function createOnBlue(fields: Record<string, unknown>) {
  const created = await jira(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, ...fields } });
  expect(created.status).toBe(201);
  return created.body as { id: string; key: string };
}

async function exalate(key: string) {
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: key });
  await drain(rt);
  const status = await invoke<{ twins: { remoteKey: string; status: string; error: { message: string } | null }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: key });
  return status.twins[0]!;
}

/**
 * Runs queued work one event at a time until `applied` holds on blue, and checks that the product event of
 * blue's own edit to `blueKey` was still waiting then: the partner's replica met an edit here that had not left.
 */
async function runUntilAppliedBeforeBlueEvent(blueKey: string, applied: () => Promise<boolean>) {
  const blueEventWaits = () => rt.forge.queue.waiting().some((e) => (e.body as { event?: { issue?: { key?: string } } }).event?.issue?.key === blueKey);
  for (let i = 0; i < 50 && !(await applied()); i++) {
    expect(blueEventWaits()).toBe(true);
    await rt.forge.runDue(1);
  }
  expect(await applied()).toBe(true);
  expect(blueEventWaits()).toBe(true);
}

const greenIssue = async (key: string) => (await jira(rt, 'green', 'GET', `/issue/${key}`)).body;
const blueIssue = async (key: string) => (await jira(rt, 'blue', 'GET', `/issue/${key}`)).body;

describe('Script-mode sync', () => {
  it('brings summary, ADF description, labels, type, priority, comments and attachments across on the first sync', async () => {
    const issue = await createOnBlue({ summary: 'Checkout fails', description: adf('Card declined'), labels: ['payments', 'urgent'], priority: { name: 'High' } });
    await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf('First comment') });
    const bytes = new Uint8Array(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'trace.bin');
    const upload = await rt.fetch(`/blue/rest/api/3/issue/${issue.key}/attachments`, { method: 'POST', headers: { 'X-Atlassian-Token': 'no-check' }, body: form });
    expect(upload.status).toBe(200);

    const twin = await exalate(issue.key);
    expect(twin.status).toBe('synchronized');
    const green = await greenIssue(twin.remoteKey);
    expect(green.fields.summary).toBe('Checkout fails');
    expect(green.fields.description).toEqual(adf('Card declined'));
    expect(green.fields.labels.sort()).toEqual(['payments', 'urgent']);
    expect(green.fields.issuetype.name).toBe('Task');
    expect(green.fields.priority.name).toBe('High');
    expect(green.fields.comment.comments).toHaveLength(1);
    expect(JSON.stringify(green.fields.comment.comments[0].body)).toContain('First comment');
    expect(green.fields.attachment).toHaveLength(1);
    const content = await rt.fetch(`/green/rest/api/3/attachment/content/${green.fields.attachment[0].id}`);
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(bytes);
    // The file's chunks went with the record that added it: none is left behind on green.
    expect(rt.forge.kvs.storedKeys(rt.forge.installation('green').installationId).filter((k) => k.key.startsWith('attin:'))).toEqual([]);
  });

  it("falls back to the receiving project's default type when the type is missing there", async () => {
    const issue = await createOnBlue({ summary: 'Faster search', issuetype: { name: 'Improvement' } });
    const twin = await exalate(issue.key);
    const green = await greenIssue(twin.remoteKey);
    // Green has no Improvement; SC's default type is Story.
    expect(green.fields.issuetype.name).toBe('Story');
  });

  it('carries edits, comments (new, edited, deleted) and transitions both ways, without echoes', async () => {
    const issue = await createOnBlue({ summary: 'Two-way' });
    const twin = await exalate(issue.key);
    const greenKey = twin.remoteKey;

    // blue → green: an edit and a comment
    await jira(rt, 'blue', 'PUT', `/issue/${issue.key}`, { fields: { summary: 'Two-way, edited on blue' } });
    const blueComment = (await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf('from blue') })).body;
    await drain(rt);
    let green = await greenIssue(greenKey);
    expect(green.fields.summary).toBe('Two-way, edited on blue');
    expect(green.fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body))).toEqual([expect.stringContaining('from blue')]);

    // green → blue: an edit, a comment and a transition
    await jira(rt, 'green', 'PUT', `/issue/${greenKey}`, { fields: { summary: 'Two-way, edited on green' } });
    await jira(rt, 'green', 'POST', `/issue/${greenKey}/comment`, { body: adf('from green') });
    const transitions = (await jira(rt, 'green', 'GET', `/issue/${greenKey}/transitions`)).body.transitions as { id: string; to: { name: string } }[];
    await jira(rt, 'green', 'POST', `/issue/${greenKey}/transitions`, { transition: { id: transitions.find((t) => t.to.name === 'In Progress')!.id } });
    await drain(rt);
    let blue = await blueIssue(issue.key);
    expect(blue.fields.summary).toBe('Two-way, edited on green');
    expect(blue.fields.status.name).toBe('In Progress');
    expect(blue.fields.comment.comments).toHaveLength(2);

    // blue edits and deletes its comment: green's copy follows
    await jira(rt, 'blue', 'PUT', `/issue/${issue.key}/comment/${blueComment.id}`, { body: adf('from blue, edited') });
    await drain(rt);
    green = await greenIssue(greenKey);
    expect(JSON.stringify(green.fields.comment.comments)).toContain('from blue, edited');
    await jira(rt, 'blue', 'DELETE', `/issue/${issue.key}/comment/${blueComment.id}`);
    await drain(rt);
    green = await greenIssue(greenKey);
    expect(JSON.stringify(green.fields.comment.comments)).not.toContain('from blue');
    expect(green.fields.comment.comments).toHaveLength(1); // green's own comment stays

    // no echo: nothing was copied back to where it came from
    blue = await blueIssue(issue.key);
    expect(blue.fields.comment.comments).toHaveLength(1); // only green's comment's copy remains
    expect(JSON.stringify(blue.fields.comment.comments)).toContain('from green');
    const greenHistory = await invoke<{ entries: { direction: string; outcome: string }[] }>(rt, 'green', 'getIssueHistory', { issueKey: greenKey });
    const blueHistory = await invoke<{ entries: { direction: string; outcome: string }[] }>(rt, 'blue', 'getIssueHistory', { issueKey: issue.key });
    // green sent once: its edit, comment and transition, made before the queue ran, coalesced into one replica.
    expect(greenHistory.entries.filter((e) => e.direction === 'out' && e.outcome === 'sent')).toHaveLength(1);
    // blue sent the first sync, the edit with its comment (coalesced), the comment edit and the comment delete;
    // the changes the app made on blue for green's edits were not sent back.
    expect(blueHistory.entries.filter((e) => e.direction === 'out' && e.outcome === 'sent')).toHaveLength(4);
  });

  it('keeps an edit made here before its event ran when a partner replica that carried the field unchanged is applied first', async () => {
    const issue = await createOnBlue({ summary: 'Race' });
    const twin = await exalate(issue.key);
    // green's summary edit is the newest change of that field either side knows of.
    await jira(rt, 'green', 'PUT', `/issue/${twin.remoteKey}`, { fields: { summary: 'Race, edited on green' } });
    await drain(rt);
    expect((await blueIssue(issue.key)).fields.summary).toBe('Race, edited on green');

    // green comments, then a person edits the summary on blue. green's event runs first: its replica (summary
    // unchanged) reaches blue and is applied there while blue's edit has not left (its event still waits).
    await jira(rt, 'green', 'POST', `/issue/${twin.remoteKey}/comment`, { body: adf('green comment') });
    await jira(rt, 'blue', 'PUT', `/issue/${issue.key}`, { fields: { summary: 'Race, edited on blue' } });
    await runUntilAppliedBeforeBlueEvent(issue.key, async () => JSON.stringify((await blueIssue(issue.key)).fields.comment.comments).includes('green comment'));

    let blue = await blueIssue(issue.key);
    expect(blue.fields.summary).toBe('Race, edited on blue');
    expect(JSON.stringify(blue.fields.comment.comments)).toContain('green comment');
    await drain(rt);
    blue = await blueIssue(issue.key);
    expect(blue.fields.summary).toBe('Race, edited on blue');
    expect((await greenIssue(twin.remoteKey)).fields.summary).toBe('Race, edited on blue');
  });

  it('keeps a custom field edited here the same way: a replica that carried it unchanged does not overwrite it', async () => {
    const original = await Promise.all(
      ([['blue', blueConnectionId], ['green', greenConnectionId]] as const).map(async ([site, connectionId]) => {
        const rules = await invoke<{ outgoing: string; incoming: string }>(rt, site, 'getRules', { connectionId });
        await invoke(rt, site, 'publishRules', {
          connectionId,
          outgoing: `${rules.outgoing}\nreplica.customFields = { Customer: issue.customFields["Customer"] };\n`,
          incoming: `${rules.incoming}\nif (replica.customFields?.["Customer"]) issue.customFields = { ...(issue.customFields ?? {}), Customer: replica.customFields["Customer"] };\n`,
        });
        return { site, connectionId, rules };
      }),
    );
    try {
      const customer = (issue: Record<string, any>, site: 'blue' | 'green') => issue.fields[site === 'blue' ? 'customfield_10020' : 'customfield_10030'];
      const issue = await createOnBlue({ summary: 'Custom race', customfield_10020: 'Acme' });
      const twin = await exalate(issue.key);
      expect(customer(await greenIssue(twin.remoteKey), 'green')).toBe('Acme');
      await jira(rt, 'green', 'PUT', `/issue/${twin.remoteKey}`, { fields: { customfield_10030: 'Acme, edited on green' } });
      await rt.settle();
      expect(customer(await blueIssue(issue.key), 'blue')).toBe('Acme, edited on green');

      // green comments; its replica (the custom field unchanged) is applied on blue while a person's edit of the field there has not left.
      await jira(rt, 'green', 'POST', `/issue/${twin.remoteKey}/comment`, { body: adf('green comment') });
      await jira(rt, 'blue', 'PUT', `/issue/${issue.key}`, { fields: { customfield_10020: 'Acme, edited on blue' } });
      await runUntilAppliedBeforeBlueEvent(issue.key, async () => JSON.stringify((await blueIssue(issue.key)).fields.comment.comments).includes('green comment'));

      expect(customer(await blueIssue(issue.key), 'blue')).toBe('Acme, edited on blue');
      await rt.settle();
      expect(customer(await blueIssue(issue.key), 'blue')).toBe('Acme, edited on blue');
      expect(customer(await greenIssue(twin.remoteKey), 'green')).toBe('Acme, edited on blue');
    } finally {
      for (const { site, connectionId, rules } of original) await invoke(rt, site, 'publishRules', { connectionId, outgoing: rules.outgoing, incoming: rules.incoming });
    }
  });

  it('ends 100 rapid edits in the same final state on both sides', async () => {
    const issue = await createOnBlue({ summary: 'rapid 0' });
    const twin = await exalate(issue.key);
    for (let i = 1; i <= 100; i++) await jira(rt, 'blue', 'PUT', `/issue/${issue.key}`, { fields: { summary: `rapid ${i}`, labels: [`l${i % 7}`] } });
    await drain(rt);
    const green = await greenIssue(twin.remoteKey);
    expect(green.fields.summary).toBe('rapid 100');
    expect(green.fields.labels).toEqual(['l2']);
  });

  it('stores a clear error for a broken script and blocks nothing else', async () => {
    const healthy = await createOnBlue({ summary: 'healthy' });
    const healthyTwin = await exalate(healthy.key);
    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'green', 'getRules', { connectionId: greenConnectionId });
    const cases: [string, RegExp][] = [
      ['if (replica.summary === "loop") { while (true) {} }', /ran longer than|stopped/i],
      ['if (replica.summary === "bomb") { const a = []; while (true) a.push(new Array(100000).fill(1)); }', /memory/i],
      ['if (replica.summary === "thrown") {\n  throw new Error("bad data");\n}', /bad data/],
    ];
    try {
      for (const [snippet, expected] of cases) {
        await invoke(rt, 'green', 'publishRules', { connectionId: greenConnectionId, outgoing: rules.outgoing, incoming: `${rules.incoming}\n${snippet}` });
        const victim = await createOnBlue({ summary: 'victim' });
        await exalate(victim.key);
        await jira(rt, 'blue', 'PUT', `/issue/${victim.key}`, { fields: { summary: snippet.match(/"(\w+)"/)![1] } });
        await jira(rt, 'blue', 'PUT', `/issue/${healthy.key}`, { fields: { summary: `healthy after ${expected.source}` } });
        await drain(rt);
        const errors = await invoke<{ errors: { message: string; issueKey: string | null; scriptLine: number | null; phase: string }[] }>(rt, 'green', 'listErrors', { connectionId: greenConnectionId });
        expect(errors.errors[0]!.message).toMatch(expected);
        expect(errors.errors[0]!.phase).toBe('incoming');
        expect((await greenIssue(healthyTwin.remoteKey)).fields.summary).toBe(`healthy after ${expected.source}`);
      }
      const errors = await invoke<{ errors: { message: string; scriptLine: number | null }[] }>(rt, 'green', 'listErrors', { connectionId: greenConnectionId });
      const thrown = errors.errors.find((e) => /bad data/.test(e.message))!;
      expect(thrown.scriptLine).toBe(rules.incoming.split('\n').length + 2);
    } finally {
      await invoke(rt, 'green', 'publishRules', { connectionId: greenConnectionId, outgoing: rules.outgoing, incoming: rules.incoming });
    }
  });

  it('pauses an issue whose replica is too big to travel, with a clear error, and syncs it once the rules share less', async () => {
    const issue = await createOnBlue({ summary: 'Long discussion' });
    for (let i = 0; i < 9; i++) await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf(`${i} ${'x'.repeat(30_000)}`) });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: issue.key });
    await drain(rt);
    const status = await invoke<{ twins: { status: string; error: { message: string } | null }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: issue.key });
    expect(status.twins[0]).toMatchObject({ status: 'error', error: { message: expect.stringMatching(/is 2\d\d KiB; one may be at most 224 KiB/) } });
    expect(rt.forge.queue.deadLetters()).toEqual([]);

    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId });
    try {
      await invoke(rt, 'blue', 'publishRules', { connectionId: blueConnectionId, outgoing: `${rules.outgoing}\nreplica.comments = issue.comments.slice(-2);`, incoming: rules.incoming });
      const { errors } = await invoke<{ errors: { id: string; issueKey: string | null }[] }>(rt, 'blue', 'listErrors', { connectionId: blueConnectionId });
      await invoke(rt, 'blue', 'retryError', { id: errors.find((e) => e.issueKey === issue.key)!.id });
      await drain(rt);
      const synced = await invoke<{ twins: { status: string; remoteKey: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: issue.key });
      expect(synced.twins[0]!.status).toBe('synchronized');
      expect((await greenIssue(synced.twins[0]!.remoteKey)).fields.comment.comments).toHaveLength(2);
    } finally {
      await invoke(rt, 'blue', 'publishRules', { connectionId: blueConnectionId, outgoing: rules.outgoing, incoming: rules.incoming });
    }
  });

  it('rejects a script that does not compile at publish time, with its line', async () => {
    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId });
    const response = await rt.fetch('/blue/bridge/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'publishRules', payload: { connectionId: blueConnectionId, outgoing: 'replica.summary = ;', incoming: rules.incoming } }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/outgoing script does not compile/);
  });

  it('loses and duplicates nothing while green is down during 200 changes', async () => {
    const issue = await createOnBlue({ summary: 'down 0' });
    const twin = await exalate(issue.key);
    rt.site('green').faults.setDown('refused');
    for (let i = 1; i <= 200; i++) {
      if (i % 20 === 0) await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf(`comment ${i}`) });
      else await jira(rt, 'blue', 'PUT', `/issue/${issue.key}`, { fields: { summary: `down ${i}` } });
    }
    // Half a minute of work while green is down (delivery keeps backing off, so the queue never empties).
    for (let second = 0; second < 30; second++) {
      await rt.settle();
      await advance(1_000);
    }
    rt.site('green').faults.setDown(null);
    // Delivery backs off while green is down; let time pass and the schedule re-drive it.
    for (let round = 0; round < 30; round++) {
      rt.forge.fireScheduledTriggers();
      await drain(rt);
      const green = await greenIssue(twin.remoteKey);
      if (green.fields.summary === 'down 199' && green.fields.comment.comments.length === 10) break;
      await advance(60_000);
    }
    const green = await greenIssue(twin.remoteKey);
    expect(green.fields.summary).toBe('down 199');
    const texts = green.fields.comment.comments.map((c: { body: unknown }) => JSON.stringify(c.body));
    expect(texts).toHaveLength(10);
    expect(new Set(texts).size).toBe(10);
  });
});

/** Move the clock the app and the queue see. */
async function advance(ms: number) {
  const { vi } = await import('vitest');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}
