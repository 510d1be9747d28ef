// Issue link types: create, rename, delete. Deleting a type deletes the links
// of that type, as Jira does (without an event per link: cascades fire none).
import type { LinkTypeRecord } from '../catalog';
import type { SiteState } from '../state';
import { fail, succeed, type WriteResult } from './result';

export interface LinkTypeInput {
  name?: string;
  inward?: string;
  outward?: string;
}

function errors(state: SiteState, input: LinkTypeInput, self: LinkTypeRecord | null): WriteResult<never> | undefined {
  for (const part of ['name', 'inward', 'outward'] as const) {
    const value = input[part];
    if ((self === null || value !== undefined) && (value === undefined || value.trim() === '')) {
      return fail(400, [`The issue link type ${part} must be given and not be empty.`]);
    }
  }
  const name = input.name?.trim();
  if (name !== undefined && state.catalog.linkTypes.some((l) => l.id !== self?.id && l.name.toLowerCase() === name.toLowerCase())) {
    // The contract answers 404 for a name in use.
    return fail(404, [`The issue link type name '${name}' is already in use.`]);
  }
  return undefined;
}

export function createLinkType(state: SiteState, input: LinkTypeInput): WriteResult<LinkTypeRecord> {
  const refused = errors(state, input, null);
  if (refused) return refused;
  const row = state.write(() => {
    const created: LinkTypeRecord = {
      id: String(state.stores.sequences.take('linkType')),
      name: input.name!.trim(),
      inward: input.inward!.trim(),
      outward: input.outward!.trim(),
    };
    state.db.prepare('INSERT INTO link_types VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM link_types))')
      .run(created.id, created.name, created.inward, created.outward);
    return created;
  });
  state.catalog.reloadLinkTypes();
  return succeed(row);
}

export function updateLinkType(state: SiteState, type: LinkTypeRecord, input: LinkTypeInput): WriteResult<LinkTypeRecord> {
  const refused = errors(state, input, type);
  if (refused) return refused;
  const updated: LinkTypeRecord = {
    ...type,
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.inward !== undefined ? { inward: input.inward.trim() } : {}),
    ...(input.outward !== undefined ? { outward: input.outward.trim() } : {}),
  };
  state.write(() => {
    state.db.prepare('UPDATE link_types SET name = ?, inward = ?, outward = ? WHERE id = ?').run(updated.name, updated.inward, updated.outward, type.id);
  });
  state.catalog.reloadLinkTypes();
  return succeed(updated);
}

export function deleteLinkType(state: SiteState, type: LinkTypeRecord): void {
  state.write((tx) => {
    for (const link of state.stores.links.ofType(type.id)) {
      tx.touch(link.sourceId);
      tx.touch(link.destinationId);
    }
    state.stores.links.deleteOfType(type.id);
    state.db.prepare('DELETE FROM link_types WHERE id = ?').run(type.id);
  });
  state.catalog.reloadLinkTypes();
}
