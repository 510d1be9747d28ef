import { z } from 'zod';
import {
  DesiredIssue,
  type IncomingIssue,
  type IncomingResult,
  type Replica,
  type RuleLookupsInput,
} from '../domain/replica';
import type { Clock } from '../ports';
import { diffAttachments, diffComments, diffWorklogs, sameJson, ScriptAttachment, ScriptComment, ScriptWorklog } from './incoming-ops';
import { normalizeLookups } from './lookups';
import { outputError } from './output-error';
import { INPUT_GLOBALS, preludeFor, preludeNeeds } from './prelude';
import { effectiveLimits, sandbox, type Sandbox, type SandboxJob, type SandboxLimits } from './sandbox';
import type { ScriptError } from './script-error';

export const INCOMING_FILENAME = 'incoming.js';

export interface IncomingRun {
  script: string;
  replica: Replica;
  /** The last replica applied to this twin, or null. */
  previous: Replica | null;
  /** The local twin as read from Jira; null (or next to empty) on the first sync. */
  issue: IncomingIssue | null;
  firstSync: boolean;
  /** The partner site's name, for the line that heads copied comments and worklogs ("Ava Blue, on Blue Jira:"). */
  partnerName?: string;
  lookups?: RuleLookupsInput;
  deadlineMs?: number;
  limits?: Partial<SandboxLimits>;
  clock?: Clock;
}

export type IncomingOutcome =
  | { ok: true; result: IncomingResult }
  | { ok: false; error: ScriptError; logs: string[] };

const IncomingOutput = z.object({
  issue: z.unknown(),
  status: z.string().nullable(),
  unExalate: z.boolean(),
  logs: z.array(z.string()),
  unmapped: z.array(z.object({ accountId: z.string().min(1), displayName: z.string(), fellBack: z.boolean() })).default([]),
});

const StatusWish = z.union([z.string(), z.looseObject({ name: z.string() })]).nullish();

/** What the script left in `issue`: the writable fields, plus the names the
 *  engine reads back (type, project, status) and the two lists it diffs. */
const ScriptIssue = z.looseObject({
  ...DesiredIssue.shape,
  type: z.looseObject({ name: z.string().optional() }).nullish(),
  project: z.looseObject({ key: z.string().optional() }).nullish(),
  status: StatusWish,
  comments: z.array(ScriptComment).nullish(),
  attachments: z.array(ScriptAttachment).nullish(),
  worklogs: z.array(ScriptWorklog).nullish(),
});

/** Replica (+ previous, + the local issue, + lookups) → incoming script → the
 *  desired local state and the comment and attachment operations. */
export async function runIncoming(run: IncomingRun): Promise<IncomingOutcome> {
  return runIncomingIn(await sandbox(), run);
}

/** The same, on a sandbox the caller already holds (synchronous). */
export function runIncomingIn(box: Sandbox, run: IncomingRun): IncomingOutcome {
  const before: IncomingIssue = run.issue ?? {};
  const outcome = box.run(incomingJob(run));
  if (!outcome.ok) return outcome;
  return interpret(before, outcome.output);
}

/** The sandbox job for an incoming run. */
export function incomingJob(run: IncomingRun): SandboxJob {
  const needs = preludeNeeds(run.script);
  const limits = effectiveLimits(run.deadlineMs === undefined ? run.limits : { ...run.limits, deadlineMs: run.deadlineMs });
  return {
    prelude: preludeFor('incoming', run.script),
    inputs: {
      [INPUT_GLOBALS.main]: JSON.stringify({ replica: run.replica, issue: run.issue ?? {}, firstSync: run.firstSync, partnerName: run.partnerName ?? null, deadlineMs: limits.deadlineMs }),
      ...(needs.previous && { [INPUT_GLOBALS.previous]: JSON.stringify(run.previous) }),
      ...((needs.nodeHelper || needs.syncHelper) && { [INPUT_GLOBALS.lookups]: JSON.stringify(normalizeLookups(run.lookups)) }),
    },
    script: run.script,
    filename: INCOMING_FILENAME,
    limits,
    clock: run.clock,
  };
}

function interpret(before: IncomingIssue, text: string): IncomingOutcome {
  const output = IncomingOutput.parse(JSON.parse(text));
  const logs = output.logs;
  const parsed = ScriptIssue.safeParse(output.issue);
  if (!parsed.success) return { ok: false, error: outputError('issue', parsed.error, 'issue'), logs };
  const after = parsed.data;

  // This side's own links, left as they were, are no wish; a list the script set names the partner's issues.
  const { issueLinks, ...fields } = pick(after, Object.keys(DesiredIssue.shape) as (keyof DesiredIssue)[]);
  const desired = DesiredIssue.safeParse({
    ...fields,
    ...(issueLinks && !sameJson(issueLinks, before.issueLinks ?? []) ? { issueLinks } : {}),
    typeName: changedName(before.typeName, after.typeName, before.type?.name, after.type?.name ?? undefined),
    projectKey: changedName(before.projectKey, after.projectKey, before.project?.key, after.project?.key ?? undefined),
  });
  if (!desired.success) return { ok: false, error: outputError('issue', desired.error, 'issue'), logs };

  const comments = after.comments ? diffComments(before.comments ?? [], after.comments) : { ops: [], warnings: [] };
  const attachments = after.attachments ? diffAttachments(before.attachments ?? [], after.attachments) : { ops: [], warnings: [] };
  if ('error' in attachments) return { ok: false, error: attachments.error, logs };
  const worklogs = after.worklogs ? diffWorklogs(before.worklogs ?? [], after.worklogs) : { ops: [], warnings: [] };

  return {
    ok: true,
    result: {
      issue: desired.data,
      comments: comments.ops,
      attachments: attachments.ops,
      worklogs: worklogs.ops,
      status: output.status ?? statusWish(before.status?.name, after.status),
      unExalate: output.unExalate,
      warnings: [...comments.warnings, ...attachments.warnings, ...worklogs.warnings, ...unplacedWarnings(output.unmapped)],
      ...(output.unmapped.length ? { unmapped: output.unmapped } : {}),
      logs,
    },
  };
}

/** Scripts may set `issue.typeName = "Bug"` or `issue.type = {name: "Bug"}`
 *  (and likewise projectKey / project): whichever the script changed wins. */
function changedName(
  beforeName: string | undefined,
  afterName: string | undefined,
  beforeObject: string | undefined,
  afterObject: string | undefined,
): string | undefined {
  if (afterName !== beforeName) return afterName;
  if (afterObject !== beforeObject && afterObject) return afterObject;
  return afterName;
}

/** `issue.setStatus(name)` is the way; assigning `issue.status` also counts. */
function statusWish(before: string | undefined, after: z.output<typeof StatusWish>): string | null {
  const name = typeof after === 'string' ? after : after?.name;
  return name && name !== before ? name : null;
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

/** A person of the partner's whom nothing placed here, and no fallback either: the field stays as it was. */
function unplacedWarnings(unmapped: z.output<typeof IncomingOutput>['unmapped']): string[] {
  const nobody = [...new Map(unmapped.filter((p) => !p.fellBack).map((p) => [p.accountId, p])).values()];
  return nobody.map(
    (p) => `${p.displayName} has no account here that their email or the connection's account table names, and the connection has no fallback person: the field was left as it is.`,
  );
}
