import { z } from 'zod';
import type { JiraClient } from '../jira/client';
import type { JiraField } from '../jira/schemas';
import type { Handlers } from './define';

// What Visual mode's pickers offer: one project's issue types, its
// workflows' statuses, the priorities, the custom fields a mapping can
// carry with their options, and people to pick. All read through Jira as
// the admin who opened the editor (`call.jira`), so a picker never offers
// what Jira would not show that person.

type CustomKind = 'text' | 'select' | 'user';

/** The kinds of custom field a Visual mapping carries (`CustomFieldMapping.type`), by the field's Jira type. */
export function customKindOf(field: JiraField): CustomKind | null {
  const custom = field.schema?.custom ?? '';
  const kind = custom.split(':').pop() ?? '';
  if (['select', 'radiobuttons'].includes(kind)) return 'select';
  if (kind === 'userpicker') return 'user';
  if (['textfield', 'textarea', 'url'].includes(kind)) return 'text';
  return null;
}

const Icon = z.looseObject({ iconUrl: z.string().optional() });
const iconOf = (value: unknown) => Icon.safeParse(value).data?.iconUrl ?? null;
const Avatars = z.looseObject({ avatarUrls: z.record(z.string(), z.string()).optional() });

async function optionsOf(jira: JiraClient, fieldId: string): Promise<string[]> {
  const contexts = await jira.metadata.fieldContexts(fieldId);
  const names = new Set<string>();
  for (const context of contexts.values) {
    const options = await jira.metadata.fieldOptions(fieldId, context.id);
    for (const option of options.values) if (!option.disabled) names.add(option.value);
  }
  return [...names];
}

const byName = <T extends { name: string }>(values: T[]) => values.sort((a, b) => a.name.localeCompare(b.name));

export const jiraValueHandlers: Handlers<'getJiraValues' | 'searchUsers'> = {
  getJiraValues: async ({ jira, input }) => {
    const project = await jira.projects.get(input.projectKey);
    const [issueTypes, perType, priorities, fields] = await Promise.all([
      jira.projects.issueTypes(project.id),
      jira.projects.statuses(project.key),
      jira.metadata.priorities(),
      jira.metadata.fields(),
    ]);
    const statuses = new Map<string, { id: string; name: string; iconUrl: string | null }>();
    for (const type of perType) for (const status of type.statuses) if (!statuses.has(status.name)) statuses.set(status.name, { id: status.id ?? status.name, name: status.name, iconUrl: null });
    const customFields = [];
    for (const field of fields.filter((f) => f.custom)) {
      const type = customKindOf(field);
      if (!type) continue;
      customFields.push({ id: field.id, name: field.name, type, options: type === 'select' ? await optionsOf(jira, field.id) : [] });
    }
    return {
      ok: true,
      projectKey: project.key,
      issueTypes: byName(issueTypes.filter((t) => !t.subtask).map((t) => ({ id: t.id, name: t.name, iconUrl: iconOf(t) }))),
      statuses: byName([...statuses.values()]),
      // Jira's own order: highest first, as its priority pickers show them.
      priorities: priorities.map((p) => ({ id: p.id, name: p.name, iconUrl: iconOf(p) })),
      customFields: byName(customFields),
    };
  },

  searchUsers: async ({ jira, input }) => {
    const found = await jira.users.search(input.query);
    const people = found.filter((u) => u.accountType === undefined || u.accountType === 'atlassian');
    return {
      ok: true,
      users: people.map((u) => ({
        accountId: u.accountId,
        displayName: u.displayName ?? u.accountId,
        email: u.emailAddress ?? null,
        avatarUrl: Avatars.safeParse(u).data?.avatarUrls?.['48x48'] ?? null,
      })),
    };
  },
};
