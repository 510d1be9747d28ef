// Basic mode: the fixed rules every Basic connection runs, on both sides.
// They are generated, never stored: an admin sees them read-only, and a
// stored script (say, left over from a publish attempt) cannot change them.

import { firstSyncLines } from './defaults';

/** What Basic mode syncs, for the read-only view next to the rules. */
export const BASIC_SYNCS = [
  'Summary',
  'Description',
  'Comments (all shared as public comments)',
  'Attachments',
  'Issue type, mirrored by name (a type the receiving project lacks becomes its default type, else Task)',
] as const;

export function basicOutgoingScript(): string {
  return `// Basic mode (read-only): summary, description, public comments, attachments and type.
replica.key         = issue.key;
replica.url         = issue.url;
replica.project     = issue.project;
replica.type        = issue.type;
replica.summary     = issue.summary;
replica.description = issue.description;
replica.comments    = issue.comments.map(function (c) { return Object.assign({}, c, { internal: false }); });
replica.attachments = issue.attachments;
`;
}

export function basicIncomingScript({ projectKey }: { projectKey: string }): string {
  return `// Basic mode (read-only): the partner's summary, description, comments, attachments and type.
${firstSyncLines(projectKey)}
issue.summary     = replica.summary;
issue.description = replica.description;
issue.comments    = commentHelper.mergeComments(issue, replica, function (c) { c.internal = false; });
issue.attachments = attachmentHelper.mergeAttachments(issue, replica);
`;
}
