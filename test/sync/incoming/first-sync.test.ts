import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM_TAKEOVER_MS, createLocalIssue } from '../../../src/sync/incoming/first-sync';
import { connection, receivingSide } from './helpers';

// A first replica makes the issue here exactly once, whatever retries and
// crashes do: the creation is claimed, and its issue id written down at once.

const message = { issueKey: 'UD-7', replica: { url: 'https://blue.example/browse/UD-7' } };
let side: Awaited<ReturnType<typeof receivingSide>>;
afterEach(() => side?.close());

describe('first sync', () => {
  it('creates the issue with the desired fields, a twin and the exalate property', async () => {
    side = await receivingSide();
    const made = await createLocalIssue(side.platform, side.jira, side.twins, connection, '10007', message, { summary: 'From blue', typeName: 'Bug' }, side.catalog);
    if (made.kind !== 'done') throw new Error('expected the issue to be made');
    expect(made.twin).toMatchObject({ remoteIssueId: '10007', remoteKey: 'UD-7', origin: 'remote' });
    const issue = await side.jira.issues.get(made.twin.localKey, { fields: ['summary', 'issuetype', 'project'] });
    expect(issue.fields).toMatchObject({ summary: 'From blue', issuetype: { name: 'Bug' }, project: { key: 'SC' } });
    expect(await side.jira.properties.get(made.twin.localIssueId, 'exalate')).toEqual({ twins: [expect.objectContaining({ connectionId: connection.id, remoteKey: 'UD-7' })] });
    expect(await side.twins.get(connection.id, made.twin.localIssueId)).toEqual(made.twin);
    expect(await side.twins.getCreation(connection.id, '10007')).toBeUndefined();
  });

  it('goes on from a claim whose issue was already made (a retry after a crash) instead of making a second', async () => {
    side = await receivingSide();
    const first = await createLocalIssue(side.platform, side.jira, side.twins, connection, '10008', message, { summary: 'Once' }, side.catalog);
    if (first.kind !== 'done') throw new Error('expected the issue to be made');
    // The crash came after Jira answered and the id was written down, before the claim was released.
    await side.twins.recordCreated(connection.id, '10008', { token: 't', at: side.platform.clock.now(), localIssueId: first.twin.localIssueId, localKey: first.twin.localKey });
    const again = await createLocalIssue(side.platform, side.jira, side.twins, connection, '10008', message, { summary: 'Once' }, side.catalog);
    expect(again).toMatchObject({ kind: 'done', twin: { localIssueId: first.twin.localIssueId } });
    const found = await side.jira.search.jql('project = SC AND summary ~ "Once"', { maxResults: 10 });
    expect(found.issues).toHaveLength(1);
  });

  it('leaves the issue to the worker that claimed it first, and takes over a claim left without an issue for too long', async () => {
    side = await receivingSide();
    // Another worker claims the creation between this one's look and its own claim.
    const other = JSON.stringify({ token: 'other', at: side.platform.clock.now() });
    side.platform.kvs.beforeOp = (op, key) => {
      if (op === 'setIfAbsent' && key.startsWith('twinc:')) side.platform.kvs.data.values.set(key, other);
    };
    expect(await createLocalIssue(side.platform, side.jira, side.twins, connection, '10009', message, { summary: 'Claimed' }, side.catalog)).toEqual({ kind: 'in-progress' });
    side.platform.kvs.beforeOp = undefined;
    side.platform.clock.advance(CLAIM_TAKEOVER_MS + 1);
    expect(await createLocalIssue(side.platform, side.jira, side.twins, connection, '10009', message, { summary: 'Claimed' }, side.catalog)).toMatchObject({ kind: 'done' });
  });
});
