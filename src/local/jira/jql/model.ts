// Types shared by the JQL engine's modules.
import { z } from 'zod';
import type { JqlContext, JqlIssueRecord } from '../../contracts';
import type { HistorySpec } from './history';

export type Predicate = (issue: JqlIssueRecord) => boolean;

export const JqlCustomFieldKindSchema = z.enum([
  'text', 'textarea', 'number', 'select', 'user', 'labels', 'date', 'datetime', 'url', 'multiselect', 'cascadingselect',
  'checkboxes', 'multiuser',
]);
export type JqlCustomFieldKind = z.infer<typeof JqlCustomFieldKindSchema>;

export const JqlCustomFieldSchema = z.object({
  /** `customfield_10010`; JQL names it `cf[10010]`. */
  id: z.string().regex(/^customfield_\d+$/),
  name: z.string().min(1),
  /** Decides the operators Jira allows; without it every operator but WAS/CHANGED is allowed. */
  kind: JqlCustomFieldKindSchema.optional(),
  /** Options of a select field (every level, every context), so an unknown option is rejected as Jira does. */
  options: z.array(z.object({ value: z.string() })).optional(),
});
export type JqlCustomField = z.infer<typeof JqlCustomFieldSchema>;

export const JqlNamedValueSchema = z.object({ id: z.string(), name: z.string() });
export type JqlNamedValue = z.infer<typeof JqlNamedValueSchema>;

/**
 * What the site knows beyond `JqlContext`; every member is optional. With a
 * member given, the engine checks values as Jira does (`status = Nope` is
 * rejected, `status = 10001` finds the status by id, priorities compare in the
 * site's order); without it, values are taken as written and not checked.
 * Custom fields are the exception: without `customFields` no custom field
 * exists, so a query naming one is rejected rather than silently matching nothing.
 */
export const JqlSiteCatalogSchema = z.object({
  customFields: z.array(JqlCustomFieldSchema).optional(),
  /** Versions and components (of the projects the caller may see), so an unknown one is rejected as Jira does. */
  versions: z.array(JqlNamedValueSchema).optional(),
  components: z.array(JqlNamedValueSchema).optional(),
  statuses: z.array(JqlNamedValueSchema).optional(),
  issueTypes: z.array(JqlNamedValueSchema).optional(),
  /** In the site's order, highest first. */
  priorities: z.array(JqlNamedValueSchema).optional(),
  resolutions: z.array(JqlNamedValueSchema).optional(),
});
export type JqlSiteCatalog = z.infer<typeof JqlSiteCatalogSchema> & {
  /** Whether an issue with this key exists, so `key = UD-999` is rejected as Jira does. */
  issueExists?(key: string): boolean;
};

export type JqlCompileContext = JqlContext & JqlSiteCatalog;

/** One operand after lists are flattened. */
export type Operand =
  | { kind: 'empty' }
  | { kind: 'value'; value: string }
  | { kind: 'function'; name: string; args: string[] };

export type Comparison = '<' | '<=' | '>' | '>=';

/**
 * A clause's test once NOT has been pushed into it, as Jira rewrites
 * `NOT a = b` to `a != b`: negative tests never match an empty field.
 */
export type Test =
  | { kind: 'in' | 'notIn'; operands: Operand[] }
  | { kind: 'like' | 'notLike'; operands: Operand[] }
  | { kind: 'compare'; operator: Comparison; operands: Operand[] };

export interface BuildScope {
  /** The field name as the query wrote it, for messages. */
  field: string;
  ctx: JqlCompileContext;
  report(message: string): void;
}

export type SortKey = string | number | null;

export interface FieldHandler {
  /** Operators Jira accepts for this field, as the parser spells them (`=`, `not in`, `is not`…). */
  readonly operators: ReadonlySet<string>;
  build(test: Test, scope: BuildScope): Predicate;
  /** Absent when Jira cannot sort by the field. */
  readonly sortKey?: (ctx: JqlCompileContext) => (issue: JqlIssueRecord) => SortKey;
  /** The field's own direction when ORDER BY names none. */
  readonly defaultDirection?: 'ASC' | 'DESC';
  /** Present when the field keeps a searchable history (`CHANGED`, `WAS`). */
  readonly history?: HistorySpec;
}

export const never: Predicate = () => false;
