import { z } from 'zod';
import { recordKind } from '../domain/stored-record';

// A sync that failed because Jira did not know a value (a status, type,
// priority or option) is a sign that a name the rules use has drifted, and
// new names from the partner (./partner-names.ts) may make a rule name wrong
// or right: either leaves this mark, and the next maintenance run checks the
// connection's names at once instead of waiting for the daily check.

export const RecheckWhy = z.enum(['sync-failure', 'partner-names']);

/** When and why; a bare time is a sync failure's mark (as it was first stored, and as sync-errors.ts writes it). */
const NameRecheck = z.union([
  z.number().transform((at) => ({ at, why: 'sync-failure' as const })),
  z.object({ at: z.number(), why: RecheckWhy }),
]);

export const nameRecheckKey = (connectionId: string) => `rule-names-recheck:${connectionId}`;
export const nameRecheckRecord = recordKind({ name: 'rule names recheck', version: 1, schema: NameRecheck, key: nameRecheckKey });

/** Jira's words (and this app's) for a value it does not have. */
const MISSING_VALUE = /Specify a valid|does not exist|No transition leads|no longer exists/i;

export const namesAMissingValue = (message: string): boolean => MISSING_VALUE.test(message);
