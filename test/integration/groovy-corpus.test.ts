import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultIncomingScript, defaultOutgoingScript } from '../../src/rules/defaults';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';

// The corpus of Exalate-style Groovy rules (test/rules/groovy-corpus/), each
// translated by the `translateGroovy` resolver as the editor calls it,
// published on a Script connection blue UD → green SC, and run end to end:
// an issue is made on blue, exalated, and the twin on green is checked. An
// outgoing rule is published on blue (green keeps its default incoming rule);
// an incoming rule on green (blue keeps its default outgoing rule); a pair
// names both.

const corpusDir = join(import.meta.dirname, '../rules/groovy-corpus');
const corpus = new Map(readdirSync(corpusDir).filter((f) => f.endsWith('.groovy')).map((f) => [f.slice(0, 2), readFileSync(join(corpusDir, f), 'utf8')]));

const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const GREEN_CF = { storyPoints: 'customfield_10032', severity: 'customfield_10031', customer: 'customfield_10030' };

type Rt = Awaited<ReturnType<typeof twoSites>>;
let rt: Rt;
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  // The clock moves only as the tests move it, so bursts of work spread over time as they would on Forge (drain).
  vi.useFakeTimers({ toFake: ['Date'] });
  rt = await twoSites();
  ({ blueConnectionId, greenConnectionId } = await connect(rt));
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

function directionOf(source: string): 'outgoing' | 'incoming' {
  const match = /^\/\/ direction: (outgoing|incoming)$/m.exec(source);
  if (!match) throw new Error('A corpus rule must say its direction in its header');
  return match[1] as 'outgoing' | 'incoming';
}

async function translated(id: string): Promise<string> {
  const source = corpus.get(id);
  if (!source) throw new Error(`No corpus rule ${id}`);
  const out = await invoke<{ script: string; unsupported: unknown[] }>(rt, 'blue', 'translateGroovy', { source, direction: directionOf(source) });
  expect(out.unsupported, `rule ${id}`).toEqual([]);
  return out.script;
}

/** Publishes the translated rules: outgoing ones on blue, incoming ones on green; the other scripts go back to the defaults. */
async function publish(ids: string[]): Promise<void> {
  let blueOutgoing = defaultOutgoingScript();
  let greenIncoming = defaultIncomingScript({ projectKey: 'SC' });
  for (const id of ids) {
    const script = await translated(id);
    if (directionOf(corpus.get(id)!) === 'outgoing') blueOutgoing = script;
    else greenIncoming = script;
  }
  const blue = await invoke<{ incoming: string }>(rt, 'blue', 'getRules', { connectionId: blueConnectionId });
  await invoke(rt, 'blue', 'publishRules', { connectionId: blueConnectionId, outgoing: blueOutgoing, incoming: blue.incoming });
  const green = await invoke<{ outgoing: string }>(rt, 'green', 'getRules', { connectionId: greenConnectionId });
  await invoke(rt, 'green', 'publishRules', { connectionId: greenConnectionId, outgoing: green.outgoing, incoming: greenIncoming });
}

interface BlueIssue {
  summary?: string;
  type?: string;
  labels?: string[];
  description?: string;
  priority?: string;
  assignee?: string;
  dueDate?: string;
  fields?: Record<string, unknown>;
  comments?: { text: string; internal?: boolean; as?: string }[];
  status?: string;
}

