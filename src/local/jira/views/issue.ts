// Issues as Jira REST v3 returns them (`IssueBean`), with comments,
// attachments, links, sub-tasks, worklogs, time tracking, components,
// versions and custom fields in their Jira shapes.
import { customSchema } from '../model/custom-kinds';
import { ISSUE_FIELD_IDS, SYSTEM_FIELDS } from '../model/fields';
import type { FieldSelection } from '../model/field-selection';
import { jiraTimestamp } from '../model/time';
import type { Stores } from '../store';
import type { AttachmentRow } from '../store/attachments';
import type { ChangelogRow } from '../store/changelogs';
import type { CommentRow } from '../store/comments';
import type { IssueRow } from '../store/issues';
import type { LinkRow } from '../store/links';
import { api, type ViewContext } from './context';
import {
  issueTypeJson, linkTypeJson, priorityRef, projectRef, resolutionJson, statusJson,
} from './metadata';
import { optionalUserDetails, userDetails } from './users';
import { customFieldJson } from './custom-values';
import { issueTimes, progress, timeTracking, workRatio } from './issue-time';
import { componentRef, versionRef } from './project-items';
import { renderedFields } from './rendered';
import { availableTransitions, transitionJson } from './transitions';
import { worklogJson } from './worklogs';

export interface IssueReadOptions {
  fields: FieldSelection;
  expand: ReadonlySet<string>;
  /** Issue property keys to include under `properties`. */
  properties: string[];
  /**
   * Whether the reader may see another issue; parents, sub-tasks and linked
   * issues they may not see are left out, as Jira does. Everything when absent.
   */
  canSee?: (issue: IssueRow) => boolean;
  /** Who is reading, for `watches.isWatching`. */
  viewer?: string;
}

/** Jira puts at most this many worklogs into an issue's `worklog` field. */
const WORKLOGS_IN_ISSUE = 20;

const seeEverything = (): boolean => true;

interface FieldContext {
  canSee: (issue: IssueRow) => boolean;
  viewer: string | null;
}

export class IssueView {
  constructor(
    private readonly ctx: ViewContext,
    private readonly stores: Stores,
  ) {}

  self(issue: { id: number }): string {
    return api(this.ctx, `/issue/${issue.id}`);
  }

