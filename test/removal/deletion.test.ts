import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import type { VisualMapping } from '../../src/domain/visual-mapping';
import type { PurgeWork } from '../../src/removal/work';
import { connect, invoke, jira } from '../integration/helpers';
import { addAttachment, addComment, createIssue, rows, runFor, storedWith } from './helpers';
import { populate } from './scenario';

// Deleting a connection leaves nothing of it behind: every key and secret
// that carries its id goes, counted straight from the local KVS (keys and
// values). The partner is still told, even after being down for a while,
// and the partner's own copy stays until its admin deletes it there.

let rt: LocalRuntime | undefined;
afterEach(() => {
  rt?.close();
  rt = undefined;
  vi.useRealTimers();
});

async function start(dataDir = mkdtempSync(join(tmpdir(), 'removal-')), reset = true): Promise<LocalRuntime> {
  vi.useFakeTimers({ toFake: ['Date'] });
  if (reset) vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  return createLocalRuntime({ dataDir, reset, baseUrl: 'http://removal.test' });
}

describe('deleting a public connection', () => {
  it('removes every key and secret of it here; the partner, down at the time, hears of it later', async () => {
    rt = await start();
    const { blueConnectionId: id, greenConnectionId } = await connect(rt);
    await populate(rt, id, greenConnectionId);

    await invoke(rt, 'blue', 'deleteConnection', { connectionId: id });
    // Gone from the list at once, and deleting again is no error.
    expect(await rows(rt, 'blue')).toEqual([]);
    await invoke(rt, 'blue', 'deleteConnection', { connectionId: id });
    await runFor(rt, 5, 60_000);
    // The tombstone waits for green; everything else is gone but the record, kept for the second pass.
    expect(storedWith(rt, 'blue', id).sort()).toEqual([`plain connection:${id}`, `plain tombstone:${id}`, `secret tombstone-secret:${id}`]);

    rt.site('green').faults.setDown(null);
    await runFor(rt, 30, 60_000);
    expect(storedWith(rt, 'blue', id)).toEqual([]);
    const green = (await rows(rt, 'green')).find((r) => r.id === greenConnectionId);
    expect(green).toMatchObject({ status: 'Deactivated', partnerStatus: 'deleted', statusReason: expect.stringMatching(/^Deleted by the partner/) });
    // The issues stay on both sides.
    expect((await jira(rt, 'blue', 'GET', '/search/jql?jql=summary~rich')).status).toBe(200);

    // Green's admin deletes its half: then green keeps nothing either, and tells no one.
    await invoke(rt, 'green', 'deleteConnection', { connectionId: greenConnectionId });
    await runFor(rt, 20, 60_000);
    expect(storedWith(rt, 'green', greenConnectionId)).toEqual([]);
    expect(rt.forge.queue.deadLetters()).toEqual([]);
  }, 120_000);

  it('finishes after the process is killed in the middle of the purge, again and again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'removal-kill-'));
    rt = await start(dataDir);
    const { blueConnectionId: id, greenConnectionId } = await connect(rt);
    await populate(rt, id, greenConnectionId);
    rt.site('green').faults.setDown(null);
    await invoke(rt, 'blue', 'deleteConnection', { connectionId: id });

    // Each kill: the next purge event is taken, the process dies after a few storage calls of it, and a
    // new process opens the same data; the taken event comes back once its lease has run out. (One death
    // comes late enough that a pass over families already emptied, about thirty calls, can finish.)
    const killed: PurgeWork[] = [];
    const deaths = [2, 7, 15, 4, 45, 9, 3, 12];
    for (let n = 0; n < 40 && !(killed.length >= 6 && killed.some((w) => w.final)); n++) {
      const callsBeforeDeath = deaths[n % deaths.length]!;
      const next = await runUntilPurgeIsNext(rt);
      if (!next) break;
      if (await killDuringNextEvent(rt, callsBeforeDeath)) killed.push(next);
      rt.close();
      rt = await createLocalRuntime({ dataDir, baseUrl: 'http://removal.test' });
      vi.setSystemTime(Date.now() + 61_000);
    }
    // Kills landed in both passes of the purge.
    expect(killed.length).toBeGreaterThanOrEqual(6);
    expect(killed.some((w) => w.final)).toBe(true);
    expect(killed.some((w) => !w.final)).toBe(true);
    await runFor(rt, 30, 60_000);
    expect(storedWith(rt, 'blue', id)).toEqual([]);
    expect((await rows(rt, 'green')).find((r) => r.id === greenConnectionId)?.partnerStatus).toBe('deleted');
    expect(rt.forge.queue.deadLetters()).toEqual([]);
  }, 120_000);
});

