import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { invoke, jira } from '../integration/helpers';
import { blueChange, makeChange, print, seeded, stateOf, tally, type Change, type Pair, type World } from './harness';

// The runtime runs in a child process with its real-time queue pump and is
// killed with SIGKILL (no chance to clean up) at seeded points between
// people's changes, then started again on the same data. Real time here:
// the child's clock cannot be faked, so only the kill points are seeded.

let child: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'faults-sigkill-'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

function startChild(port: number, reset: boolean): Promise<void> {
  child = spawn(process.execPath, ['--import', 'tsx', join(dirname(fileURLToPath(import.meta.url)), 'child-runtime.ts'), dataDir, String(port), reset ? 'reset' : ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
}

function kill(): Promise<void> {
  const dying = child!;
  return new Promise((resolve) => {
    dying.removeAllListeners('exit');
    dying.once('exit', () => resolve());
    dying.kill('SIGKILL');
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

afterAll(() => {
  child?.kill('SIGKILL');
});

describe('runtime process killed with SIGKILL during syncs', () => {
  it('loses nothing and doubles nothing across real kills and restarts', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const rt = { fetch: (input: string, init?: RequestInit) => fetch(`${origin}${input}`, init) } as unknown as LocalRuntime;
    const world = { rt } as World;
    await startChild(port, true);

    const greenInstance = await invoke<{ exalateUrl: string }>(rt, 'green', 'getInstance');
    const initiated = await invoke<{ connectionId: string; invitationCode: string }>(rt, 'blue', 'initiateConnection', {
      destinationUrl: greenInstance.exalateUrl, mode: 'script', localName: 'BlueJira', remoteName: 'GreenJira', projectKey: 'UD',
    });
    await invoke(rt, 'green', 'acceptInvitation', { invitationCode: initiated.invitationCode, projectKey: 'SC' });

    const pairs: Pair[] = [];
    for (let i = 0; i < 8; i++) {
      const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `sigkill ${i}` } });
      await invoke(rt, 'blue', 'exalateIssue', { connectionId: initiated.connectionId, issueKey: created.body.key });
      const green = await until(`twin of ${created.body.key}`, async () => {
        const status = await invoke<{ twins: { remoteKey: string | null }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
        return status.twins[0]?.remoteKey ?? undefined;
      }, 60_000);
      pairs.push({ blue: created.body.key, green });
    }

    const random = seeded(9);
    const changes: Change[] = [];
    let kills = 0;
    for (let n = 0; n < 80; n++) {
      const change = blueChange(pairs, random, n);
      await makeChange(world, change);
      changes.push(change);
      if (random() < 0.1) {
        await sleep(Math.floor(random() * 40)); // somewhere inside the work the change set off
        await kill();
        kills++;
        await startChild(port, false);
      }
    }

    // Work leased by a killed process comes back after its lease (60 s), as on Forge.
    const lastSummary = new Map<string, string>();
    for (const c of changes) if (c.kind === 'summary') lastSummary.set(c.pair.blue, c.marker);
    await until('every change on green', async () => {
      for (const pair of pairs) {
        const green = await stateOf(world, 'green', pair.green);
        const wanted = changes.filter((c) => c.pair === pair && c.kind === 'comment').map((c) => c.marker);
        if (!wanted.every((m) => green.comments.includes(m))) return undefined;
        if (lastSummary.has(pair.blue) && green.summary !== lastSummary.get(pair.blue)) return undefined;
      }
      return true;
    }, 240_000);
    await sleep(3_000); // anything still in flight would show as a duplicate now

    const t = await tally(world, `${kills} SIGKILLs of the runtime process during ${changes.length} syncs`, changes, pairs, { oneWay: true });
    print(t);
    expect(kills).toBeGreaterThan(3);
    expect(t).toMatchObject({ changesArrived: changes.length, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
  });
});