  bean(issue: IssueRow, options: IssueReadOptions): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    const context: FieldContext = { canSee: options.canSee ?? seeEverything, viewer: options.viewer ?? null };
    for (const id of ISSUE_FIELD_IDS) {
      if (!options.fields.includes(id)) continue;
      const value = this.systemField(issue, id, context);
      if (value !== undefined) fields[id] = value;
    }
    for (const field of this.ctx.catalog.customFields) {
      if (options.fields.includes(field.id)) fields[field.id] = customFieldJson(this.ctx, field, issue.custom[field.id]);
    }
    const bean: Record<string, unknown> = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: String(issue.id),
      self: this.self(issue),
      key: issue.key,
    };
    if (options.expand.has('renderedFields')) {
      bean.renderedFields = renderedFields(fields, (id) => {
        const field = this.ctx.catalog.customField(id);
        return field && { field, stored: issue.custom[id] };
      });
    }
    if (options.expand.has('names')) bean.names = this.names(fields);
    if (options.expand.has('schema')) bean.schema = this.schema(fields);
    if (options.expand.has('transitions')) bean.transitions = this.transitions(issue, false);
    if (options.expand.has('changelog')) {
      // "A list of recent updates to an issue, sorted by date, starting from the most recent" (the contract's `expand`).
      const histories = this.stores.changelogs.list(issue.id).reverse().map((h) => this.changelog(h));
      bean.changelog = { startAt: 0, maxResults: histories.length, total: histories.length, histories };
    }
    if (options.properties.length > 0) {
      const all = this.stores.properties.all(issue.id);
      const wanted = options.properties.includes('*all') ? Object.keys(all) : options.properties;
      bean.properties = Object.fromEntries(wanted.filter((k) => k in all).map((k) => [k, all[k]]));
    }
    bean.fields = fields;
    return bean;
  }

  /** The value of a system field, or undefined when Jira leaves the field out. */
  systemField(issue: IssueRow, id: string, context: Partial<FieldContext> = {}): unknown {
    const { catalog } = this.ctx;
    const canSee = context.canSee ?? seeEverything;
    switch (id) {
      case 'summary':
        return issue.summary;
      case 'description':
        return issue.description;
      case 'issuetype': {
        const type = catalog.issueType(issue.issueTypeId);
        return type ? issueTypeJson(this.ctx, type) : null;
      }
      case 'project':
        return projectRef(this.ctx, catalog.projectWithId(issue.projectId));
      case 'status': {
        const status = catalog.status(issue.statusId);
        return status ? statusJson(this.ctx, status) : null;
      }
      case 'priority': {
        const priority = issue.priorityId === null ? undefined : catalog.priority(issue.priorityId);
        return priority ? priorityRef(this.ctx, priority) : null;
      }
      case 'labels':
        return issue.labels;
      case 'assignee':
        return optionalUserDetails(this.ctx, issue.assignee);
      case 'reporter':
        return optionalUserDetails(this.ctx, issue.reporter);
      case 'creator':
        return userDetails(this.ctx, issue.creator);
      case 'created':
        return jiraTimestamp(issue.created);
      case 'updated':
        return jiraTimestamp(issue.updated);
      case 'duedate':
        return issue.dueDate;
      case 'resolution': {
        const resolution = issue.resolutionId === null ? undefined : catalog.resolution(issue.resolutionId);
        return resolution ? resolutionJson(this.ctx, resolution) : null;
      }
      case 'resolutiondate':
        return issue.resolutionDate === null ? null : jiraTimestamp(issue.resolutionDate);
      case 'statuscategorychangedate':
        return jiraTimestamp(issue.statusCategoryChanged);
      case 'parent': {
        // Jira leaves `parent` out of issues that have none.
        const parent = issue.parentId === null ? undefined : this.stores.issues.byId(issue.parentId);
        return parent && canSee(parent) ? this.linkedIssue(parent) : undefined;
      }
      case 'subtasks':
        return this.stores.issues.children(issue.id).filter(canSee).map((child) => this.linkedIssue(child));
      case 'issuelinks':
        return this.stores.links.forIssue(issue.id).flatMap((link) => {
          const view = this.issueLinkFor(issue.id, link, canSee);
          return view ? [view] : [];
        });
      case 'comment': {
        const comments = this.stores.comments.list(issue.id).map((c) => this.comment(c, false));
        return {
          comments,
          self: api(this.ctx, `/issue/${issue.id}/comment`),
          maxResults: comments.length,
          total: comments.length,
          startAt: 0,
        };
      }
      case 'attachment':
        return this.stores.attachments.list(issue.id).map((a) => this.attachment(a));
      case 'components':
        return issue.componentIds.flatMap((cid) => {
          const component = this.stores.components.get(cid);
          return component ? [componentRef(this.ctx, component)] : [];
        });
      case 'fixVersions':
      case 'versions':
        return (id === 'fixVersions' ? issue.fixVersionIds : issue.affectsVersionIds).flatMap((vid) => {
          const version = this.stores.versions.get(vid);
          return version ? [versionRef(this.ctx, version)] : [];
        });
      case 'environment':
        return issue.environment;
      case 'timetracking':
        return timeTracking(issueTimes(this.stores, issue));
      case 'timespent':
      case 'timeoriginalestimate':
      case 'timeestimate':
      case 'aggregatetimespent':
      case 'aggregatetimeoriginalestimate':
      case 'aggregatetimeestimate':
        return issueTimes(this.stores, issue)[id];
      case 'progress': {
        const times = issueTimes(this.stores, issue);
        return progress(times.timespent, times.timeestimate);
      }
      case 'aggregateprogress': {
        const times = issueTimes(this.stores, issue);
        return progress(times.aggregatetimespent, times.aggregatetimeestimate);
      }
      case 'workratio': {
        const times = issueTimes(this.stores, issue);
        return workRatio(times.timespent, times.timeoriginalestimate);
      }
      case 'worklog': {
        const worklogs = this.stores.worklogs.list(issue.id);
        return {
          startAt: 0,
          maxResults: WORKLOGS_IN_ISSUE,
          total: worklogs.length,
          worklogs: worklogs.slice(0, WORKLOGS_IN_ISSUE).map((w) => worklogJson(this.ctx, w)),
        };
      }
      case 'watches': {
        const watchers = this.stores.watchers.list(issue.id);
        return {
          self: api(this.ctx, `/issue/${issue.key}/watchers`),
          watchCount: watchers.length,
          isWatching: context.viewer !== undefined && context.viewer !== null && watchers.includes(context.viewer),
        };
      }
      case 'votes':
        // Nobody votes on the emulated sites: the field is there, empty, as on a site with voting off.
        return { self: api(this.ctx, `/issue/${issue.key}/votes`), votes: 0, hasVoted: false };
      case 'lastViewed':
      case 'security':
        return null;
      case 'issuerestriction':
        return { issuerestrictions: {}, shouldDisplay: false };
      default:
        return undefined;
    }
  }

  /** The short issue form used for parents, sub-tasks and linked issues. */
  linkedIssue(issue: IssueRow): Record<string, unknown> {
    return {
      id: String(issue.id),
      key: issue.key,
      self: this.self(issue),
      fields: {
        summary: issue.summary,
        status: this.systemField(issue, 'status'),
        priority: this.systemField(issue, 'priority'),
        issuetype: this.systemField(issue, 'issuetype'),
      },
    };
  }

  /** A link as seen from one of its ends: the other end is named inward or outward. */
  issueLinkFor(issueId: number, link: LinkRow, canSee: (other: IssueRow) => boolean = seeEverything): Record<string, unknown> | undefined {
    const type = this.ctx.catalog.linkType(link.typeId);
    const outward = link.sourceId === issueId;
    const other = this.stores.issues.byId(outward ? link.destinationId : link.sourceId);
    if (!type || !other || !canSee(other)) return undefined;
    return {
      id: String(link.id),
      self: api(this.ctx, `/issueLink/${link.id}`),
      type: linkTypeJson(this.ctx, type),
      [outward ? 'outwardIssue' : 'inwardIssue']: this.linkedIssue(other),
    };
  }

  /** `IssueLink` for `GET /issueLink/{id}`: the source as inward issue, as it was created. */
  issueLink(link: LinkRow): Record<string, unknown> | undefined {
    const type = this.ctx.catalog.linkType(link.typeId);
    const source = this.stores.issues.byId(link.sourceId);
    const destination = this.stores.issues.byId(link.destinationId);
    if (!type || !source || !destination) return undefined;
    return {
      id: String(link.id),
      self: api(this.ctx, `/issueLink/${link.id}`),
      type: linkTypeJson(this.ctx, type),
      inwardIssue: this.linkedIssue(source),
      outwardIssue: this.linkedIssue(destination),
    };
  }

  comment(c: CommentRow, withProperties: boolean): Record<string, unknown> {
    return {
      self: api(this.ctx, `/issue/${c.issueId}/comment/${c.id}`),
      id: String(c.id),
      author: userDetails(this.ctx, c.author),
      body: c.body,
      updateAuthor: userDetails(this.ctx, c.updateAuthor),
      created: jiraTimestamp(c.created),
      updated: jiraTimestamp(c.updated),
      jsdPublic: !c.internal,
      ...(c.visibility ? { visibility: c.visibility } : {}),
      ...(withProperties ? { properties: c.properties } : {}),
    };
  }

  attachment(a: AttachmentRow): Record<string, unknown> {
    return {
      self: api(this.ctx, `/attachment/${a.id}`),
      id: String(a.id),
      filename: a.filename,
      author: userDetails(this.ctx, a.author),
      created: jiraTimestamp(a.created),
      size: a.size,
      mimeType: a.mimeType,
      content: api(this.ctx, `/attachment/content/${a.id}`),
    };
  }

  /** `AttachmentMetadata` for `GET /attachment/{id}` (its id is a number there). */
  attachmentMetadata(a: AttachmentRow): Record<string, unknown> {
    const { id, ...rest } = this.attachment(a);
    return { ...rest, id: Number(id), properties: {} };
  }

  /** REST histories leave out empty values, which the contract types as strings only. */
  changelog(h: ChangelogRow): Record<string, unknown> {
    const items = h.items.map((item) => Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null)));
    return { id: String(h.id), author: userDetails(this.ctx, h.author), created: jiraTimestamp(h.created), items };
  }

  /** The transitions the workflow offers from the issue's status, with their screens' fields when asked. */
  transitions(issue: IssueRow, withFields: boolean): Record<string, unknown>[] {
    const project = this.ctx.catalog.projectWithId(issue.projectId);
    return availableTransitions(project, issue.statusId).map((t) => transitionJson(this.ctx, this.stores, issue, t, withFields));
  }

  private names(fields: Record<string, unknown>): Record<string, string> {
    const names: Record<string, string> = {};
    for (const id of Object.keys(fields)) {
      const name = SYSTEM_FIELDS.find((f) => f.id === id)?.name ?? this.ctx.catalog.customField(id)?.name;
      if (name) names[id] = name;
    }
    return names;
  }

  private schema(fields: Record<string, unknown>): Record<string, unknown> {
    const schema: Record<string, unknown> = {};
    for (const id of Object.keys(fields)) {
      const system = SYSTEM_FIELDS.find((f) => f.id === id)?.schema;
      const custom = this.ctx.catalog.customField(id);
      if (system) schema[id] = system;
      else if (custom) schema[id] = customSchema(custom.kind, custom.numericId);
    }
    return schema;
  }
}
