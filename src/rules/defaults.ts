import { sandbox } from './sandbox';
import type { ScriptError } from './script-error';

// The scripts a new Script-mode connection starts with, shaped like the
// defaults Jira admins know from Exalate, but in JavaScript. They declare
// nothing at the top level, so they can also run twice in one context (the
// benchmark's reused-context figure relies on that).

export function defaultOutgoingScript(): string {
  return `// Outgoing sync: what this side shares. \`issue\` is the local issue (read-only);
// fill \`replica\`. Remove a line to stop sharing that field.
replica.key         = issue.key;
replica.url         = issue.url;
replica.type        = issue.type;
replica.assignee    = issue.assignee;
replica.reporter    = issue.reporter;
replica.summary     = issue.summary;
replica.description = issue.description;
replica.labels      = issue.labels;
replica.comments    = issue.comments;
replica.resolution  = issue.resolution;
replica.status      = issue.status;
replica.parentId    = issue.parentId;
replica.priority    = issue.priority;
replica.attachments = issue.attachments;
replica.project     = issue.project;
replica.issueLinks  = issue.issueLinks;
replica.worklogs    = issue.worklogs;
replica.components  = issue.components;
replica.fixVersions = issue.fixVersions;

// Keep internal comments on this side:
// replica.comments = issue.comments.filter(c => !c.internal);

// Custom fields, by name:
// replica.customFields = { "Story Points": issue.customFields["Story Points"] };

// Write to the log shown when testing rules:
// debug.log("sending", issue.key);
`;
}

export interface DefaultIncomingOptions {
  /** The project this side chose for incoming sync. */
  projectKey: string;
}

/** On the first sync the issue is made in the connection's project, with the partner's type by name;
 *  a type the project lacks becomes its default type, else Task. Shared with Basic mode. */
export function firstSyncLines(projectKey: string): string {
  return `if (firstSync) {
  issue.projectKey = ${JSON.stringify(projectKey)};
  // A type this project lacks becomes the project's default type, else Task.
  issue.typeName = nodeHelper.getIssueType(replica.type?.name, issue.projectKey)?.name
    ?? nodeHelper.getDefaultIssueType(issue.projectKey)?.name
    ?? "Task";
}`;
}

export function defaultIncomingScript({ projectKey }: DefaultIncomingOptions): string {
  return `// Incoming sync: how the other side's \`replica\` changes the local \`issue\`.
// \`previous\` is the replica applied last time (null at first), \`firstSync\`
// is true when the issue is about to be created here.
${firstSyncLines(projectKey)}
issue.summary     = replica.summary;
issue.description = replica.description;
issue.comments    = commentHelper.mergeComments(issue, replica);
issue.attachments = attachmentHelper.mergeAttachments(issue, replica);
issue.labels      = replica.labels;
// Links to issues synced on this connection, by type name (links to others are noted in the history):
issue.issueLinks  = replica.issueLinks;
issue.worklogs    = worklogHelper.mergeWorklogs(issue, replica);
// By name; a name this project lacks is skipped with a warning, or created if the connection allows it:
issue.components  = replica.components;
issue.fixVersions = replica.fixVersions;

// Comments from the other side as internal notes:
// issue.comments = commentHelper.mergeComments(issue, replica, c => { c.internal = true; });

// People: by email where the other side shares it, else the connection's People table, else its fallback
// person (Connections → the connection → People); with none of those the field is left as it is, with a warning:
// issue.assignee = nodeHelper.mapUser(replica.assignee);
// issue.reporter = nodeHelper.mapUser(replica.reporter);

// Status mapping, remote name → local name:
// var statusMap = { "To Do": "Open", "In Progress": "In Progress", "Done": "Done" };
// if (replica.status) issue.setStatus(statusMap[replica.status.name] ?? replica.status.name);

// Priority, by name:
// issue.priority = nodeHelper.getPriority(replica.priority?.name) ?? issue.priority;

// Custom fields, by name:
// issue.customFields["Story Points"] = replica.customFields?.["Story Points"];

// Sub-tasks, when the parent is synced too:
// var parent = syncHelper.getLocalIssueKeyFromRemoteId(replica.parentId);
// if (parent) issue.parentId = parent.id;
`;
}

export type ScriptValidation = { ok: true } | { ok: false; error: ScriptError };

/** Parses a script without running it, for `publishRules`: a syntax error comes
 *  back with its line and column. */
export async function validateScript(source: string, filename = 'script.js'): Promise<ScriptValidation> {
  const error = (await sandbox()).compile(source, filename);
  return error ? { ok: false, error } : { ok: true };
}
