import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, drain, twoSites } from './helpers';
import { addRules, create, edit, exalate, read, type Runtime } from './fields-support';

// Rule helpers answer in outgoing scripts too and find any person of the
// site; a value the incoming script derives lands although the partner did not
// change that very field, unless this side changed it more recently.

let rt: Runtime;
let blueConnectionId: string;

const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const JACK = '712020:96ee0000-4444-4000-8000-000000000004';

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-05T09:00:00Z'));
  rt = await twoSites();
  const connection = await connect(rt);
  blueConnectionId = connection.blueConnectionId;
  await addRules(rt, 'blue', blueConnectionId, {
    // Outgoing look-ups: a priority's id and a person the issue does not name, by email and by account id.
    outgoing: `replica.customKeys = {
  highId: nodeHelper.getPriority("High")?.id ?? null,
  lead: nodeHelper.getUserByEmail("dan.evans@blue.example.com")?.displayName ?? null,
  byId: nodeHelper.getUserByAccountId("${DAN}")?.displayName ?? null,
};`,
  });
  await addRules(rt, 'green', connection.greenConnectionId, {
    incoming: `
issue.priority = nodeHelper.getPriority(replica.priority?.name) ?? issue.priority;
// Labels derived from the priority, and the blue lead's name in a custom field.
if (replica.priority?.name === "Highest") issue.labels = [...new Set([...(issue.labels ?? []), "hot"])];
issue.customFields["Customer"] = { type: "text", value: [replica.customKeys?.lead, replica.customKeys?.byId, replica.customKeys?.highId].join(" / ") };
// A documented fallback: anyone of this site, found by email although the replica never names them.
issue.assignee = nodeHelper.getUserByEmail(replica.assignee?.email) ?? nodeHelper.getUserByEmail("jack.king@green.example.com");
`,
  });
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

describe('rule helpers and script writes', () => {
  it('answers nodeHelper look-ups in the outgoing script, and finds anyone of the site by email in the incoming one', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Helpers everywhere' });
    const twin = await exalate(rt, blueConnectionId, issue.key);
    await edit(rt, 'blue', issue.key, { summary: 'Helpers everywhere, edited' });
    await drain(rt);
    const green = await read(rt, 'green', twin.remoteKey);
    expect(green.fields.customfield_10030).toBe('Dan Evans / Dan Evans / 2');
    expect(green.fields.assignee?.accountId).toBe(JACK);
  });

  it('writes labels the script derives from the priority, which the partner changed, not its labels', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Derived labels', labels: ['web'] });
    const twin = await exalate(rt, blueConnectionId, issue.key);
    await edit(rt, 'blue', issue.key, { priority: { name: 'Highest' } });
    await drain(rt);
    const green = await read(rt, 'green', twin.remoteKey);
    expect(green.fields.priority.name).toBe('Highest');
    expect([...green.fields.labels].sort()).toEqual(['hot', 'web']);
  });

  // Blue's replica (an edit leaves from the invocation of its product event) reaches green before green's
  // own product event for the later label edit: green finds that edit in the issue's history, sends it
  // first stamped with when it was made, and so keeps it over the labels derived from the older replica.
  it('keeps a field changed here after the partner\'s change, rather than a value the script derived from an older replica', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Derived, but later here', labels: ['web'] });
    const twin = await exalate(rt, blueConnectionId, issue.key);
    await edit(rt, 'blue', issue.key, { priority: { name: 'Highest' } });
    // A second later, before blue's change has arrived, a person on green sets the labels.
    vi.setSystemTime(Date.now() + 1_000);
    await edit(rt, 'green', twin.remoteKey, { labels: ['mine'] });
    await drain(rt);
    const green = await read(rt, 'green', twin.remoteKey);
    expect(green.fields.priority.name).toBe('Highest');
    expect(green.fields.labels).toEqual(['mine']);
    expect((await read(rt, 'blue', issue.key)).fields.labels).toEqual(['mine']);
  });
});
