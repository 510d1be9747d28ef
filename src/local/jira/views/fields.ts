// Fields as `/field` (`FieldDetails`) and `/field/search` (`Field`) describe
// them, and custom field contexts and options.
import type { CustomFieldRecord, FieldContextRecord, FieldOptionRecord } from '../catalog';
import { CUSTOM_KINDS, customSchema } from '../model/custom-kinds';
import type { SystemField } from '../model/fields';

export function systemFieldDetails(f: SystemField): Record<string, unknown> {
  return {
    id: f.id, key: f.id, name: f.name, custom: false, orderable: f.orderable, navigable: f.navigable,
    searchable: f.searchable, clauseNames: f.clauseNames, ...(f.schema ? { schema: f.schema } : {}),
  };
}

export function customFieldDetails(f: CustomFieldRecord): Record<string, unknown> {
  return {
    id: f.id, key: f.id, name: f.name, custom: true, orderable: true, navigable: true,
    searchable: true, clauseNames: [`cf[${f.numericId}]`, f.name], schema: customSchema(f.kind, f.numericId),
  };
}

/** `Field` of `/field/search`; only fields that have a schema are listed there. */
export function systemFieldSearchJson(f: SystemField, expand: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (!f.schema) return undefined;
  return {
    id: f.id,
    ...(expand.has('key') ? { key: f.id } : {}),
    name: f.name,
    schema: f.schema,
    description: '',
    isLocked: true,
    ...(expand.has('stableId') ? { stableId: `sfid:${f.id}` } : {}),
  };
}

export function customFieldSearchJson(f: CustomFieldRecord, expand: ReadonlySet<string>): Record<string, unknown> {
  const spec = CUSTOM_KINDS[f.kind];
  return {
    id: f.id,
    ...(expand.has('key') ? { key: f.id } : {}),
    name: f.name,
    schema: customSchema(f.kind, f.numericId),
    description: f.description,
    isLocked: false,
    searcherKey: spec.searcherKey,
    typeDisplayName: spec.typeDisplayName,
    ...(expand.has('stableId') ? { stableId: `sfid:${f.id}` } : {}),
    ...(expand.has('contextsCount') ? { contextsCount: f.contexts.length } : {}),
    ...(expand.has('projectsCount') ? { projectsCount: new Set(f.contexts.flatMap((c) => c.projectIds)).size } : {}),
    ...(expand.has('lastUsed') ? { lastUsed: { type: 'NOT_TRACKED' } } : {}),
  };
}

/** `CustomFieldContext`. */
export function contextJson(c: FieldContextRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    isGlobalContext: c.projectIds.length === 0,
    isAnyIssueType: c.issueTypeIds.length === 0,
  };
}

/** `CustomFieldContextOption`: a second-level option names its parent as `optionId`. */
export function contextOptionJson(o: FieldOptionRecord): Record<string, unknown> {
  return { id: o.id, value: o.value, ...(o.parentId !== null ? { optionId: o.parentId } : {}), disabled: o.disabled };
}