describe('deleting a local connection', () => {
  it('removes both halves, a Visual mapping and everything synced between the two projects', async () => {
    rt = await start();
    const own = await invoke<{ exalateUrl: string }>(rt, 'blue', 'getInstance');
    const made = await invoke<{ connectionId: string; partnerConnectionId: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: own.exalateUrl, mode: 'visual', localName: 'UI', remoteName: 'Test', projectKey: 'UD', remoteProjectKey: 'TEST',
    });
    const { mapping } = await invoke<{ mapping: VisualMapping }>(rt, 'blue', 'getMapping', { connectionId: made.connectionId });
    mapping.sync = { toInvitee: 'manual', toInviter: 'manual' };
    await invoke(rt, 'blue', 'publishMapping', { connectionId: made.connectionId, mapping });
    const key = await createIssue(rt, 'blue', 'UD', { summary: 'across projects' });
    await addComment(rt, 'blue', key, 'hello');
    await addAttachment(rt, 'blue', key, 'notes.bin');
    await invoke(rt, 'blue', 'exalateIssue', { connectionId: made.connectionId, issueKey: key });
    await runFor(rt, 3, 5_000);
    for (const id of [made.connectionId, made.partnerConnectionId]) expect(storedWith(rt, 'blue', id).length).toBeGreaterThan(5);
    expect(storedWith(rt, 'blue', made.connectionId)).toContain(`plain visual-mapping:${made.connectionId}`);

    await invoke(rt, 'blue', 'deleteConnection', { connectionId: made.partnerConnectionId });
    expect(await rows(rt, 'blue')).toEqual([]);
    await runFor(rt, 20, 60_000);
    expect(storedWith(rt, 'blue', made.connectionId)).toEqual([]);
    expect(storedWith(rt, 'blue', made.partnerConnectionId)).toEqual([]);
  }, 60_000);
});

/** Runs other work (moving the clock to it) until a purge event is next in the queue; that event, or undefined. */
async function runUntilPurgeIsNext(runtime: LocalRuntime): Promise<PurgeWork | undefined> {
  for (let i = 0; i < 500; i++) {
    const head = runtime.forge.queue.waiting(1)[0];
    if (!head) return undefined;
    const due = runtime.forge.queue.nextDueAt()!;
    if (due > Date.now()) vi.setSystemTime(due);
    if ((head.body as { kind?: string }).kind === 'removal.purge') return head.body as PurgeWork;
    await runtime.forge.runDue(1);
  }
  return undefined;
}

/** Runs the next due event, but the process "dies" after `calls` storage calls of it (that call never returns); whether it died. */
async function killDuringNextEvent(runtime: LocalRuntime, calls: number): Promise<boolean> {
  const kvs = runtime.forge.kvs;
  const handle = kvs.handle.bind(kvs);
  let made = 0;
  let died!: () => void;
  const death = new Promise<void>((resolve) => (died = resolve));
  kvs.handle = async (...args: Parameters<typeof kvs.handle>) => {
    if (++made > calls) {
      died();
      return new Promise<Response>(() => undefined);
    }
    return handle(...args);
  };
  // The event's invocation then hangs for ever, as a killed process's would; one that ends first just ends.
  return Promise.race([death.then(() => true), runtime.forge.runDue(1).then(() => false)]);
}
