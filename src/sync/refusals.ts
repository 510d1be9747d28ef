import { isJiraError } from '../jira/errors';
import type { FieldCatalog } from './issue-reader';

// A value Jira refuses (an option the field does not offer, a person who is
// not on this site, text where a number belongs) should cost that one field,
// not the whole issue. Jira names each refused field in the 400 answer's
// `errors`; those fields are left out and the write is made again with the
// rest. An admin who wants the whole issue to wait instead turns on the
// connection's "strict" switch, and the refusal pauses the issue as before.

export interface RefusedField {
  /** Jira's field id (`customfield_10031`, `priority`). */
  jiraField: string;
  /** The name a person knows it by. */
  name: string;
  /** Jira's own words. */
  reason: string;
}

/**
 * Calls `write` with `fields`, and again without each field Jira refused, until Jira takes the rest or
 * refuses something else. `write` may add fields of its own (a create's project and type): a refusal of
 * those is not dropped but thrown, as is any refusal when `strict`.
 */
export async function writeAccepted(
  fields: Record<string, unknown>,
  write: (fields: Record<string, unknown>) => Promise<void>,
  options: { strict: boolean; catalog: FieldCatalog },
): Promise<{ written: Record<string, unknown>; refused: RefusedField[] }> {
  const remaining = { ...fields };
  const refused: RefusedField[] = [];
  for (;;) {
    try {
      await write(remaining);
      return { written: remaining, refused };
    } catch (e) {
      if (options.strict || !isJiraError(e) || e.kind !== 'bad-request') throw e;
      const dropped = Object.keys(e.errors).filter((id) => Object.hasOwn(remaining, id));
      // Something other than the values this write chose (or nothing named): not ours to drop.
      if (dropped.length === 0 || dropped.length < Object.keys(e.errors).length) throw e;
      for (const id of dropped) {
        refused.push({ jiraField: id, name: options.catalog.custom.get(id)?.name ?? id, reason: e.errors[id]! });
        delete remaining[id];
      }
    }
  }
}

/** The history's and the errors list's line for a refused field. */
export function refusalMessage(refusal: RefusedField): string {
  return `"${refusal.name}" was not synced: Jira here refused the value (${refusal.reason}). The rest of the issue synced.`;
}
