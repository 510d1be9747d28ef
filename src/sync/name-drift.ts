import { z } from 'zod';
import type { Platform } from '../ports';
import { isLive, type ConnectionRecord } from '../domain/connection';
import { KIND_WORDS, NameWarning } from '../domain/name-references';
import { recordKind } from '../domain/stored-record';
import { listConnectionRecords } from '../connections/store';
import { createJiraClient } from '../jira/client';
import { nameRecheckRecord, nameRecheckKey, RecheckWhy } from './name-recheck';
import { shareSiteNamesIfDue } from './partner-names';
import { publishedRules, ruleNameWarnings } from './rule-names';
import { syncErrorStore } from './sync-errors';

// Drift: a status, type, priority, option or field that the rules name can be
// renamed or removed in Jira after the rules were published. The maintenance
// schedule checks each connection's names once a day, and at once after a
// sync failed on a value Jira did not know (./name-recheck.ts). A name gone
// since the last check becomes a connection warning (the Connections page
// reads this record) and an error on the Errors page, so the admin hears of
// it before issues start pausing on it. Runs as the app.

export const NAME_CHECK_EVERY_MS = 24 * 60 * 60_000;

export const NameCheck = z.object({
  at: z.number(),
  cause: z.union([z.enum(['publish', 'daily']), RecheckWhy]),
  warnings: z.array(NameWarning),
});
export type NameCheck = z.infer<typeof NameCheck>;

export const nameCheckKey = (connectionId: string) => `rule-names:${connectionId}`;
const nameCheckRecord = recordKind({ name: 'rule names check', version: 1, schema: NameCheck, key: nameCheckKey });

export async function readNameCheck(platform: Platform, connectionId: string): Promise<NameCheck | undefined> {
  return nameCheckRecord.find(platform, connectionId);
}

export async function recordNameCheck(platform: Platform, connectionId: string, check: NameCheck): Promise<void> {
  await platform.kvs.set(nameCheckKey(connectionId), check);
}

const identity = (w: NameWarning) => `${w.script}:${w.kind}:${w.side}:${w.name}`;

/** One maintenance pass: each live, active connection whose check is due. Two storage reads (three after a failure) for one that is not. */
export async function runNameDrift(platform: Platform): Promise<void> {
  const now = platform.clock.now();
  for (const connection of await listConnectionRecords(platform)) {
    if (connection.state !== 'active' || !isLive(connection)) continue;
    try {
      await checkIfDue(platform, connection, now);
    } catch (e) {
      platform.log.error('rule names check failed for a connection; the others go on', { connectionId: connection.id, error: String(e) });
    }
  }
}

async function checkIfDue(platform: Platform, connection: ConnectionRecord, now: number): Promise<void> {
  const jira = createJiraClient(platform.jira);
  // The partner judges its rules by this side's names: read daily, sent when they changed (./partner-names.ts).
  try {
    await shareSiteNamesIfDue(platform, connection, jira);
  } catch (e) {
    platform.log.warn('this site\'s names could not be sent to the partner; tried again at the next pass', { connectionId: connection.id, error: String(e) });
  }
  const last = await readNameCheck(platform, connection.id);
  const daily = !last || now - last.at >= NAME_CHECK_EVERY_MS;
  const mark = daily ? undefined : await nameRecheckRecord.find(platform, connection.id);
  if (!daily && (mark === undefined || mark.at < last!.at)) return;
  const warnings = await ruleNameWarnings(platform, connection, await publishedRules(platform, connection), jira);
  await recordNameCheck(platform, connection.id, { at: now, cause: daily ? 'daily' : mark!.why, warnings });
  if (mark !== undefined) await platform.kvs.delete(nameRecheckKey(connection.id));
  // Names already known to be missing (published anyway, or told before) are not told again.
  const before = new Set((last?.warnings ?? []).map(identity));
  const drifted = warnings.filter((w) => !before.has(identity(w)));
  if (drifted.length === 0) return;
  await syncErrorStore(platform.kvs, () => platform.random.uuid()).record(
    {
      connectionId: connection.id,
      phase: 'rules',
      localIssueId: null,
      issueKey: null,
      remoteIssueId: null,
      kind: 'rule-name-missing',
      message: `The rules name ${drifted.map(describe).join('; ')}: renamed or removed since they were published. Syncs that need ${drifted.length === 1 ? 'it' : 'them'} will fail until the rules are changed.`,
      scriptLine: drifted[0]!.line || null,
      scriptColumn: null,
    },
    now,
  );
}

function describe(w: NameWarning): string {
  const where = w.script === 'mapping' ? 'the Visual mapping' : `the ${w.script} script, line ${w.line}`;
  const side = w.side === 'local' ? 'this site' : 'the partner’s site';
  return `${KIND_WORDS[w.kind]} "${w.name}" (${where}), which ${side} no longer has${w.suggestion ? ` (now "${w.suggestion}"?)` : ''}`;
}
