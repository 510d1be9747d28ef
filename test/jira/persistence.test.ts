// Each site keeps its data in its own SQLite file: everything survives a
// close and reopen, the seed is applied once, and ids carry on.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adf, manualClock, openHarness } from './harness';

describe('persistence', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'jira-site-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps issues, comments, attachments, links, properties and history across close and reopen', async () => {
    const dataDir = tempDir();
    const clock = manualClock();
    const first = await openHarness('green', { dataDir, clock });
    expect(existsSync(join(dataDir, 'green-jira.sqlite'))).toBe(true);
    const created = await first.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'SC' }, issuetype: { name: 'Bug' }, summary: 'Survives restarts', description: adf('Kept') } },
    });
    const key = created.body.key as string;
    await first.call('POST', `/rest/api/3/issue/${key}/comment`, { body: { body: adf('Still here') } });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([9, 8, 7])]), 'kept.bin');
    const attachment = await first.call('POST', `/rest/api/3/issue/${key}/attachments`, { rawBody: form, headers: { 'X-Atlassian-Token': 'no-check' } });
    await first.call('POST', '/rest/api/3/issueLink', { body: { type: { name: 'Blocks' }, inwardIssue: { key }, outwardIssue: { key: 'SC-1' } } });
    await first.call('PUT', `/rest/api/3/issue/${key}/properties/twin`, { rawBody: '{"remote":"UD-9"}', headers: { 'content-type': 'application/json' } });
    await first.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '21' } } });
    const before = (await first.call('GET', `/rest/api/3/issue/${key}?expand=changelog&properties=twin`)).body;
    first.close();

    const second = await openHarness('green', { dataDir, clock });
    const after = (await second.call('GET', `/rest/api/3/issue/${key}?expand=changelog&properties=twin`)).body;
    expect(after).toEqual(before);
    expect(after.fields.comment.comments[0].body).toEqual(adf('Still here'));
    expect(after.fields.status.name).toBe('In Progress');
    expect(after.properties).toEqual({ twin: { remote: 'UD-9' } });
    expect([...(await second.call('GET', `/rest/api/3/attachment/content/${attachment.body[0].id}`)).bytes]).toEqual([9, 8, 7]);

    // The seed was not applied again, and new ids and keys continue after the old ones.
    expect((await second.call('POST', '/rest/api/3/search/approximate-count', { body: { jql: 'project = SC' } })).body.count).toBe(3);
    const next = await second.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'SC' }, issuetype: { name: 'Task' }, summary: 'After restart' } },
    });
    expect(Number(next.body.id)).toBe(Number(created.body.id) + 1);
    expect(next.body.key).toBe(`SC-${Number(key.split('-')[1]) + 1}`);
    second.close();
  });

  it('gives each site its own database, seeded with its own content', async () => {
    const dataDir = tempDir();
    const blue = await openHarness('blue', { dataDir });
    const green = await openHarness('green', { dataDir });
    expect(blue.site.cloudId).not.toBe(green.site.cloudId);
    expect((await blue.call('GET', '/rest/api/3/project/search')).body.values.map((p: { key: string }) => p.key)).toEqual(['TEST', 'UD', 'WEB']);
    expect((await green.call('GET', '/rest/api/3/project/search')).body.values.map((p: { key: string }) => p.key)).toEqual(['CM', 'SC', 'SUP']);
    expect((await blue.call('GET', '/rest/api/3/issue/UD-1')).body.id).toBe('10000');
    expect((await green.call('GET', '/rest/api/3/issue/SC-1')).body.id).toBe('20000');
    blue.close();
    green.close();
  });
});
