import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';
import { addRules, create, edit, exalate, history, listed, read, twinOf, type Runtime } from './fields-support';

// Every custom field type an admin syncs, each written the way the receiving
// field takes it (UD ↔ SC: the same names, other ids and option ids), only
// when it changed; a value the other side refuses costs that one field unless
// the connection is strict.

const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11'; // on both sites
const HUGO = '712020:96ee0000-2222-4000-8000-000000000002'; // green only
const DAN = '712020:b1e00000-4444-4000-8000-000000000004'; // administers UD, no Jira admin

/** Field name → [blue id, green id]. */
const IDS = {
  Customer: ['customfield_10020', 'customfield_10030'],
  Severity: ['customfield_10021', 'customfield_10031'],
  'Story Points': ['customfield_10022', 'customfield_10032'],
  Reviewer: ['customfield_10023', 'customfield_10033'],
  Tags: ['customfield_10024', 'customfield_10034'],
  Notes: ['customfield_10025', 'customfield_10035'],
  'Target date': ['customfield_10026', 'customfield_10036'],
  'Deployed at': ['customfield_10027', 'customfield_10037'],
  'Design link': ['customfield_10028', 'customfield_10038'],
  Platforms: ['customfield_10029', 'customfield_10039'],
  Region: ['customfield_10040', 'customfield_10050'],
  'Review checks': ['customfield_10041', 'customfield_10051'],
  Approvers: ['customfield_10042', 'customfield_10052'],
} as const;
type Name = keyof typeof IDS;
const id = (site: 'blue' | 'green', name: Name) => IDS[name][site === 'blue' ? 0 : 1];
const fieldsOn = (site: 'blue' | 'green', values: Partial<Record<Name, unknown>>) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [id(site, name as Name), value]));

/** A field's value reduced to what a person compares: option values, account ids, text. */
function shown(value: any): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(shown);
  if (typeof value === 'object' && 'accountId' in value) return value.accountId;
  if (typeof value === 'object' && 'value' in value) return value.child ? `${value.value} / ${value.child.value}` : value.value;
  return value;
}

let rt: Runtime;
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-02T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId, greenConnectionId } = await connect(rt));
  for (const [site, connectionId] of [['blue', blueConnectionId], ['green', greenConnectionId]] as const) {
    await addRules(rt, site, connectionId, {
      outgoing: 'replica.customFields = issue.customFields;',
      incoming: 'for (const name of Object.keys(replica.customFields ?? {})) issue.customFields[name] = replica.customFields[name];',
    });
  }
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const EVERY_TYPE = {
  Customer: 'Acme',
  Severity: { value: 'Major' },
  'Story Points': 5,
  Reviewer: { accountId: SAM },
  Tags: ['beta', 'checkout'],
  Notes: adf('Seen on every browser'),
  'Target date': '2026-12-24',
  'Deployed at': '2026-12-01T10:30:00.000+0000',
  'Design link': 'https://design.example.com/checkout',
  Platforms: [{ value: 'Web' }, { value: 'iOS' }],
  Region: { value: 'Europe', child: { value: 'Germany' } },
  'Review checks': [{ value: 'Security' }],
  Approvers: [{ accountId: SAM }],
} satisfies Record<Name, unknown>;

const expected = {
  Customer: 'Acme',
  Severity: 'Major',
  'Story Points': 5,
  Reviewer: SAM,
  Tags: ['beta', 'checkout'],
  Notes: adf('Seen on every browser'),
  'Target date': '2026-12-24',
  'Deployed at': '2026-12-01T10:30:00.000+0000',
  'Design link': 'https://design.example.com/checkout',
  Platforms: ['Web', 'iOS'],
  Region: 'Europe / Germany',
  'Review checks': ['Security'],
  Approvers: [SAM],
};

async function valuesOn(site: 'blue' | 'green', key: string) {
  const issue = await read(rt, site, key);
  return Object.fromEntries((Object.keys(IDS) as Name[]).map((name) => [name, shown(issue.fields[id(site, name)])]));
}

