// Changing a custom field context's options: create (first level, or second
// level under a parent of a cascading select), rename or disable, delete.
// The catalog is read again afterwards, and search records rebuilt, since
// issues show and search their options by value.
import type { CustomFieldRecord, FieldContextRecord, FieldOptionRecord } from '../catalog';
import { CUSTOM_KINDS } from '../model/custom-kinds';
import type { SiteState } from '../state';
import type { CascadeValue } from './custom-input';
import { fail, succeed, type WriteResult } from './result';

export interface OptionCreate {
  value: string;
  optionId?: string;
  disabled?: boolean;
}

export interface OptionUpdate {
  id: string;
  value?: string;
  disabled?: boolean;
}

const sameLevel = (context: FieldContextRecord, parentId: string | null) => context.options.filter((o) => o.parentId === parentId);

export function createOptions(
  state: SiteState,
  field: CustomFieldRecord,
  context: FieldContextRecord,
  creates: OptionCreate[],
): WriteResult<FieldOptionRecord[]> {
  const kind = CUSTOM_KINDS[field.kind].options;
  if (kind === 'none') return fail(400, [`The custom field ${field.id} does not support options.`]);
  const planned: { parentId: string | null; value: string }[] = [];
  for (const create of creates) {
    const value = create.value.trim();
    if (value === '') return fail(400, ['The option value must not be empty.']);
    const parentId = create.optionId ?? null;
    if (parentId !== null) {
      if (kind !== 'cascading') return fail(400, [`Option ${parentId} cannot be a parent: ${field.name} is not a cascading select.`]);
      if (!sameLevel(context, null).some((o) => o.id === parentId)) return fail(400, [`The parent option ${parentId} was not found.`]);
    }
    const taken = [...sameLevel(context, parentId).map((o) => o.value), ...planned.filter((p) => p.parentId === parentId).map((p) => p.value)];
    if (taken.some((v) => v.toLowerCase() === value.toLowerCase())) return fail(400, [`The option '${value}' already exists.`]);
    planned.push({ parentId, value });
  }
  const created = state.write(() => {
    const insert = state.db.prepare(`INSERT INTO field_options VALUES (?, ?, ?, ?, ?, ?, ?)`);
    let position = Math.max(-1, ...(state.db.prepare('SELECT position FROM field_options WHERE context_id = ?').all(context.id) as { position: number }[]).map((r) => r.position));
    return creates.map((create, i) => {
      const row: FieldOptionRecord = {
        id: String(state.stores.sequences.take('option')),
        value: planned[i]!.value,
        disabled: create.disabled ?? false,
        parentId: planned[i]!.parentId,
      };
      insert.run(row.id, field.id, context.id, row.parentId, row.value, row.disabled ? 1 : 0, ++position);
      return row;
    });
  });
  state.catalog.reloadFields();
  return succeed(created);
}

/** Updates options; answers only those that changed, as Jira does. */
export function updateOptions(
  state: SiteState,
  context: FieldContextRecord,
  updates: OptionUpdate[],
): WriteResult<OptionUpdate[]> {
  for (const update of updates) {
    const option = context.options.find((o) => o.id === update.id);
    if (!option) return fail(404, [`The option ${update.id} was not found.`]);
    if (update.value !== undefined) {
      const value = update.value.trim();
      if (value === '') return fail(400, ['The option value must not be empty.']);
      const clash = sameLevel(context, option.parentId).some((o) => o.id !== option.id && o.value.toLowerCase() === value.toLowerCase());
      if (clash) return fail(400, [`The option '${value}' already exists.`]);
    }
  }
  const changed = updates.filter((update) => {
    const option = context.options.find((o) => o.id === update.id)!;
    return (update.value !== undefined && update.value.trim() !== option.value) || (update.disabled !== undefined && update.disabled !== option.disabled);
  });
  state.write(() => {
    const set = state.db.prepare('UPDATE field_options SET value = ?, disabled = ? WHERE id = ?');
    for (const update of changed) {
      const option = context.options.find((o) => o.id === update.id)!;
      set.run(update.value?.trim() ?? option.value, (update.disabled ?? option.disabled) ? 1 : 0, option.id);
    }
  });
  state.catalog.reloadFields();
  state.records.invalidateAll();
  return succeed(changed.map((update) => {
    const option = context.options.find((o) => o.id === update.id)!;
    return { id: option.id, value: update.value?.trim() ?? option.value, disabled: update.disabled ?? option.disabled };
  }));
}

/**
 * Deletes an option that has no second-level options; issues that had it
 * lose the value (the whole value, for a cascading select whose parent goes).
 */
export function deleteOption(state: SiteState, field: CustomFieldRecord, context: FieldContextRecord, option: FieldOptionRecord): WriteResult<void> {
  if (context.options.some((o) => o.parentId === option.id)) {
    return fail(400, ['Options with cascading options cannot be deleted without deleting the cascading options first.']);
  }
  state.write((tx) => {
    state.db.prepare('DELETE FROM field_options WHERE id = ?').run(option.id);
    for (const issue of state.stores.issues.all()) {
      const stored = issue.custom[field.id];
      if (stored === undefined) continue;
      const next = withoutOption(stored, option.id);
      if (JSON.stringify(next) === JSON.stringify(stored)) continue;
      const custom = { ...issue.custom };
      if (next === null) delete custom[field.id];
      else custom[field.id] = next;
      state.stores.issues.update({ ...issue, custom });
      tx.touch(issue.id);
    }
  });
  state.catalog.reloadFields();
  return succeed(undefined);
}

function withoutOption(stored: unknown, optionId: string): unknown {
  if (typeof stored === 'string') return stored === optionId ? null : stored;
  if (Array.isArray(stored)) {
    const rest = stored.filter((id) => id !== optionId);
    return rest.length === 0 ? null : rest;
  }
  if (typeof stored === 'object' && stored !== null) {
    const cascade = stored as CascadeValue;
    if (cascade.parent === optionId) return null;
    if (cascade.child === optionId) return { parent: cascade.parent, child: null };
  }
  return stored;
}
