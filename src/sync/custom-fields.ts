import type { JiraField, JiraUser } from '../jira/schemas';
import { textToAdf, type AdfDoc, type CustomFieldValue, type ReplicaUser } from '../domain/replica';

// Custom field values between Jira's shapes and the replica's typed values,
// each by the field's type (its schema in GET /field): what Jira returns on
// an issue read, what it takes on create and edit, and when two values are
// the same (so only fields that differ are written).

type Kind = CustomFieldValue['type'];

const SYSTEM_TYPES = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** The replica type a Jira field's values travel as; undefined for types this app does not sync. */
export function customFieldKind(field: JiraField): Kind | undefined {
  const schema = field.schema;
  if (!schema) return undefined;
  const custom = schema.custom?.startsWith(SYSTEM_TYPES) ? schema.custom.slice(SYSTEM_TYPES.length) : schema.custom;
  switch (schema.type) {
    // A paragraph field holds an ADF document in REST v3; single-line text and URL fields hold strings.
    case 'string':
      return custom === 'textarea' ? 'richtext' : 'text';
    case 'number':
      return 'number';
    case 'option':
      return 'option';
    case 'option-with-child':
      return 'cascade';
    case 'user':
      return 'user';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'array':
      if (schema.items === 'option') return 'options';
      if (schema.items === 'string') return 'labels';
      if (schema.items === 'user') return 'users';
      return undefined;
    default:
      return undefined;
  }
}

export function toReplicaUser(user: JiraUser | null | undefined): ReplicaUser | null {
  if (!user) return null;
  return { accountId: user.accountId, displayName: user.displayName ?? user.accountId, ...(user.emailAddress ? { email: user.emailAddress } : {}) };
}

const optionValue = (o: unknown) => String((o as { value?: unknown } | null)?.value ?? '');

/** An issue's raw field value (as Jira returns it) → the typed replica value. */
export function readCustomValue(field: JiraField, value: unknown): CustomFieldValue | undefined {
  switch (customFieldKind(field)) {
    case 'text':
      return { type: 'text', value: typeof value === 'string' ? value : null };
    case 'richtext':
      return { type: 'richtext', value: isAdf(value) ? value : typeof value === 'string' ? textToAdf(value) : null };
    case 'number':
      return { type: 'number', value: typeof value === 'number' ? value : null };
    case 'option':
      return { type: 'option', value: value ? optionValue(value) : null };
    case 'options':
      return { type: 'options', value: Array.isArray(value) ? value.map(optionValue) : [] };
    case 'cascade': {
      if (!value) return { type: 'cascade', value: null };
      const child = (value as { child?: unknown }).child;
      return { type: 'cascade', value: { parent: optionValue(value), child: child ? optionValue(child) : null } };
    }
    case 'user':
      return { type: 'user', value: toReplicaUser(value as JiraUser | null) };
    case 'users':
      return { type: 'users', value: Array.isArray(value) ? value.map((u) => toReplicaUser(u as JiraUser)!).filter(Boolean) : [] };
    case 'labels':
      return { type: 'labels', value: Array.isArray(value) ? value.map(String) : [] };
    case 'date':
      return { type: 'date', value: typeof value === 'string' ? value : null };
    case 'datetime':
      return { type: 'datetime', value: typeof value === 'string' ? value : null };
    default:
      return undefined;
  }
}

/**
 * A value the script chose, in the shape the local field takes. Text and rich text turn into each other
 * (a paragraph field on one side and a single-line one on the other is common); a single user and a list
 * of users likewise, as do an option and a list of options. Any other mismatch is not applied.
 */
export function convertTo(kind: Kind, value: CustomFieldValue): CustomFieldValue | undefined {
  if (value.type === kind) return value;
  if (kind === 'richtext' && value.type === 'text') return { type: 'richtext', value: value.value === null ? null : textToAdf(value.value) };
  if (kind === 'text' && value.type === 'richtext') return { type: 'text', value: value.value === null ? null : adfText(value.value) };
  if (kind === 'users' && value.type === 'user') return { type: 'users', value: value.value ? [value.value] : [] };
  if (kind === 'user' && value.type === 'users') return { type: 'user', value: value.value[0] ?? null };
  if (kind === 'options' && value.type === 'option') return { type: 'options', value: value.value === null ? [] : [value.value] };
  if (kind === 'option' && value.type === 'options') return { type: 'option', value: value.value[0] ?? null };
  if (kind === 'labels' && value.type === 'options') return { type: 'labels', value: value.value };
  if (kind === 'options' && value.type === 'labels') return { type: 'options', value: value.value };
  return undefined;
}

/** The typed value as Jira takes it on create and edit. */
export function toJiraCustomValue(value: CustomFieldValue): unknown {
  switch (value.type) {
    case 'option':
      return value.value === null ? null : { value: value.value };
    case 'options':
      return value.value.map((v) => ({ value: v }));
    case 'cascade':
      return value.value === null ? null : { value: value.value.parent, ...(value.value.child ? { child: { value: value.value.child } } : {}) };
    case 'user':
      return value.value ? { accountId: value.value.accountId } : null;
    case 'users':
      return value.value.map((u) => ({ accountId: u.accountId }));
    case 'text':
      // Jira clears a text field with null; an empty string is the same to a person.
      return value.value === '' ? null : value.value;
    default:
      return value.value;
  }
}

/**
 * What decides whether two values are the same: people by account id (names and emails vary with who
 * looks), lists of options and people as sets, timestamps as instants (each site writes its own offset),
 * empty lists and empty text as nothing.
 */
export function comparableCustom(value: CustomFieldValue | undefined): unknown {
  if (!value) return null;
  switch (value.type) {
    case 'user':
      return value.value?.accountId ?? null;
    case 'users':
      return value.value.length ? value.value.map((u) => u.accountId).sort() : null;
    case 'options':
    case 'labels':
      return value.value.length ? [...value.value].sort() : null;
    case 'datetime':
      return value.value === null ? null : (instant(value.value) ?? value.value);
    case 'text':
      return value.value === '' ? null : value.value;
    default:
      return value.value;
  }
}

/** Milliseconds of a Jira (`…+0000`) or ISO timestamp; undefined when it is neither. */
function instant(text: string): number | undefined {
  const at = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(at) ? undefined : at;
}

function isAdf(value: unknown): value is AdfDoc {
  return !!value && typeof value === 'object' && (value as { type?: unknown }).type === 'doc' && Array.isArray((value as { content?: unknown }).content);
}

/** An ADF document's text, one line per block. */
export function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: string; text?: string; content?: unknown[] };
  if (n.type === 'hardBreak') return '\n';
  const inner = (n.content ?? []).map(adfText);
  return (n.text ?? '') + inner.join(n.type === 'doc' || n.type === 'bulletList' || n.type === 'orderedList' ? '\n' : '');
}
