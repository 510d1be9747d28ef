// Each site keeps its data in its own SQLite file: everything survives a
// close and reopen, the seed is applied once, and ids carry on.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

  it('upgrades a database written before drawn workflows, field contexts and the new projects, keeping its issues', async () => {
    const dataDir = tempDir();
    const first = await openHarness('blue', { dataDir });
    const created = await first.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Made before', customfield_10021: { value: 'Minor' } } },
    });
    first.close();

    // What the older layout kept: one global transition per status in project_workflow, options per field,
    // no WEB project, no worklog permissions.
    const db = new Database(join(dataDir, 'blue-jira.sqlite'));
    db.exec(`
      CREATE TABLE project_workflow (project_id TEXT NOT NULL, status_id TEXT NOT NULL, position INTEGER NOT NULL,
        transition_id TEXT NOT NULL, transition_name TEXT NOT NULL, PRIMARY KEY (project_id, status_id));
      INSERT INTO project_workflow SELECT project_id, to_status_id, position, id, name FROM workflow_transitions WHERE project_id IN ('10000', '10001');
      CREATE TABLE custom_field_options (id TEXT PRIMARY KEY, field_id TEXT NOT NULL, value TEXT NOT NULL, position INTEGER NOT NULL);
      INSERT INTO custom_field_options SELECT id, field_id, value, position FROM field_options WHERE field_id = 'customfield_10021';
      DELETE FROM workflows; DELETE FROM workflow_statuses; DELETE FROM workflow_transitions;
      DELETE FROM field_contexts; DELETE FROM field_options;
      DELETE FROM custom_fields WHERE id NOT IN ('customfield_10020', 'customfield_10021', 'customfield_10022', 'customfield_10023', 'customfield_10024', 'customfield_10025');
      DELETE FROM issues WHERE project_id = '10002'; DELETE FROM projects WHERE id = '10002'; DELETE FROM project_issue_types WHERE project_id = '10002';
      DELETE FROM project_roles WHERE project_id = '10002'; DELETE FROM components; DELETE FROM versions; DELETE FROM worklogs;
      DELETE FROM statuses WHERE id IN ('10002', '4', '10003');
      DELETE FROM permission_grants WHERE permission LIKE '%WORKLOGS' OR permission LIKE '%WATCHERS';
      DELETE FROM meta WHERE key IN ('seedLevel', 'seq:worklog', 'seq:component', 'seq:version', 'seq:option', 'seq:linkType');
    `);
    db.close();

    for (let open = 0; open < 2; open++) {
      const site = await openHarness('blue', { dataDir });
      try {
        const issue = (await site.call('GET', `/rest/api/3/issue/${created.body.key}?fields=customfield_10021,status`)).body.fields;
        expect(issue).toMatchObject({ customfield_10021: { value: 'Minor' }, status: { name: 'To Do' } });
        const transitions = (await site.call('GET', `/rest/api/3/issue/${created.body.key}/transitions`)).body.transitions;
        expect(transitions.map((t: { id: string; name: string }) => `${t.id} ${t.name}`)).toEqual(['21 Start progress', '31 Done']);
        expect((await site.call('GET', '/rest/api/3/project/WEB/statuses')).body[0].statuses[0].name).toBe('Backlog');
        expect((await site.call('GET', '/rest/api/3/project/WEB/components')).body.map((c: { name: string }) => c.name)).toEqual(['Backend', 'Content', 'Frontend']);
        expect((await site.call('GET', '/rest/api/3/field/search?type=custom')).body.total).toBe(13);
        const logged = await site.call('POST', `/rest/api/3/issue/${created.body.key}/worklog`, { body: { timeSpent: '1h' } });
        expect(logged.status).toBe(201);
      } finally {
        site.close();
      }
    }
  });
});
