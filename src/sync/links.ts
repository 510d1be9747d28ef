import type { DesiredIssue, LocalIssue, ReplicaIssueLink } from '../domain/replica';
import type { JiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import type { AppliedChange } from './apply';

// Issue links between synced issues, mirrored between their twins. The partner
// names the other end by its own id; a link whose other end is synced on this
// connection is mirrored (type by name), one whose other end is not is noted in
// the history and left out: not an error, it may be synced later and then its
// own replica carries the link. The links this side holds to synced issues are
// the ones the partner's list governs: one it no longer names is removed. Links
// to issues that are not synced are this side's own and never touched.

/** Where the other ends of links are, on this connection. */
export interface LinkEnds {
  /** The local twin of a partner issue, if it is synced. */
  localIdOf(remoteIssueId: string): Promise<string | undefined>;
  /** Whether a local issue is synced on this connection. */
  isSynced(localIssueId: string): Promise<boolean>;
}

export interface LinkOutcome {
  changes: AppliedChange[];
  /** History lines: links not mirrored because their other end is not synced. */
  notes: string[];
  /** For the errors list too: a link type this side lacks and may not (or could not) create. */
  refused: string[];
}

type WantedLink = NonNullable<DesiredIssue['issueLinks']>[number];
const keyOf = (type: string, direction: string, otherId: string) => `${type}\u0000${direction}\u0000${otherId}`;

export async function applyLinks(args: {
  jira: JiraClient;
  issueId: string;
  current: LocalIssue['issueLinks'];
  wanted: WantedLink[];
  ends: LinkEnds;
  createMissing: boolean;
}): Promise<LinkOutcome> {
  const { jira, issueId, ends } = args;
  const outcome: LinkOutcome = { changes: [], notes: [], refused: [] };

  const wanted = new Map<string, WantedLink & { localOther: string }>();
  for (const link of args.wanted) {
    const localOther = await ends.localIdOf(link.otherIssueId);
    if (!localOther) {
      outcome.notes.push(`Link "${link.type}" to the partner's issue ${link.otherIssueId} was not mirrored: that issue is not synced on this connection.`);
      continue;
    }
    wanted.set(keyOf(link.type, link.direction, localOther), { ...link, localOther });
  }
  const present = new Set(args.current.map((l) => keyOf(l.type, l.direction, l.otherIssueId)));

  const toAdd = [...wanted.entries()].filter(([key]) => !present.has(key)).map(([, link]) => link);
  if (toAdd.length) {
    const types = await knownTypes(jira, toAdd, args.createMissing, outcome);
    for (const link of toAdd) {
      if (!types.has(link.type)) continue;
      // `outward`: this issue is the link's source ("blocks" the other one).
      const [source, destination] = link.direction === 'outward' ? [issueId, link.localOther] : [link.localOther, issueId];
      await jira.issueLinks.create(link.type, source, destination);
      outcome.changes.push({ field: 'issueLinks', from: null, to: `${link.type} ${link.localOther}` });
    }
  }
  for (const link of args.current) {
    if (wanted.has(keyOf(link.type, link.direction, link.otherIssueId))) continue;
    if (!(await ends.isSynced(link.otherIssueId))) continue;
    await jira.issueLinks.delete(link.id).catch((e) => {
      // Already gone (its other end's replica removed it first): the goal is reached.
      if (!isJiraError(e) || e.kind !== 'not-found') throw e;
    });
    outcome.changes.push({ field: 'issueLinks', from: `${link.type} ${link.otherIssueId}`, to: null });
  }
  return outcome;
}

/** The link types this site has, after creating the missing ones the connection allows; the others are refused. */
async function knownTypes(jira: JiraClient, links: WantedLink[], createMissing: boolean, outcome: LinkOutcome): Promise<Set<string>> {
  const names = new Set((await jira.issueLinks.types()).issueLinkTypes.map((t) => t.name));
  const missing = new Map<string, WantedLink>();
  for (const link of links) if (!names.has(link.type)) missing.set(link.type, link);
  for (const [name, link] of missing) {
    if (!createMissing) {
      outcome.refused.push(`Link type "${name}" does not exist here; the link was not mirrored. Create the type, or allow the connection to create missing values.`);
      continue;
    }
    try {
      await jira.issueLinks.createType({ name, inward: link.inward ?? name.toLowerCase(), outward: link.outward ?? name.toLowerCase() });
      names.add(name);
    } catch (e) {
      if (!isJiraError(e) || e.transient) throw e;
      outcome.refused.push(`Link type "${name}" does not exist here and Jira refused to create it (${e.message}); the link was not mirrored.`);
    }
  }
  return names;
}

type LinkKeyed = Pick<ReplicaIssueLink, 'type' | 'direction' | 'otherIssueId'>;

/**
 * Whether this side's links are what the partner's last list made them (the incoming step created the links
 * it names and deleted the ones it dropped), so a change since the last replica sent is the partner's coming
 * round, not a person's here. The partner's list names other ends by its own ids: each is mapped through the
 * twin index before comparing; one that maps to nothing is not synced here and could not have been mirrored.
 * A link here the partner does not name counts only if it was here when the last replica left (a link to an
 * issue that is not synced, say). One it names that is missing here was removed by a person, unless the
 * partner's last list for the other end no longer names it: then the other end's replica removed it, and this
 * issue's list from the partner is merely older. An empty list from the partner needs no look-up.
 */
export async function linksCameFromPartner(args: {
  sent: readonly LinkKeyed[];
  now: readonly LinkKeyed[];
  partners: readonly LinkKeyed[];
  localIdOf: (remoteIssueId: string) => Promise<string | undefined>;
  /** Whether the partner's last list for the local issue `otherLocalId` names `link` seen from that end. */
  namedAtOtherEnd: (otherLocalId: string, link: LinkKeyed) => Promise<boolean>;
}): Promise<boolean> {
  const key = (l: LinkKeyed) => keyOf(l.type, l.direction, l.otherIssueId);
  const sent = new Set(args.sent.map(key));
  const now = new Set(args.now.map(key));
  const mapped = new Map<string, Promise<string | undefined>>();
  const named = new Set<string>();
  for (const link of args.partners) {
    if (!mapped.has(link.otherIssueId)) mapped.set(link.otherIssueId, args.localIdOf(link.otherIssueId));
    const local = await mapped.get(link.otherIssueId);
    if (local === undefined) continue;
    const here = keyOf(link.type, link.direction, local);
    if (!now.has(here) && (await args.namedAtOtherEnd(local, link))) return false;
    named.add(here);
  }
  return [...now].every((k) => named.has(k) || sent.has(k));
}

/** The same link as the issue at its other end names it: the other way round, pointing back here. */
export function seenFromOtherEnd(link: LinkKeyed, thisIssueId: string): LinkKeyed {
  return { type: link.type, direction: link.direction === 'outward' ? 'inward' : 'outward', otherIssueId: thisIssueId };
}

/** Whether `links` holds `link` (type, direction and other end). */
export function namesLink(links: readonly LinkKeyed[] | undefined, link: LinkKeyed): boolean {
  return (links ?? []).some((l) => keyOf(l.type, l.direction, l.otherIssueId) === keyOf(link.type, link.direction, link.otherIssueId));
}
