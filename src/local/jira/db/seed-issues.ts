// Seed issues go through the same writers as REST calls, so they are exactly
// what the API would have made (keys, defaults, resolutions, history).
import type { SiteSeed } from '../seed-schema';
import type { SiteState } from '../state';
import { textToAdf } from '../model/adf';
import { createIssue, transitionIssue } from '../write/issues';
import { addComment, INTERNAL_PROPERTY } from '../write/comments';

export function writeSeedIssues(state: SiteState, seed: SiteSeed): void {
  for (const issue of seed.issues) {
    const project = state.catalog.project(issue.project);
    const type = state.catalog.issueTypes.find((t) => t.name === issue.type);
    if (!project || !type) throw new Error(`Seed issue "${issue.summary}" names an unknown project or type`);
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
      },
    }, issue.reporter);
    if (!created.ok) throw new Error(`Seed issue "${issue.summary}" is invalid: ${JSON.stringify(created.failure)}`);
    let row = created.value;
    if (issue.status && issue.status !== project.workflow[0]?.status.name) {
      const step = project.workflow.find((s) => s.status.name === issue.status);
      if (!step) throw new Error(`Seed issue "${issue.summary}" names an unknown status ${issue.status}`);
      const moved = transitionIssue(state, row, { transition: { id: step.transitionId } }, issue.reporter);
      if (!moved.ok) throw new Error(`Seed issue "${issue.summary}" cannot move to ${issue.status}`);
      row = moved.value;
    }
    for (const comment of issue.comments) {
      const fresh = state.stores.issues.byId(row.id) ?? row;
      addComment(state, fresh, {
        body: textToAdf(comment.text),
        ...(comment.internal ? { properties: [{ key: INTERNAL_PROPERTY, value: { internal: true } }] } : {}),
      }, comment.author);
    }
  }
}
