// Issue links between two issues of the site. Creating a link that already
// exists changes nothing and fires nothing.
import type { LinkTypeRecord } from '../catalog';
import { issueLinkCreated, issueLinkDeleted } from '../events/payloads';
import type { SiteState } from '../state';
import type { IssueRow } from '../store/issues';
import type { LinkRow } from '../store/links';

export function linkIssues(state: SiteState, type: LinkTypeRecord, source: IssueRow, destination: IssueRow, actor: string): LinkRow {
  const existing = state.stores.links.find(type.id, source.id, destination.id);
  if (existing) return existing;
  return state.write((tx) => {
    const link: LinkRow = { id: state.stores.sequences.take('link'), typeId: type.id, sourceId: source.id, destinationId: destination.id };
    state.stores.links.insert(link);
    tx.touch(source.id);
    tx.touch(destination.id);
    tx.emit(issueLinkCreated(link, type, { source, destination }, actor));
    return link;
  });
}

export function unlinkIssues(state: SiteState, link: LinkRow, actor: string): void {
  const type = state.catalog.linkType(link.typeId);
  const source = state.stores.issues.byId(link.sourceId);
  const destination = state.stores.issues.byId(link.destinationId);
  state.write((tx) => {
    state.stores.links.delete(link.id);
    tx.touch(link.sourceId);
    tx.touch(link.destinationId);
    if (type && source && destination) tx.emit(issueLinkDeleted(link, type, { source, destination }, actor));
  });
}
