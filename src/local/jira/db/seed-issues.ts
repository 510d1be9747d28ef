// Seed issues go through the same writers as REST calls, so they are exactly
// what the API would have made (keys, defaults, resolutions, history).
import type { ProjectRecord, TransitionRecord } from '../catalog';
import type { SiteSeed } from '../seed-schema';
import type { SiteState } from '../state';
import { textToAdf } from '../model/adf';
import { parseDuration } from '../model/duration';
import { parseJiraDateTime } from '../model/time';
import { availableTransitions } from '../views/transitions';
import { createIssue, transitionIssue } from '../write/issues';
import { addComment, INTERNAL_PROPERTY } from '../write/comments';
import { addWorklog } from '../write/worklogs';

export function writeSeedIssues(state: SiteState, seed: SiteSeed): void {
  for (const issue of seed.issues) {
    const project = state.catalog.project(issue.project);
    const type = state.catalog.issueTypes.find((t) => t.name === issue.type);
    if (!project || !type) throw new Error(`Seed issue "${issue.summary}" names an unknown project or type`);
    // Custom fields may be named as people name them; the API takes ids.
    const extra = Object.fromEntries(Object.entries(issue.fields).map(([name, value]) =>
      [state.catalog.customFields.find((f) => f.name === name)?.id ?? name, value]));
    const created = createIssue(state, {
      fields: {
        project: { key: project.key },
        issuetype: { id: type.id },
        summary: issue.summary,
        ...(issue.description !== null ? { description: textToAdf(issue.description) } : {}),
        ...(issue.priority ? { priority: { name: issue.priority } } : {}),
        labels: issue.labels,
        assignee: issue.assignee === null ? null : { accountId: issue.assignee },
        reporter: { accountId: issue.reporter },
        ...(issue.dueDate !== null ? { duedate: issue.dueDate } : {}),
        ...extra,
      },
    }, issue.reporter);
    if (!created.ok) throw new Error(`Seed issue "${issue.summary}" is invalid: ${JSON.stringify(created.failure)}`);
    let row = created.value;
    if (issue.status && issue.status !== project.workflow.initial.name) {
      const path = pathTo(project, row.statusId, issue.status);
      if (!path) throw new Error(`Seed issue "${issue.summary}" cannot reach ${issue.status}`);
      for (const step of path) {
        const moved = transitionIssue(state, row, { transition: { id: step.id } }, issue.reporter);
        if (!moved.ok) throw new Error(`Seed issue "${issue.summary}" cannot move to ${step.to.name}`);
        row = moved.value;
      }
    }
    for (const comment of issue.comments) {
      const fresh = state.stores.issues.byId(row.id) ?? row;
      addComment(state, fresh, {
        body: textToAdf(comment.text),
        ...(comment.internal ? { properties: [{ key: INTERNAL_PROPERTY, value: { internal: true } }] } : {}),
      }, comment.author);
    }
    for (const worklog of issue.worklogs) {
      const fresh = state.stores.issues.byId(row.id) ?? row;
      const timeSpent = parseDuration(worklog.timeSpent);
      const started = parseJiraDateTime(worklog.started);
      if (timeSpent === undefined || started === undefined) throw new Error(`Seed issue "${issue.summary}" has an invalid worklog`);
      addWorklog(state, fresh, {
        timeSpent, started, ...(worklog.comment !== null ? { comment: textToAdf(worklog.comment) } : {}),
      }, worklog.author, { mode: 'auto' });
    }
    state.write(() => {
      for (const watcher of issue.watchers) state.stores.watchers.add(row.id, watcher);
    });
  }
}

/** The shortest way through the workflow from one status to another, as a person would walk it. */
function pathTo(project: ProjectRecord, fromId: string, toName: string): TransitionRecord[] | undefined {
  const queue: { statusId: string; path: TransitionRecord[] }[] = [{ statusId: fromId, path: [] }];
  const seen = new Set([fromId]);
  while (queue.length > 0) {
    const { statusId, path } = queue.shift()!;
    for (const t of availableTransitions(project, statusId)) {
      if (t.to.name === toName) return [...path, t];
      if (seen.has(t.to.id)) continue;
      seen.add(t.to.id);
      queue.push({ statusId: t.to.id, path: [...path, t] });
    }
  }
  return undefined;
}
