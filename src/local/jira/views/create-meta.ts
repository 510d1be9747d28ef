// The fields on a project's create screen for one issue type
// (`FieldCreateMetadata`), with allowed values where Jira lists them.
import type { IssueTypeRecord, ProjectRecord } from '../catalog';
import { CUSTOM_FIELD_TYPES, SYSTEM_FIELDS } from '../model/fields';
import type { SiteState } from '../state';
import { api } from './context';
import { issueTypeJson, priorityJson, projectRef } from './metadata';

export function createMetaFields(state: SiteState, project: ProjectRecord, type: IssueTypeRecord): Record<string, unknown>[] {
  const { ctx, catalog } = state;
  const system = (id: string, extra: Record<string, unknown>): Record<string, unknown> => {
    const field = SYSTEM_FIELDS.find((f) => f.id === id);
    return {
      required: false,
      schema: field?.schema ?? { type: 'any' },
      name: field?.name ?? id,
      key: id,
      fieldId: id,
      hasDefaultValue: false,
      operations: ['set'],
      ...extra,
    };
  };
  const defaultPriority = catalog.defaultPriority();
  const fields: Record<string, unknown>[] = [
    system('summary', { required: true }),
    system('issuetype', { required: true, allowedValues: [issueTypeJson(ctx, type)] }),
    system('project', { required: true, allowedValues: [projectRef(ctx, project)] }),
    system('description', {}),
    system('priority', {
      allowedValues: catalog.priorities.map((p) => priorityJson(ctx, p)),
      ...(defaultPriority ? { hasDefaultValue: true, defaultValue: priorityJson(ctx, defaultPriority) } : {}),
    }),
    system('labels', { operations: ['add', 'set', 'remove'], autoCompleteUrl: api(ctx, '/label/suggest?query=') }),
    system('assignee', { autoCompleteUrl: api(ctx, `/user/assignable/search?project=${project.key}&query=`) }),
    system('reporter', { required: true, hasDefaultValue: true, autoCompleteUrl: api(ctx, '/user/search?query=') }),
    system('duedate', {}),
  ];
  if (type.subtask || type.hierarchyLevel === 0) fields.push(system('parent', { required: type.subtask }));
  for (const field of catalog.customFields) {
    fields.push({
      required: false,
      schema: { ...CUSTOM_FIELD_TYPES[field.kind], customId: field.numericId },
      name: field.name,
      key: field.id,
      fieldId: field.id,
      hasDefaultValue: false,
      operations: field.kind === 'labels' ? ['add', 'set', 'remove'] : ['set'],
      ...(field.kind === 'select'
        ? { allowedValues: field.options.map((o) => ({ self: api(ctx, `/customFieldOption/${o.id}`), value: o.value, id: o.id })) }
        : {}),
    });
  }
  return fields;
}
