import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, drain, invoke, jira, twoSites } from './helpers';
import { defaultIncomingScript, defaultOutgoingScript } from '../../src/rules';
import { partnerNamesKey, sharedNamesKey } from '../../src/sync/partner-names';

// A remote partner's names: each side sends its projects, types, statuses,
// priorities, resolutions and fields in its daily names check (only when they
// changed), and the other side holds what its rules name on the partner's side
// against them, at publish and as drift. blue and green are two sites here.

let rt: Awaited<ReturnType<typeof twoSites>>;
let ids: { blueConnectionId: string; greenConnectionId: string };
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-04T09:00:00Z'));
  rt = await twoSites();
  ids = await connect(rt);
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

interface Warning { script: string; line: number; kind: string; side: string; name: string; message: string; suggestion?: string }
type Publish = { saved: boolean; warnings: Warning[] };
const outgoing = defaultOutgoingScript();
/** Green's incoming rules with a status map: its keys are blue's statuses, its values green's. */
const withMap = (map: Record<string, string>) => `${defaultIncomingScript({ projectKey: 'SC' })}\nissue.setStatus(${JSON.stringify(map)}[replica.status.name] ?? "Open");\n`;
const publish = (incoming: string, acceptWarnings = false) =>
  invoke<Publish>(rt, 'green', 'publishRules', { connectionId: ids.greenConnectionId, outgoing, incoming, ...(acceptWarnings ? { acceptWarnings } : {}) });
const maintenance = async () => {
  rt.forge.fireScheduledTriggers();
  await drain(rt);
};
const stored = (site: string, key: string) => rt.forge.kvs.storedValue(rt.forge.installation(site).installationId, key) as Record<string, any> | undefined;
const ruleErrors = async () =>
  (await invoke<{ errors: { phase: string; kind: string; message: string }[] }>(rt, 'green', 'listErrors', { connectionId: ids.greenConnectionId })).errors.filter((e) => e.phase === 'rules');

describe('partner names', () => {
  it('before the partner sent its names, its names are not judged: a wrong one publishes without a warning', async () => {
    expect(stored('green', partnerNamesKey(ids.greenConnectionId))).toBeUndefined();
    expect(await publish(withMap({ Todo: 'Open' }))).toMatchObject({ saved: true, warnings: [] });
  });

  it('the first maintenance pass sends each side its partner’s names; a wrong partner status is then told at publish', async () => {
    await maintenance();
    expect(stored('green', partnerNamesKey(ids.greenConnectionId))).toBeDefined();
    expect(stored('blue', partnerNamesKey(ids.blueConnectionId))).toBeDefined();
    // Of blue's projects, only the connection's is named to green (blue has others).
    expect((await jira<{ values: unknown[] }>(rt, 'blue', 'GET', '/project/search')).body.values.length).toBeGreaterThan(1);
    expect(stored('green', partnerNamesKey(ids.greenConnectionId))!.names.projects).toEqual(['UD']);
    expect(Object.keys(stored('green', partnerNamesKey(ids.greenConnectionId))!.names.issueTypes)).toEqual(['UD']);

    const incoming = withMap({ Todo: 'Open', Done: 'Done' });
    const answer = await publish(incoming);
    expect(answer.saved).toBe(false);
    expect(answer.warnings).toEqual([
      {
        script: 'incoming',
        line: incoming.split('\n').findIndex((l) => l.includes('"Todo"')) + 1,
        kind: 'status',
        side: 'partner',
        name: 'Todo',
        suggestion: 'To Do',
        message: 'No status "Todo" on the partner’s site; did you mean "To Do"?',
      },
    ]);
    // A partner field and a partner issue type are judged the same way; blue's own names pass.
    const fields = `${defaultIncomingScript({ projectKey: 'SC' })}\nif (replica.type.name == "Bugg") issue.labels = ["x"];\nissue.customFields["Severity"] = replica.customFields["Severty"];\n`;
    expect((await publish(fields)).warnings.map((w) => [w.side, w.kind, w.name, w.suggestion])).toEqual([
      ['partner', 'issueType', 'Bugg', 'Bug'],
      ['partner', 'field', 'Severty', 'Severity'],
    ]);
    expect(await publish(withMap({ 'To Do': 'Open', Done: 'Done' }))).toMatchObject({ saved: true, warnings: [] });
  });

  it('names that did not change are not sent again', async () => {
    const before = stored('blue', sharedNamesKey(ids.blueConnectionId))!;
    const held = stored('green', partnerNamesKey(ids.greenConnectionId))!;
    vi.setSystemTime(Date.now() + 25 * 60 * 60_000);
    await maintenance();
    const after = stored('blue', sharedNamesKey(ids.blueConnectionId))!;
    expect(after.checkedAt).toBeGreaterThan(before.checkedAt);
    expect(after.sentAt).toBe(before.sentAt);
    expect(stored('green', partnerNamesKey(ids.greenConnectionId))).toEqual(held);
  });

  it('a status renamed on the partner’s site reaches this side as drift at its next pass after the partner’s daily check', async () => {
    // blue's "To Do" becomes "Queued"; green's published map still names "To Do".
    const toDo = (await jira<{ values: { id: string; name: string }[] }>(rt, 'blue', 'GET', '/statuses/search?searchString=to%20do')).body.values.find((s) => s.name === 'To Do')!;
    const renamed = await jira(rt, 'blue', 'PUT', '/statuses', { statuses: [{ id: toDo.id, name: 'Queued', statusCategory: 'TODO' }] });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(204);
    vi.setSystemTime(Date.now() + 25 * 60 * 60_000);
    await maintenance(); // blue's daily check sends its new names; green marks a recheck
    await maintenance(); // green checks at once, not a day later
    const drift = await ruleErrors();
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ kind: 'rule-name-missing' });
    expect(drift[0]!.message).toContain('status "To Do" (the incoming script, line');
    expect(drift[0]!.message).toContain('which the partner’s site no longer has');
    expect(stored('green', partnerNamesKey(ids.greenConnectionId))!.names.statuses).toContain('Queued');
  });
});
