import { z } from 'zod';
import { recordKind } from '../domain/stored-record';

// A sync that failed because Jira did not know a value (a status, type,
// priority or option) is a sign that a name the rules use has drifted: the
// failure leaves this mark, and the next maintenance run checks the
// connection's names at once instead of waiting for the daily check.

export const nameRecheckKey = (connectionId: string) => `rule-names-recheck:${connectionId}`;
export const nameRecheckRecord = recordKind({ name: 'rule names recheck', version: 1, schema: z.number(), key: nameRecheckKey });

/** Jira's words (and this app's) for a value it does not have. */
const MISSING_VALUE = /Specify a valid|does not exist|No transition leads|no longer exists/i;

export const namesAMissingValue = (message: string): boolean => MISSING_VALUE.test(message);
