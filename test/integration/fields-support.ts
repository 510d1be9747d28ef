import { expect } from 'vitest';
import { drain, invoke, jira, type twoSites } from './helpers';

// What the field tests share: people acting on an issue through a site's REST
// API, and the app's answers about it.

export type Runtime = Awaited<ReturnType<typeof twoSites>>;
export type Site = 'blue' | 'green';

export async function create(rt: Runtime, site: Site, fields: Record<string, unknown>) {
  const created = await jira(rt, site, 'POST', '/issue', { fields: { issuetype: { name: 'Task' }, ...fields } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; key: string };
}

export const read = async (rt: Runtime, site: Site, key: string) => (await jira(rt, site, 'GET', `/issue/${key}`)).body;

export async function edit(rt: Runtime, site: Site, key: string, fields: Record<string, unknown>) {
  const edited = await jira(rt, site, 'PUT', `/issue/${key}`, { fields });
  expect(edited.status, JSON.stringify(edited.body)).toBe(204);
}

/** Move an issue along one transition, chosen by the status it leads to, as a person would. */
export async function transition(rt: Runtime, site: Site, key: string, to: string) {
  const transitions = (await jira(rt, site, 'GET', `/issue/${key}/transitions`)).body.transitions as { id: string; to: { name: string } }[];
  const chosen = transitions.find((t) => t.to.name === to);
  if (!chosen) throw new Error(`No transition to ${to} from the issue's status (${transitions.map((t) => t.to.name).join(', ')})`);
  const moved = await jira(rt, site, 'POST', `/issue/${key}/transitions`, { transition: { id: chosen.id } });
  expect(moved.status).toBe(204);
}

export async function exalate(rt: Runtime, connectionId: string, key: string, site: Site = 'blue') {
  await invoke(rt, site, 'exalateIssue', { connectionId, issueKey: key });
  await drain(rt);
  return twinOf(rt, site, key);
}

export async function twinOf(rt: Runtime, site: Site, key: string) {
  const status = await invoke<{ twins: { remoteKey: string; status: string; error: { message: string } | null }[] }>(rt, site, 'getIssueSyncStatus', { issueKey: key });
  return status.twins[0]!;
}

export async function history(rt: Runtime, site: Site, key: string) {
  return (await invoke<{ entries: { direction: string; outcome: string; cause?: string; warnings?: string[]; changes: { field: string }[] }[] }>(rt, site, 'getIssueHistory', { issueKey: key })).entries;
}

export async function listed(rt: Runtime, site: Site, connectionId: string) {
  return (await invoke<{ errors: { kind: string; message: string; issueKey: string | null; severity?: string }[] }>(rt, site, 'listErrors', { connectionId })).errors;
}

/** Add lines to both scripts of one side's connection. */
export async function addRules(rt: Runtime, site: Site, connectionId: string, lines: { outgoing?: string; incoming?: string }) {
  const rules = await invoke<{ outgoing: string; incoming: string }>(rt, site, 'getRules', { connectionId });
  const published = await invoke<{ saved?: boolean; warnings?: unknown[] }>(rt, site, 'publishRules', { connectionId, outgoing: `${rules.outgoing}\n${lines.outgoing ?? ''}`, incoming: `${rules.incoming}\n${lines.incoming ?? ''}` });
  // Some tests share one script between sides on purpose (a status only one side's workflow has): as an
  // admin would after reading the warnings, publish anyway.
  if (published.saved === false) {
    await invoke(rt, site, 'publishRules', { connectionId, outgoing: `${rules.outgoing}\n${lines.outgoing ?? ''}`, incoming: `${rules.incoming}\n${lines.incoming ?? ''}`, acceptWarnings: true });
  }
}
