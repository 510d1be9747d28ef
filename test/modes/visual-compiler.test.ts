import { describe, expect, it } from 'vitest';
import { runIncoming, runOutgoing } from '../../src/rules';
import { compileVisualMapping } from '../../src/rules/visual-compiler';
import { basicIncomingScript, basicOutgoingScript } from '../../src/rules/basic';
import { defaultVisualMapping, VisualMapping } from '../../src/domain/visual-mapping';
import { blueIssue, greenLookups } from '../rules/fixtures';

// The compiled programs, run by the same sandbox the engine uses, on fixtures:
// blue (UD) is the inviter, green (SC) the invitee.

function mapping(edit: (m: VisualMapping) => void = () => {}): VisualMapping {
  const m = defaultVisualMapping({ inviter: 'UD', invitee: 'SC' });
  edit(m);
  return VisualMapping.parse(m);
}

async function send(m: VisualMapping, issue = blueIssue()) {
  const run = await runOutgoing({ script: compileVisualMapping(m, 'inviter').outgoing, issue });
  if (!run.ok) throw new Error(run.error.message);
  return run.replica;
}

async function receive(m: VisualMapping, replica: Awaited<ReturnType<typeof send>>, firstSync = true) {
  return runIncoming({ script: compileVisualMapping(m, 'invitee').incoming, replica, previous: null, issue: null, firstSync, lookups: greenLookups() });
}

const withStatus = (values: { inviter: string; invitee: string }[], ifNoMatch: VisualMapping['mappings'][number]['ifNoMatch']) =>
  mapping((m) => {
    const status = m.mappings.find((x) => x.field === 'status')!;
    status.values = values;
    status.ifNoMatch = ifNoMatch;
  });

describe('Visual mapping compiled to rule programs', () => {
  it('sends every default field and creates the twin in the scope project with a fallback type', async () => {
    const m = mapping();
    const replica = await send(m);
    expect(replica.summary).toBe(blueIssue().summary);
    expect(replica.status?.name).toBe('In Progress');
    expect(replica.comments).toHaveLength(3);
    const inc = await receive(m, replica);
    if (!inc.ok) throw new Error(inc.error.message);
    expect(inc.result.issue.projectKey).toBe('SC');
    expect(inc.result.issue.typeName).toBe('Story'); // no Improvement in SC: its default type
    expect(inc.result.status).toBe('In Progress');
    // Omar has no account on green and no fallback is set: the assignee is left as it is, with a warning, not cleared.
    expect(inc.result.issue.assignee).toBeUndefined();
    expect(inc.result.warnings.join(' ')).toContain('Omar Haddad has no account here');
    expect(inc.result.unmapped).toEqual([expect.objectContaining({ displayName: 'Omar Haddad', fellBack: false })]);
    expect(inc.result.issue.reporter?.accountId).toBe('g-jane'); // matched by email
    expect(inc.result.comments.filter((c) => c.op === 'add')).toHaveLength(3);
  });

  it('maps status values and applies "If no matching value"', async () => {
    const issue = { ...blueIssue(), status: { name: 'To Do', category: 'new' as const } };
    const pairs = [{ inviter: 'To Do', invitee: 'Open' }];
    const mapped = await receive(withStatus(pairs, { action: 'nothing' }), await send(withStatus(pairs, { action: 'nothing' }), issue));
    expect(mapped.ok && mapped.result.status).toBe('Open');

    const unmapped = blueIssue(); // In Progress is not in the value mapping
    const nothing = await receive(withStatus(pairs, { action: 'nothing' }), await send(mapping(), unmapped));
    expect(nothing.ok && nothing.result.status).toBeNull();
    const fallback = await receive(withStatus(pairs, { action: 'default', invitee: 'Done' }), await send(mapping(), unmapped));
    expect(fallback.ok && fallback.result.status).toBe('Done');
    const error = await receive(withStatus(pairs, { action: 'error' }), await send(mapping(), unmapped));
    expect(error.ok).toBe(false);
    expect(!error.ok && error.error.message).toContain('No status mapping for "In Progress"');
  });

  it('honours directions, disabled sync, user fallback and custom fields', async () => {
    const m = mapping((x) => {
      x.mappings = x.mappings.filter((y) => y.field !== 'description');
      x.mappings.push({ id: 'desc-back', field: 'description', direction: 'toInviter' });
      x.mappings.find((y) => y.field === 'assignee')!.users = { fallback: { inviter: null, invitee: 'kim@green.example' } };
      x.mappings.push({ id: 'sp', field: 'customField', direction: 'both', customField: { type: 'text', inviter: 'Story Points', invitee: 'Notes' } });
    });
    const replica = await send(m);
    expect(replica.description).toBeUndefined(); // ← only
    const inc = await receive(m, replica);
    if (!inc.ok) throw new Error(inc.error.message);
    expect(inc.result.issue.assignee?.accountId).toBe('g-kim');
    expect(inc.result.issue.customFields?.Notes).toEqual({ type: 'text', value: '3' });

    const disabled = mapping((x) => { x.sync.toInvitee = 'disabled'; });
    const bare = await send(disabled);
    expect(Object.keys(bare).sort()).toEqual(['id', 'key', 'project', 'url'].filter((k) => k in bare).sort());
    expect(bare.summary).toBeUndefined();
    const refused = await receive(disabled, await send(mapping()));
    expect(refused.ok).toBe(false);
  });

  it('Basic rules share comments as public and mirror the type with the default-type fallback', async () => {
    const out = await runOutgoing({ script: basicOutgoingScript(), issue: blueIssue() });
    if (!out.ok) throw new Error(out.error.message);
    expect(out.replica.comments?.every((c) => !c.internal)).toBe(true);
    expect(out.replica.status).toBeUndefined();
    const inc = await runIncoming({ script: basicIncomingScript({ projectKey: 'SC' }), replica: out.replica, previous: null, issue: null, firstSync: true, lookups: greenLookups() });
    if (!inc.ok) throw new Error(inc.error.message);
    expect(inc.result.issue.typeName).toBe('Story');
    expect(inc.result.comments.filter((c) => c.op === 'add')).toHaveLength(3);
    expect(inc.result.comments.every((c) => c.op !== 'add' || !c.internal)).toBe(true);
  });
});