describe('custom fields, each by its type', () => {
  let blueKey: string;
  let greenKey: string;

  it('carries text, rich text, number, date, date-time, URL, selects, cascade, checkboxes, labels and people on the first sync', async () => {
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Every field', ...fieldsOn('blue', EVERY_TYPE) });
    const twin = await exalate(rt, blueConnectionId, issue.key);
    expect(twin.status).toBe('synchronized');
    blueKey = issue.key;
    greenKey = twin.remoteKey;
    expect(await valuesOn('green', greenKey)).toEqual(expected);
  });

  it('writes only what changed: a summary edit leaves every custom field alone on both sides', async () => {
    const before = (await jira(rt, 'blue', 'GET', `/issue/${blueKey}/changelog`)).body.values.length as number;
    await edit(rt, 'green', greenKey, { summary: 'Every field, renamed' });
    await drain(rt);
    const changelog = (await jira(rt, 'blue', 'GET', `/issue/${blueKey}/changelog`)).body.values as { items: { field: string }[] }[];
    expect(changelog.slice(before).flatMap((h) => h.items.map((i) => i.field))).toEqual(['summary']);
    expect(await valuesOn('blue', blueKey)).toEqual(expected);
    expect(await valuesOn('green', greenKey)).toEqual(expected);
  });

  it('carries edits of every type back, clearing included', async () => {
    await edit(rt, 'green', greenKey, fieldsOn('green', {
      Customer: null,
      Severity: { value: 'Critical' },
      'Story Points': 8.5,
      Reviewer: null,
      Tags: ['checkout'],
      Notes: adf('Only on Safari'),
      'Target date': '2027-01-15',
      'Deployed at': '2026-12-03T08:00:00.000+0000',
      'Design link': null,
      Platforms: [{ value: 'Android' }],
      Region: { value: 'Asia', child: { value: 'Japan' } },
      'Review checks': [],
      Approvers: [],
    }));
    await drain(rt);
    expect(await valuesOn('blue', blueKey)).toEqual({
      Customer: null,
      Severity: 'Critical',
      'Story Points': 8.5,
      Reviewer: null,
      Tags: ['checkout'],
      Notes: adf('Only on Safari'),
      'Target date': '2027-01-15',
      'Deployed at': '2026-12-03T08:00:00.000+0000',
      'Design link': null,
      Platforms: ['Android'],
      Region: 'Asia / Japan',
      'Review checks': null,
      Approvers: null,
    });
  });

  it('skips a value blue refuses (an option or a person it does not have) with a warning, and syncs the rest', async () => {
    await edit(rt, 'green', greenKey, { summary: 'Refused values', ...fieldsOn('green', { Severity: { value: 'Trivial' }, Region: { value: 'Europe', child: { value: 'Spain' } }, Reviewer: { accountId: HUGO }, 'Story Points': 13 }) });
    await drain(rt);
    const blue = await valuesOn('blue', blueKey);
    expect((await read(rt, 'blue', blueKey)).fields.summary).toBe('Refused values');
    expect(blue).toMatchObject({ Severity: 'Critical', Region: 'Asia / Japan', Reviewer: null, 'Story Points': 13 });
    expect((await twinOf(rt, 'blue', blueKey)).status).toBe('synchronized');

    const entry = (await history(rt, 'blue', blueKey)).find((e) => e.direction === 'in')!;
    expect(entry.warnings!.filter((w) => /was not synced: Jira here refused/.test(w)).map((w) => w.split('"')[1]).sort()).toEqual(['Region', 'Reviewer', 'Severity']);
    expect(entry.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['summary', 'customFields.Story Points']));
    expect(entry.changes.map((c) => c.field)).not.toContain('customFields.Severity');
    const refusals = (await listed(rt, 'blue', blueConnectionId)).filter((e) => e.kind === 'value-refused' && e.issueKey === blueKey);
    expect(refusals).toHaveLength(3);
    expect(refusals.every((e) => e.severity === 'warning')).toBe(true);
  });

  it('pauses the issue instead when the connection is strict, which only a Jira admin may switch on', async () => {
    await expect(invoke(rt, 'blue', 'setStrictValues', { connectionId: blueConnectionId, strict: true }, { accountId: DAN })).rejects.toThrow(/403/);
    const answer = await invoke<{ connection: { strictValues: boolean } }>(rt, 'blue', 'setStrictValues', { connectionId: blueConnectionId, strict: true });
    expect(answer.connection.strictValues).toBe(true);

    await edit(rt, 'green', greenKey, { summary: 'Strict now', ...fieldsOn('green', { Platforms: [{ value: 'Windows' }] }) });
    await drain(rt);
    const twin = await twinOf(rt, 'blue', blueKey);
    expect(twin.status).toBe('error');
    expect(twin.error?.message).toMatch(/customfield_10029/);
    expect((await read(rt, 'blue', blueKey)).fields.summary).toBe('Refused values');

    await invoke(rt, 'blue', 'setStrictValues', { connectionId: blueConnectionId, strict: false });
    expect((await invoke<{ connections: { id: string; strictValues: boolean }[] }>(rt, 'blue', 'listConnections')).connections.find((c) => c.id === blueConnectionId)?.strictValues).toBe(false);
  });
});