async function blueIssue(spec: BlueIssue): Promise<string> {
  const created = await jira(rt, 'blue', 'POST', '/issue', {
    fields: {
      project: { key: 'UD' },
      issuetype: { name: spec.type ?? 'Task' },
      summary: spec.summary ?? 'Corpus issue',
      ...(spec.description ? { description: adf(spec.description) } : {}),
      ...(spec.labels ? { labels: spec.labels } : {}),
      ...(spec.priority ? { priority: { name: spec.priority } } : {}),
      ...(spec.assignee ? { assignee: { accountId: spec.assignee } } : {}),
      ...(spec.dueDate ? { duedate: spec.dueDate } : {}),
      ...spec.fields,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const key: string = created.body.key;
  for (const c of spec.comments ?? []) {
    const headers: Record<string, string> = c.as ? { authorization: rt.site('blue').credentialsFor(c.as)! } : {};
    const added = await jira(rt, 'blue', 'POST', `/issue/${key}/comment`, { body: adf(c.text), ...(c.internal ? { properties: [{ key: 'sd.public.comment', value: { internal: true } }] } : {}) }, headers);
    expect(added.status).toBe(201);
  }
  if (spec.status) await transition('blue', key, spec.status);
  return key;
}

async function transition(site: string, key: string, status: string): Promise<void> {
  const { body } = await jira<{ transitions: { id: string; to: { name: string } }[] }>(rt, site, 'GET', `/issue/${key}/transitions`);
  const t = body.transitions.find((x) => x.to.name === status);
  if (!t) throw new Error(`No transition to ${status} on ${key}`);
  expect((await jira(rt, site, 'POST', `/issue/${key}/transitions`, { transition: { id: t.id } })).status).toBe(204);
}

/** Exalates the blue issue and answers its twin on green (null when none was made). */
async function syncToGreen(key: string): Promise<Record<string, any> | null> {
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: key });
  await drain(rt);
  const status = await invoke<{ twins: { remoteKey?: string | null }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: key });
  const remoteKey = status.twins[0]?.remoteKey;
  if (!remoteKey) return null;
  return readGreen(remoteKey);
}

async function readGreen(key: string): Promise<Record<string, any>> {
  const green = await jira(rt, 'green', 'GET', `/issue/${key}`);
  expect(green.status).toBe(200);
  return green.body;
}

const textOf = (doc: unknown): string => {
  const walk = (n: any): string => (n?.text ?? '') + (Array.isArray(n?.content) ? n.content.map(walk).join(n.type === 'doc' ? '\n' : '') : '');
  return walk(doc);
};
const commentTexts = (issue: Record<string, any>): string[] => (issue.fields.comment?.comments ?? []).map((c: { body: unknown }) => textOf(c.body));

