import type { AdfDoc, WorklogOp } from '../domain/replica';
import type { JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import type { AppliedChange } from './apply';
import type { Twin } from './twins';

// Worklog operations from the incoming script, recorded in the twin's map
// (remote worklog id → the copy here) as each is made, like comment copies:
// the map is what keeps a copy from travelling back as this side's own.

export async function applyWorklogs(jira: JiraClient, issueKey: string, ops: readonly WorklogOp[], twin: Twin): Promise<{ changes: AppliedChange[] }> {
  const changes: AppliedChange[] = [];
  for (const op of ops) {
    if (op.op === 'delete') {
      await jira.worklogs.delete(issueKey, op.id).catch((e) => {
        if (!isJiraError(e) || e.kind !== 'not-found') throw e;
      });
      delete twin.worklogs[op.remoteId];
      changes.push({ field: 'worklog', from: op.id, to: null });
      continue;
    }
    const input = { timeSpentSeconds: op.timeSpentSeconds, started: op.started, ...(op.comment ? { comment: op.comment as AdfDoc } : {}) };
    if (op.op === 'add') {
      if (twin.worklogs[op.remoteId]) continue;
      const created = await jira.worklogs.add(issueKey, input);
      twin.worklogs[op.remoteId] = created.id;
      changes.push({ field: 'worklog', from: null, to: `${op.timeSpentSeconds} s` });
    } else {
      await jira.worklogs.update(issueKey, op.id, input);
      changes.push({ field: 'worklog', from: op.id, to: `${op.timeSpentSeconds} s` });
    }
  }
  return { changes };
}
