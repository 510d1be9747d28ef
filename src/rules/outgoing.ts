import { z } from 'zod';
import { Replica, type LocalIssue, type RuleLookupsInput } from '../domain/replica';
import type { Clock } from '../ports';
import { normalizeLookups } from './lookups';
import { outputError } from './output-error';
import { INPUT_GLOBALS, preludeFor, preludeNeeds } from './prelude';
import { effectiveLimits, sandbox, type Sandbox, type SandboxJob, type SandboxLimits } from './sandbox';
import type { ScriptError } from './script-error';

export const OUTGOING_FILENAME = 'outgoing.js';

export interface OutgoingRun {
  script: string;
  /** The local issue as the engine read it from Jira. */
  issue: LocalIssue;
  lookups?: RuleLookupsInput;
  deadlineMs?: number;
  limits?: Partial<SandboxLimits>;
  clock?: Clock;
}

export type OutgoingOutcome =
  | { ok: true; replica: Replica; logs: string[] }
  | { ok: false; error: ScriptError; logs: string[] };

const OutgoingOutput = z.object({ replica: z.unknown(), logs: z.array(z.string()) });

/** Local issue → outgoing script → replica. */
export async function runOutgoing(run: OutgoingRun): Promise<OutgoingOutcome> {
  return runOutgoingIn(await sandbox(), run);
}

/** The same, on a sandbox the caller already holds (synchronous). */
export function runOutgoingIn(box: Sandbox, run: OutgoingRun): OutgoingOutcome {
  const outcome = box.run(outgoingJob(run));
  if (!outcome.ok) return outcome;

  const output = OutgoingOutput.parse(JSON.parse(outcome.output));
  const parsed = Replica.safeParse(output.replica);
  if (!parsed.success) return { ok: false, error: outputError('replica', parsed.error, 'replica'), logs: output.logs };
  return { ok: true, replica: withoutEchoes(parsed.data, run.issue), logs: output.logs };
}

/** The sandbox job for an outgoing run. */
export function outgoingJob(run: OutgoingRun): SandboxJob {
  const needs = preludeNeeds(run.script);
  const limits = effectiveLimits(run.deadlineMs === undefined ? run.limits : { ...run.limits, deadlineMs: run.deadlineMs });
  return {
    prelude: preludeFor('outgoing', run.script),
    inputs: {
      [INPUT_GLOBALS.main]: JSON.stringify({ issue: run.issue, deadlineMs: limits.deadlineMs }),
      ...(needs.nodeHelper && { [INPUT_GLOBALS.lookups]: JSON.stringify(normalizeLookups(run.lookups)) }),
    },
    script: run.script,
    filename: OUTGOING_FILENAME,
    limits,
    clock: run.clock,
  };
}

/** Comments and attachments this connection copied from the other side must
 *  not travel back there, whatever the script put in the replica: the other
 *  side would copy its own items again, and again. */
function withoutEchoes(replica: Replica, issue: LocalIssue): Replica {
  const copiedComments = new Set(issue.comments.filter((c) => c.remoteId !== undefined).map((c) => c.id));
  const copiedAttachments = new Set(issue.attachments.filter((a) => a.remoteId !== undefined).map((a) => a.id));
  const copiedWorklogs = new Set((issue.worklogs ?? []).filter((w) => w.remoteId !== undefined).map((w) => w.id));
  if (copiedComments.size === 0 && copiedAttachments.size === 0 && copiedWorklogs.size === 0) return replica;
  return {
    ...replica,
    ...(replica.comments && { comments: replica.comments.filter((c) => !copiedComments.has(c.id)) }),
    ...(replica.attachments && { attachments: replica.attachments.filter((a) => !copiedAttachments.has(a.id)) }),
    ...(replica.worklogs && { worklogs: replica.worklogs.filter((w) => !copiedWorklogs.has(w.id)) }),
  };
}
