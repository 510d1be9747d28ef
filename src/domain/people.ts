import { z } from 'zod';

// A connection's People settings: the account table a Jira admin keeps (the partner's person → a person
// here), the fallback person for everyone else, and the partner's people nothing placed yet, listed so the
// admin sees whom to map. Emails place people first; these are for hidden emails and people without an
// account here.

/** At most this many rows in a connection's account table: the record stays one small stored value (~50 KB at most). */
export const MAX_MAPPED_PEOPLE = 200;
/** The people still unmatched that are listed for the admin, newest first. */
export const MAX_UNMATCHED_PEOPLE = 50;

export const Person = z.object({ accountId: z.string().min(1).max(128), displayName: z.string().max(255) });
export type Person = z.output<typeof Person>;

export const PeopleMapping = z.object({
  /** Everyone the table and emails do not place becomes this person; null: such fields are skipped with a warning. */
  fallback: Person.nullable(),
  accounts: z.array(z.object({ remote: Person, local: Person })).max(MAX_MAPPED_PEOPLE),
  unmatched: z.array(Person.extend({ lastSeen: z.number() })).max(MAX_UNMATCHED_PEOPLE),
});
export type PeopleMapping = z.output<typeof PeopleMapping>;
