import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adf, connect, drain, invoke, jira, twoSites } from './helpers';
import { inlineBytes, INLINE_FILES_MAX_BYTES, toInlineFile } from '../../src/sync/attachment-transfer';

// Small attachments inside the replica (ReplicaMessage.files): only once the
// partner said it takes them; larger ones, and those of a replica that waits
// in the inbox, as chunks. Green's storage calls are watched for chunk keys.

let rt: Awaited<ReturnType<typeof twoSites>>;
let blueConnectionId: string;
/** Green's storage requests that wrote or read an attachment chunk since the last reset. */
let chunkCalls: string[] = [];

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-06T09:00:00Z'));
  rt = await twoSites();
  ({ blueConnectionId } = await connect(rt));
  // A watcher, not a fault: it never matches, so it refuses nothing.
  rt.forge.kvs.refuseNext(rt.forge.installation('green').installationId, (path, body) => {
    if (JSON.stringify(body ?? {}).includes('attin:')) chunkCalls.push(path);
    return false;
  });
});
afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const bytesOf = (length: number, seed: number) => new Uint8Array(Array.from({ length }, (_, i) => (i * 13 + seed) % 256));

async function attach(key: string, bytes: Uint8Array<ArrayBuffer>, name: string) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), name);
  const upload = await rt.fetch(`/blue/rest/api/3/issue/${key}/attachments`, { method: 'POST', headers: { 'X-Atlassian-Token': 'no-check' }, body: form });
  expect(upload.status).toBe(200);
}

async function createWith(summary: string, files: Uint8Array<ArrayBuffer>[], description?: string): Promise<string> {
  const created = await jira(rt, 'blue', 'POST', '/issue', {
    fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary, ...(description ? { description: adf(description) } : {}) },
  });
  expect(created.status).toBe(201);
  for (const [i, bytes] of files.entries()) await attach(created.body.key, bytes, `${summary}-${i}.bin`);
  return created.body.key;
}

async function exalate(key: string): Promise<string> {
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: key });
  await drain(rt);
  const status = await invoke<{ twins: { remoteKey: string; status: string }[] }>(rt, 'blue', 'getIssueSyncStatus', { issueKey: key });
  expect(status.twins[0]!.status).toBe('synchronized');
  return status.twins[0]!.remoteKey;
}

/** The bytes of each attachment of green's issue, by file size. */
async function filesOnGreen(key: string): Promise<Uint8Array[]> {
  const issue = (await jira(rt, 'green', 'GET', `/issue/${key}`)).body;
  const files: Uint8Array[] = [];
  for (const a of issue.fields.attachment as { id: string }[]) {
    files.push(new Uint8Array(await (await rt.fetch(`/green/rest/api/3/attachment/content/${a.id}`)).arrayBuffer()));
  }
  return files.sort((x, y) => x.length - y.length);
}

const partnerTakesFiles = () =>
  (rt.forge.kvs.storedValue(rt.forge.installation('blue').installationId, `connection:${blueConnectionId}`) as { partnerTakesFiles?: boolean }).partnerTakesFiles;
const chunksLeftOnGreen = () => rt.forge.kvs.storedKeys(rt.forge.installation('green').installationId).filter((k) => k.key.startsWith('attin:'));

describe('small attachments inside the replica', () => {
  it('the first file goes as chunks; the partner’s answer says it takes files, which the connection keeps', async () => {
    expect(partnerTakesFiles()).toBeUndefined();
    const file = bytesOf(2_048, 1);
    const key = await exalate(await createWith('First', [file]));
    expect(await filesOnGreen(key)).toEqual([file]);
    expect(chunkCalls.length).toBeGreaterThan(0);
    expect(partnerTakesFiles()).toBe(true);
    expect(chunksLeftOnGreen()).toEqual([]);
  });

  it('after that, small files travel in the replica: green touches no chunk, and the bytes arrive whole', async () => {
    chunkCalls = [];
    const files = [bytesOf(2_048, 2), bytesOf(10_000, 3)];
    const key = await exalate(await createWith('Second', files));
    expect(await filesOnGreen(key)).toEqual(files);
    expect(chunkCalls).toEqual([]);
  });

  it('a file added to a synced issue rides inside the edit’s replica', async () => {
    const blueKey = await createWith('Later', []);
    const key = await exalate(blueKey);
    chunkCalls = [];
    const file = bytesOf(4_000, 9);
    await attach(blueKey, file, 'later.bin');
    await drain(rt);
    expect(await filesOnGreen(key)).toEqual([file]);
    expect(chunkCalls).toEqual([]);
  });

  it('a file larger than the room in the replica goes as chunks beside a small one that rides inside', async () => {
    chunkCalls = [];
    const small = bytesOf(1_000, 4);
    const large = bytesOf(INLINE_FILES_MAX_BYTES + 1, 5);
    const key = await exalate(await createWith('Mixed', [small, large]));
    expect(await filesOnGreen(key)).toEqual([small, large]);
    expect(chunkCalls.length).toBeGreaterThan(0);
    expect(chunksLeftOnGreen()).toEqual([]);
  });

  it('a replica too large to apply as it arrives keeps its files as chunks, and the queued apply adds them', async () => {
    chunkCalls = [];
    const file = bytesOf(30_000, 6);
    // A long description takes the message past the size applied as it arrives (64 KiB).
    const key = await exalate(await createWith('Queued', [file], 'x'.repeat(40_000)));
    expect(await filesOnGreen(key)).toEqual([file]);
    expect(chunkCalls.length).toBeGreaterThan(0);
    expect(chunksLeftOnGreen()).toEqual([]);
  });
});

describe('reading a file carried inside the replica', () => {
  it('gives the bytes only when their SHA-256 is the one the replica names', () => {
    const bytes = bytesOf(100, 7);
    const file = toInlineFile('10001', bytes);
    expect(inlineBytes([file], '10001', file.sha256)).toEqual(bytes);
    expect(inlineBytes([file], '10002', file.sha256)).toBeUndefined();
    expect(inlineBytes([{ ...file, data: Buffer.from(bytesOf(100, 8)).toString('base64') }], '10001', file.sha256)).toBeUndefined();
    expect(inlineBytes(undefined, '10001', file.sha256)).toBeUndefined();
  });
});
