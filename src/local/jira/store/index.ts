// Every table the REST API writes, behind prepared statements.
import type { Db } from '../db/schema';
import { AttachmentStore } from './attachments';
import { ChangelogStore } from './changelogs';
import { CommentStore } from './comments';
import { ComponentStore } from './components';
import { IssueStore } from './issues';
import { LinkStore, RemoteLinkStore } from './links';
import { PropertyStore } from './properties';
import { Sequences } from './sequences';
import { VersionStore } from './versions';
import { WatcherStore } from './watchers';
import { WorklogStore } from './worklogs';

export class Stores {
  readonly sequences: Sequences;
  readonly issues: IssueStore;
  readonly comments: CommentStore;
  readonly attachments: AttachmentStore;
  readonly links: LinkStore;
  readonly remoteLinks: RemoteLinkStore;
  readonly properties: PropertyStore;
  readonly changelogs: ChangelogStore;
  readonly worklogs: WorklogStore;
  readonly components: ComponentStore;
  readonly versions: VersionStore;
  readonly watchers: WatcherStore;

  constructor(db: Db) {
    this.sequences = new Sequences(db);
    this.issues = new IssueStore(db);
    this.comments = new CommentStore(db);
    this.attachments = new AttachmentStore(db);
    this.links = new LinkStore(db);
    this.remoteLinks = new RemoteLinkStore(db);
    this.properties = new PropertyStore(db);
    this.changelogs = new ChangelogStore(db);
    this.worklogs = new WorklogStore(db);
    this.components = new ComponentStore(db);
    this.versions = new VersionStore(db);
    this.watchers = new WatcherStore(db);
  }
}
