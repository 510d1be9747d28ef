// How a field is edited on a screen (`FieldMetadata`): its schema, the
// operations it takes, and the values it allows where Jira lists them. The
// create screen, the edit screen and transition screens all describe fields so.
import type { IssueTypeRecord, ProjectRecord } from '../catalog';
import { CUSTOM_KINDS, customSchema } from '../model/custom-kinds';
import { SYSTEM_FIELDS } from '../model/fields';
import type { Stores } from '../store';
import { api, type ViewContext } from './context';
import { issueTypeJson, priorityJson, projectRef, resolutionJson } from './metadata';
import { versionRef, componentRef } from './project-items';

const LIST_OPERATIONS = ['add', 'set', 'remove'];

export function fieldMeta(
  ctx: ViewContext,
  stores: Stores,
  project: ProjectRecord,
  type: IssueTypeRecord,
  fieldId: string,
  required: boolean,
): Record<string, unknown> | undefined {
  const custom = ctx.catalog.customField(fieldId);
  if (custom) {
    const context = ctx.catalog.contextFor(custom, project.id, type.id);
    const spec = CUSTOM_KINDS[custom.kind];
    const options = context?.options.filter((o) => !o.disabled) ?? [];
    const optionJson = (o: { id: string; value: string }) => ({ self: api(ctx, `/customFieldOption/${o.id}`), value: o.value, id: o.id });
    const allowedValues =
      spec.options === 'none' ? undefined
      : spec.options === 'cascading'
        ? options.filter((o) => o.parentId === null).map((o) => ({
            ...optionJson(o),
            children: options.filter((child) => child.parentId === o.id).map(optionJson),
          }))
        : options.filter((o) => o.parentId === null).map(optionJson);
    return {
      required,
      schema: customSchema(custom.kind, custom.numericId),
      name: custom.name,
      key: custom.id,
      hasDefaultValue: false,
      operations: spec.operations,
      ...(allowedValues ? { allowedValues } : {}),
      ...(custom.kind === 'user' || custom.kind === 'multiuser' ? { autoCompleteUrl: api(ctx, '/user/search?query=') } : {}),
    };
  }
  const field = SYSTEM_FIELDS.find((f) => f.id === fieldId);
  if (!field) return undefined;
  const base = {
    required,
    schema: field.schema ?? { type: 'any' },
    name: field.name,
    key: field.id,
    hasDefaultValue: false,
    operations: ['set'],
  };
  const defaultPriority = ctx.catalog.defaultPriority();
  switch (fieldId) {
    case 'issuetype':
      return { ...base, allowedValues: [issueTypeJson(ctx, type)] };
    case 'project':
      return { ...base, allowedValues: [projectRef(ctx, project)] };
    case 'priority':
      return {
        ...base,
        allowedValues: ctx.catalog.priorities.map((p) => priorityJson(ctx, p)),
        ...(defaultPriority ? { hasDefaultValue: true, defaultValue: priorityJson(ctx, defaultPriority) } : {}),
      };
    case 'resolution':
      return { ...base, allowedValues: ctx.catalog.resolutions.map((r) => resolutionJson(ctx, r)) };
    case 'labels':
      return { ...base, operations: LIST_OPERATIONS, autoCompleteUrl: api(ctx, '/label/suggest?query=') };
    case 'assignee':
      return { ...base, autoCompleteUrl: api(ctx, `/user/assignable/search?project=${project.key}&query=`) };
    case 'reporter':
      return { ...base, hasDefaultValue: true, autoCompleteUrl: api(ctx, '/user/search?query=') };
    case 'components':
      return { ...base, operations: LIST_OPERATIONS, allowedValues: stores.components.forProject(project.id).map((c) => componentRef(ctx, c)) };
    case 'fixVersions':
    case 'versions':
      return {
        ...base,
        operations: LIST_OPERATIONS,
        allowedValues: stores.versions.forProject(project.id).filter((v) => !v.archived).map((v) => versionRef(ctx, v)),
      };
    case 'comment':
      return { ...base, operations: ['add', 'edit', 'remove'] };
    default:
      return base;
  }
}
