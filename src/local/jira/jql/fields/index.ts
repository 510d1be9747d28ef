// Which handler answers a field named in a query: system fields by their JQL
// names and aliases, issue properties, and the site's custom fields by name or
// `cf[NNNNN]`. Anything else does not exist, as far as this site is concerned.
import type { Field } from '@atlaskit/jql-ast';
import type { JqlIssueRecord } from '../../../contracts';
import type { FieldHandler, JqlCompileContext, JqlCustomField } from '../model';
import { createdField, dueDateField, updatedField } from './dates';
import { issueKeyField, parentField } from './issue-key';
import { affectedVersionField, attachmentsField, componentField, fixVersionField, watcherField } from './items';
import { labelsField } from './labels';
import { looseField } from './loose';
import {
  issueTypeField,
  priorityField,
  projectField,
  resolutionField,
  statusCategoryField,
  statusField,
} from './named';
import { assigneeField, reporterField } from './people';
import { commentField, descriptionField, summaryField, textSearchField } from './text';

const SYSTEM_FIELDS = new Map<string, FieldHandler>([
  ['project', projectField],
  ['key', issueKeyField],
  ['issuekey', issueKeyField],
  ['issue', issueKeyField],
  ['id', issueKeyField],
  ['issuetype', issueTypeField],
  ['type', issueTypeField],
  ['status', statusField],
  ['statuscategory', statusCategoryField],
  ['priority', priorityField],
  ['resolution', resolutionField],
  ['labels', labelsField],
  ['assignee', assigneeField],
  ['reporter', reporterField],
  ['summary', summaryField],
  ['description', descriptionField],
  ['comment', commentField],
  ['text', textSearchField],
  ['created', createdField],
  ['createddate', createdField],
  ['updated', updatedField],
  ['updateddate', updatedField],
  ['duedate', dueDateField],
  ['due', dueDateField],
  ['parent', parentField],
  ['fixversion', fixVersionField],
  ['affectedversion', affectedVersionField],
  ['component', componentField],
  ['watcher', watcherField],
  ['attachments', attachmentsField],
]);

export interface ResolvedField {
  handler: FieldHandler;
  /** The name Jira's messages use: the field as the query wrote it. */
  name: string;
}

export function resolveField(field: Field, ctx: JqlCompileContext): ResolvedField | undefined {
  const name = field.value;
  const property = issueProperty(field);
  if (property) return property;
  const system = SYSTEM_FIELDS.get(name.toLowerCase());
  if (system) return { handler: system, name };
  const custom = customField(name, ctx.customFields ?? []);
  return custom ? { handler: custom, name } : undefined;
}

const CF_ID = /^cf\[(\d+)\]$/i;

function customField(name: string, catalog: readonly JqlCustomField[]): FieldHandler | undefined {
  const byId = CF_ID.exec(name);
  const matches = byId
    ? catalog.filter((f) => f.id === `customfield_${byId[1]}`)
    : catalog.filter((f) => f.name.toLowerCase() === name.toLowerCase());
  if (matches.length === 0) return undefined;
  const keys = matches.map((f) => ({ byId: `cf[${f.id.slice('customfield_'.length)}]`, byName: f.name }));
  const kinds = new Set(matches.map((f) => f.kind));
  // Several fields may share a name; Jira then searches all of them.
  const valueOf =
    keys.length === 1
      ? (issue: JqlIssueRecord) => issue.customFields[keys[0]!.byId] ?? issue.customFields[keys[0]!.byName]
      : (issue: JqlIssueRecord) => keys.map((k) => issue.customFields[k.byId] ?? issue.customFields[k.byName]);
  return looseField({
    valueOf,
    kind: kinds.size === 1 ? matches[0]!.kind : undefined,
    options: matches.length === 1 ? matches[0]!.options : undefined,
  });
}

/** `issue.property[key].a.b`: the value at path `a.b` of the issue's entity property `key`. */
function issueProperty(field: Field): ResolvedField | undefined {
  if (field.value.toLowerCase() !== 'issue.property') return undefined;
  const property = field.properties?.[0];
  const key = property?.key?.value;
  if (!property || key === undefined) return undefined;
  const pathText = (property.path ?? []).map((p) => p.value).join('');
  const path = pathText.split('.').filter((segment) => segment !== '');
  return {
    handler: looseField({ valueOf: (issue) => walk(issue.properties[key], path) }),
    name: `issue.property[${key}]${pathText}`,
  };
}

/** Follows a path into JSON; arrays along the way spread into all their elements. */
function walk(value: unknown, path: readonly string[]): unknown {
  let current: unknown[] = [value];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const item of current.flat()) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        next.push((item as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current.length === 1 ? current[0] : current;
}
