import type { IncomingResult, Replica, RuleLookupsInput } from '../../domain/replica';
import type { Storage } from '../../domain/stored-record';
import { rewriteMentions, type MentionTarget } from '../mentions';
import { noteUnmatched, peopleNamedIn, type Person } from '../people';

// After the incoming script: mentions in what it writes are pointed at people here (or become plain text),
// and the partner's people nothing placed are listed for the admin on the connection's People table.

/** Where a partner's account id is here: the same account found here, the person their email found, or the account table's row. */
function mentionTarget(named: ReturnType<typeof peopleNamedIn>, lookups: RuleLookupsInput): MentionTarget {
  const found = lookups.users ?? [];
  const byEmail = new Map(found.flatMap((u) => (u.email ? [[u.email.toLowerCase(), u] as const] : [])));
  const here = new Map(found.map((u) => [u.accountId, u]));
  const emailOf = new Map(named.users.flatMap((u) => (u.email ? [[u.accountId, u.email.toLowerCase()] as const] : [])));
  const table = lookups.people?.accounts ?? {};
  return (id) => {
    const local = here.get(id) ?? (emailOf.has(id) ? byEmail.get(emailOf.get(id)!) : undefined) ?? table[id];
    return local ? { accountId: local.accountId, displayName: local.displayName } : null;
  };
}

/** The script's result with every mention it writes placed here; the partner's people mentioned but not placed, for the admin's list. */
export function placeMentions(result: IncomingResult, replica: Replica, lookups: RuleLookupsInput): { result: IncomingResult; unplaced: Person[] } {
  const named = peopleNamedIn(replica);
  const target = mentionTarget(named, lookups);
  const names = new Map<string, string>();
  const unplaced = new Map<string, Person>();
  const place: MentionTarget = (id) => {
    const local = target(id);
    if (!local) unplaced.set(id, { accountId: id, displayName: names.get(id) ?? id });
    return local;
  };
  for (const user of named.users) names.set(user.accountId, user.displayName);
  const fields = result.issue.customFields;
  const issue = {
    ...result.issue,
    ...(result.issue.description !== undefined && { description: rewriteMentions(result.issue.description, place) }),
    ...(fields && {
      customFields: Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.type === 'richtext' ? { ...f, value: rewriteMentions(f.value, place) } : f])),
    }),
  };
  const comments = result.comments.map((op) => (op.op === 'delete' ? op : { ...op, body: rewriteMentions(op.body, place) }));
  const worklogs = result.worklogs?.map((op) => (op.op === 'delete' ? op : { ...op, comment: rewriteMentions(op.comment, place) }));
  return { result: { ...result, issue, comments, ...(worklogs && { worklogs }) }, unplaced: [...unplaced.values()] };
}

/** The people to list for the admin after a run: those the script could not map (fallback or not) and those mentioned but not placed. */
export async function listUnplaced(storage: Storage & { installation?: string }, connectionId: string, result: IncomingResult, mentioned: Person[], now: number): Promise<void> {
  const people = [...(result.unmapped ?? []).map(({ accountId, displayName }) => ({ accountId, displayName })), ...mentioned];
  await noteUnmatched(storage, connectionId, people, now);
}
