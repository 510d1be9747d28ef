import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultIncomingScript, defaultOutgoingScript } from '../../src/rules/defaults';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';
import { create, edit, exalate, listed, read, twinOf, type Runtime } from './fields-support';

// Every line the default scripts suggest in comments works when uncommented:
// each suggestion (the commented code under one "…:" line) is uncommented on
// its own, published, and an issue synced and edited through it.

interface Suggestion {
  direction: 'outgoing' | 'incoming';
  title: string;
  script: string;
}

/** The default script with one suggestion's code lines uncommented, for each suggestion in it. */
function suggestions(direction: Suggestion['direction'], script: string): Suggestion[] {
  const lines = script.split('\n');
  const found: Suggestion[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\/\/ .*:$/.test(lines[i]!)) continue;
    const code: number[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('// '); j++) code.push(j);
    if (code.length === 0) continue;
    const variant = lines.map((line, n) => (code.includes(n) ? line.slice(3) : line));
    found.push({ direction, title: lines[i]!.slice(3), script: variant.join('\n') });
  }
  return found;
}

const OUTGOING = defaultOutgoingScript();
const INCOMING = defaultIncomingScript({ projectKey: 'SC' });
const ALL = [...suggestions('outgoing', OUTGOING), ...suggestions('incoming', INCOMING)];

let rt: Runtime;
let blueConnectionId: string;
let greenConnectionId: string;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-03T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId, greenConnectionId } = await connect(rt));
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

async function publish(outgoing: string, incoming: string) {
  await invoke(rt, 'blue', 'publishRules', { connectionId: blueConnectionId, outgoing, incoming: defaultIncomingScript({ projectKey: 'UD' }) });
  await invoke(rt, 'green', 'publishRules', { connectionId: greenConnectionId, outgoing: defaultOutgoingScript(), incoming });
}

describe('suggested lines of the default scripts', () => {
  it('finds the suggestions it is to try', () => {
    expect(ALL.map((s) => `${s.direction}: ${s.title}`)).toEqual(expect.arrayContaining(['outgoing: Custom fields, by name:', 'incoming: Custom fields, by name:', 'incoming: Status mapping, remote name → local name:']));
    expect(ALL.length).toBeGreaterThanOrEqual(9);
  });

  it.each(ALL.map((s) => [`${s.direction}: ${s.title}`, s] as const))('%s works when uncommented', async (_title, suggestion) => {
    await publish(suggestion.direction === 'outgoing' ? suggestion.script : OUTGOING, suggestion.direction === 'incoming' ? suggestion.script : INCOMING);
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: `Suggestion: ${suggestion.title}`, customfield_10022: 3, assignee: { accountId: '712020:b1e00000-2222-4000-8000-000000000002' } });
    await jira(rt, 'blue', 'POST', `/issue/${issue.key}/comment`, { body: adf('A first note') });
    const twin = await exalate(rt, blueConnectionId, issue.key);
    expect(twin.error?.message ?? null).toBeNull();
    expect(twin.status).toBe('synchronized');

    await edit(rt, 'blue', issue.key, { summary: `Suggestion, edited: ${suggestion.title}`, customfield_10022: 5 });
    const transitions = (await jira(rt, 'blue', 'GET', `/issue/${issue.key}/transitions`)).body.transitions as { id: string; to: { name: string } }[];
    await jira(rt, 'blue', 'POST', `/issue/${issue.key}/transitions`, { transition: { id: transitions.find((t) => t.to.name === 'In Progress')!.id } });
    await drain(rt);
    expect((await twinOf(rt, 'blue', issue.key)).status).toBe('synchronized');
    expect((await twinOf(rt, 'green', twin.remoteKey)).status).toBe('synchronized');
    expect((await read(rt, 'green', twin.remoteKey)).fields.summary).toBe(`Suggestion, edited: ${suggestion.title}`);
    const errors = (await listed(rt, 'green', greenConnectionId)).filter((e) => e.issueKey === twin.remoteKey && e.severity !== 'warning');
    expect(errors).toEqual([]);
  });

  it('carries a custom field with both custom-field suggestions uncommented', async () => {
    const out = suggestions('outgoing', OUTGOING).find((s) => s.title === 'Custom fields, by name:')!;
    const inc = suggestions('incoming', INCOMING).find((s) => s.title === 'Custom fields, by name:')!;
    await publish(out.script, inc.script);
    const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: 'Story points travel', customfield_10022: 3 });
    const twin = await exalate(rt, blueConnectionId, issue.key);
    expect((await read(rt, 'green', twin.remoteKey)).fields.customfield_10032).toBe(3);
    await edit(rt, 'blue', issue.key, { customfield_10022: 8 });
    await drain(rt);
    expect((await read(rt, 'green', twin.remoteKey)).fields.customfield_10032).toBe(8);
  });
});
