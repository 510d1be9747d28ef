import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { adf, connect, invoke, jira } from '../integration/helpers';
import { createIssue, rows, runFor, storedKeys, storedWith } from './helpers';

// Uninstalling the app from a site: its preUninstall (manifest.yml) tells
// every partner the connections are gone, then removes the installation's
// data; afterwards the app no longer answers on that site.

let rt: LocalRuntime | undefined;
afterEach(() => {
  rt?.close();
  rt = undefined;
  vi.useRealTimers();
});

describe('uninstalling the app', () => {
  it('tells every partner, a deleted connection’s partner not yet told included, and leaves no app data', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
    rt = await createLocalRuntime({ dataDir: mkdtempSync(join(tmpdir(), 'uninstall-')), reset: true, baseUrl: 'http://uninstall.test' });
    const first = await connect(rt);
    const second = await connect(rt, { greenProject: 'CM' });
    const key = await createIssue(rt, 'blue', 'UD', { summary: 'synced before the uninstall', description: adf('kept') });
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: first.blueConnectionId, issueKey: key });
    await runFor(rt, 2, 5_000);

    // The second connection is deleted on blue while green is down: green has not heard of it yet.
    rt.site('green').faults.setDown('refused');
    await invoke(rt, 'blue', 'deleteConnection', { connectionId: second.blueConnectionId });
    await rt.settle();
    expect(storedWith(rt, 'blue', second.blueConnectionId)).toContain(`plain tombstone:${second.blueConnectionId}`);
    rt.site('green').faults.setDown(null);
    // Plenty to remove (a synced twin keeps its replicas on its own record, so fewer keys than it once took).
    expect(storedKeys(rt, 'blue').length).toBeGreaterThan(15);

    const answer = await rt.fetch('/blue/_local/uninstall', { method: 'POST' });
    expect(answer.status).toBe(200);

    // Green heard of both connections, at once.
    const green = await rows(rt, 'green');
    expect(green.find((r) => r.id === first.greenConnectionId)).toMatchObject({
      status: 'Deactivated',
      partnerStatus: 'deleted',
      statusReason: expect.stringMatching(/^The partner uninstalled the app on /),
    });
    expect(green.find((r) => r.id === second.greenConnectionId)).toMatchObject({ partnerStatus: 'deleted' });
    // Nothing of the app is left in blue's storage, values or secrets.
    expect(storedKeys(rt, 'blue')).toEqual([]);
    // The app is gone from blue: its Exalate URL and resolvers no longer answer; the issues stay.
    expect((await rt.fetch('/blue/x/partner-endpoint', { method: 'GET' })).status).toBe(404);
    expect((await rt.fetch('/blue/bridge/invoke', { method: 'POST', body: JSON.stringify({ key: 'listConnections', payload: {} }) })).status).toBe(404);
    expect((await jira(rt, 'blue', 'GET', `/issue/${key}`)).status).toBe(200);
    // Work queued for blue before the uninstall is dropped, not run; green is unaffected.
    await runFor(rt, 10, 60_000);
    expect(storedKeys(rt, 'blue')).toEqual([]);
    expect(rt.forge.queue.deadLetters()).toEqual([]);
    expect(await rows(rt, 'green')).toHaveLength(2);
  }, 60_000);
});