describe('the Groovy corpus, translated and synced end to end', () => {
  it('holds at least 25 rules, each with a header saying what it does and in which direction', () => {
    expect(corpus.size).toBeGreaterThanOrEqual(25);
    for (const [id, source] of corpus) {
      expect(source, id).toMatch(/^\/\/ direction: (outgoing|incoming)\n\/\/ What it does: .+\n(\/\/ .*\n)*\/\/ Expected.*: .+/m);
      directionOf(source);
    }
  });

  it('01 outgoing default fields', async () => {
    await publish(['01']);
    const green = await syncToGreen(await blueIssue({ summary: 'Default fields', description: 'Body text', labels: ['alpha'] }));
    expect(green!.fields.summary).toBe('Default fields');
    expect(textOf(green!.fields.description)).toBe('Body text');
    expect(green!.fields.labels).toEqual(['alpha']);
  });

  it('02 outgoing: public comments only', async () => {
    await publish(['02']);
    const green = await syncToGreen(await blueIssue({ summary: 'Comments', comments: [{ text: 'Public note' }, { text: 'Internal note', internal: true }] }));
    const texts = commentTexts(green!).join('\n');
    expect(texts).toContain('Public note');
    expect(texts).not.toContain('Internal note');
  });

  it('03 outgoing: comments filtered by a tag in their text', async () => {
    await publish(['03']);
    const green = await syncToGreen(await blueIssue({ summary: 'Tagged', comments: [{ text: 'Please look [sync]' }, { text: 'Just for us' }] }));
    const texts = commentTexts(green!).join('\n');
    expect(texts).toContain('Please look [sync]');
    expect(texts).not.toContain('Just for us');
  });

  it('04 outgoing: return skips the rest for confidential issues', async () => {
    await publish(['04']);
    const green = await syncToGreen(await blueIssue({ summary: 'Secret plan', description: 'Top secret', labels: ['confidential'] }));
    expect(green!.fields.summary).toBe('Secret plan');
    expect(green!.fields.description ?? null).toBeNull();
    expect(green!.fields.labels).toEqual([]);
  });

  it('05 outgoing: summary built with a GString', async () => {
    await publish(['05']);
    const key = await blueIssue({ summary: 'Prefixed' });
    const green = await syncToGreen(key);
    expect(green!.fields.summary).toBe(`[${key}] Prefixed`);
  });

  it('06 outgoing: labels through closures, plus one added', async () => {
    await publish(['06']);
    const green = await syncToGreen(await blueIssue({ summary: 'Labels', labels: ['Frontend', 'internal', 'UX'] }));
    expect([...green!.fields.labels].sort()).toEqual(['from-blue', 'frontend', 'ux']);
  });

  it('07 + 08: custom fields by name, out and in', async () => {
    await publish(['07', '08']);
    const green = await syncToGreen(
      await blueIssue({ summary: 'Custom fields', fields: { customfield_10022: 8, customfield_10021: { value: 'Major' }, customfield_10020: 'Acme Corp' } }),
    );
    expect(green!.fields[GREEN_CF.storyPoints]).toBe(8);
    expect(green!.fields[GREEN_CF.severity]).toMatchObject({ value: 'Major' });
    expect(green!.fields[GREEN_CF.customer]).toBe('ACME CORP');
  });

  it('09 incoming: status map', async () => {
    await publish(['09']);
    const open = await syncToGreen(await blueIssue({ summary: 'Status to do' }));
    expect(open!.fields.status.name).toBe('Open');
    const moving = await syncToGreen(await blueIssue({ summary: 'Status moving', status: 'In Progress' }));
    expect(moving!.fields.status.name).toBe('In Progress');
  });

  it('10 incoming: priority map', async () => {
    await publish(['10']);
    expect((await syncToGreen(await blueIssue({ summary: 'Urgent', priority: 'Highest' })))!.fields.priority.name).toBe('High');
    expect((await syncToGreen(await blueIssue({ summary: 'Trivial', priority: 'Lowest' })))!.fields.priority.name).toBe('Low');
  });

  it('11 incoming: assignee by email', async () => {
    await publish(['11']);
    const green = await syncToGreen(await blueIssue({ summary: 'Assigned', assignee: SAM }));
    expect(green!.fields.assignee?.accountId).toBe(SAM);
  });

  it('12 incoming: first sync creates in SC with a mapped type', async () => {
    await publish(['12']);
    const green = await syncToGreen(await blueIssue({ summary: 'An improvement', type: 'Improvement' }));
    expect(green!.key).toMatch(/^SC-/);
    expect(green!.fields.issuetype.name).toBe('Story');
  });

  it('13 incoming: merged comments with a prefix', async () => {
    await publish(['13']);
    const green = await syncToGreen(await blueIssue({ summary: 'Prefixed comments', comments: [{ text: 'Looks good', as: BEN }] }));
    const texts = commentTexts(green!);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^\[Blue\] Ben Carter, on BlueJira:/);
    expect(texts[0]).toContain('Looks good');
  });

  it('14 incoming: return keeps a frozen issue as it is', async () => {
    await publish(['14']);
    const key = await blueIssue({ summary: 'Before freeze', labels: ['active'] });
    const green = await syncToGreen(key);
    expect(green!.fields.summary).toBe('Before freeze');
    await jira(rt, 'blue', 'PUT', `/issue/${key}`, { fields: { summary: 'After freeze', labels: ['active', 'frozen'] } });
    await drain(rt);
    const after = await readGreen(green!.key);
    expect(after.fields.summary).toBe('Before freeze');
    expect(after.fields.labels).toEqual(['active']);
  });

  it('15 incoming: prefixed labels without duplicates', async () => {
    await publish(['15']);
    const green = await syncToGreen(await blueIssue({ summary: 'Prefixed labels', labels: ['ui', 'login'] }));
    expect([...green!.fields.labels].sort()).toEqual(['blue-login', 'blue-ui']);
  });

  it('16 incoming: description with its origin, reading the rich text', async () => {
    await publish(['16']);
    const key = await blueIssue({ summary: 'Described', description: 'Steps to reproduce' });
    const green = await syncToGreen(key);
    expect(textOf(green!.fields.description)).toBe(`Synced from ${key}: Steps to reproduce`);
  });

  it('17 + 18: a custom key read by the other side', async () => {
    await publish(['17', '18']);
    const green = await syncToGreen(await blueIssue({ summary: 'Custom key', status: 'In Progress' }));
    expect(green!.fields.labels).toEqual(['status-in-progress']);
  });

  it('19 incoming: switch on the type', async () => {
    await publish(['19']);
    expect((await syncToGreen(await blueIssue({ summary: 'Crash', type: 'Bug' })))!.fields.summary).toBe('BUG: Crash');
    expect((await syncToGreen(await blueIssue({ summary: 'Chore', type: 'Task' })))!.fields.summary).toBe('Chore');
  });

  it('20 outgoing: comment author written into the text', async () => {
    await publish(['20']);
    const green = await syncToGreen(await blueIssue({ summary: 'Authors', comments: [{ text: 'Mockups attached', as: BEN }] }));
    expect(commentTexts(green!).join('\n')).toContain('Ben Carter wrote: Mockups attached');
  });

  it('21 + 22: due date (Exalate\'s `due`) and priority', async () => {
    await publish(['22', '21']);
    const green = await syncToGreen(await blueIssue({ summary: 'Due', dueDate: '2026-03-01', priority: 'Low' }));
    expect(green!.fields.duedate).toBe('2026-03-01');
    expect(green!.fields.priority.name).toBe('Low');
  });

  it('23 incoming: labels built in an each loop with <<', async () => {
    await publish(['23']);
    const green = await syncToGreen(await blueIssue({ summary: 'Each', labels: ['ui', 'login', 'mobile'] }));
    expect([...green!.fields.labels].sort()).toEqual(['LOGIN', 'MOBILE']);
  });

  it('24 incoming: only comments marked #public, found with a regex', async () => {
    await publish(['24']);
    const green = await syncToGreen(await blueIssue({ summary: 'Public keyword', comments: [{ text: 'Share this #PUBLIC' }, { text: 'Keep this' }] }));
    const texts = commentTexts(green!).join('\n');
    expect(texts).toContain('Share this #PUBLIC');
    expect(texts).not.toContain('Keep this');
  });

  it('25 incoming: debug.error refuses an issue with a message', async () => {
    await publish(['25']);
    const key = await blueIssue({ summary: 'FORBIDDEN import' });
    expect(await syncToGreen(key)).toBeNull();
    const errors = await invoke<{ errors: { message: string }[] }>(rt, 'green', 'listErrors', {});
    expect(errors.errors.map((e) => e.message).join('\n')).toContain(`Issue ${key} must not be synced to SC`);
  });

  it('26 outgoing: card numbers masked with a regex', async () => {
    await publish(['26']);
    const green = await syncToGreen(await blueIssue({ summary: 'Paid with 4111-1111-1111-1111 twice' }));
    expect(green!.fields.summary).toBe('Paid with **** twice');
  });

  it('27 incoming: ?: treats an empty label list as nothing', async () => {
    await publish(['27']);
    const green = await syncToGreen(await blueIssue({ summary: 'No labels' }));
    expect(green!.fields.labels).toEqual(['unlabelled']);
  });

  it('28 incoming: a map searched with find, into a custom field', async () => {
    await publish(['28']);
    const green = await syncToGreen(await blueIssue({ summary: 'Team', labels: ['ui', 'login'] }));
    expect(green!.fields[GREEN_CF.customer]).toBe('Auth team');
  });
});
