import { vi } from 'vitest';
import type { LocalRuntime } from '../../src/local/runtime';
import { adf, invoke, jira } from '../integration/helpers';

// What the removal tests share: reading a site's storage straight from the
// local KVS (keys and values, secrets too) and moving the fake clock.

/** Every stored entry of a site whose key or value carries `text` (a connection id), as `space key`. */
export function storedWith(rt: LocalRuntime, site: string, text: string): string[] {
  const installation = rt.forge.installation(site).installationId;
  return rt.forge.kvs.storedEntriesContaining(installation, text).map((e) => `${e.space} ${e.key}`);
}

/** Every stored key of a site, values and secrets. */
export function storedKeys(rt: LocalRuntime, site: string): string[] {
  return rt.forge.kvs.storedKeys(rt.forge.installation(site).installationId).map((e) => `${e.space} ${e.key}`);
}

/** Runs queued work and moves the clock `stepMs` at a time, `rounds` times, whatever is still queued after. */
export async function runFor(rt: LocalRuntime, rounds: number, stepMs: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await rt.settle();
    vi.setSystemTime(Date.now() + stepMs);
  }
  await rt.settle();
}

export async function createIssue(rt: LocalRuntime, site: string, project: string, fields: Record<string, unknown>): Promise<string> {
  const created = await jira<{ key: string }>(rt, site, 'POST', '/issue', { fields: { project: { key: project }, issuetype: { name: 'Task' }, ...fields } });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.key;
}

export async function addComment(rt: LocalRuntime, site: string, key: string, text: string): Promise<void> {
  await jira(rt, site, 'POST', `/issue/${key}/comment`, { body: adf(text) });
}

export async function addAttachment(rt: LocalRuntime, site: string, key: string, name: string, size = 3000): Promise<void> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Array.from({ length: size }, (_, i) => (i * 13) % 256))], { type: 'application/octet-stream' }), name);
  const upload = await rt.fetch(`/${site}/rest/api/3/issue/${key}/attachments`, { method: 'POST', headers: { 'X-Atlassian-Token': 'no-check' }, body: form });
  if (upload.status !== 200) throw new Error(`upload failed: ${upload.status}`);
}

export async function remoteKeyOf(rt: LocalRuntime, site: string, key: string): Promise<string> {
  const status = await invoke<{ twins: { remoteKey: string | null }[] }>(rt, site, 'getIssueSyncStatus', { issueKey: key });
  const remote = status.twins[0]?.remoteKey;
  if (!remote) throw new Error(`${key} is not synced`);
  return remote;
}

export interface Row {
  id: string;
  status: string;
  statusReason: string | null;
  partnerStatus?: string | null;
}

export const rows = async (rt: LocalRuntime, site: string) => (await invoke<{ connections: Row[] }>(rt, site, 'listConnections')).connections;
