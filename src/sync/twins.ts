import { z } from 'zod';
import type { Kvs, KvsTransactionOp } from '../ports';
import { Replica } from '../domain/replica';
import { recordKind } from '../domain/stored-record';
import { forgetKept, keepUnderLease, keptUnderLease, twinLockName } from './twin-lock';

// A twin is one issue under sync on one connection: this side's issue and the
// partner's, plus what the two sides last exchanged, per issue and per
// comment and attachment. Stored so that "is this issue synced?", "which
// local issue is remote 10042?" and "all twins of a connection" are each one
// KVS read or one prefix query.

export const TwinStatus = z.enum(['pending', 'synchronized', 'error']);
export type TwinStatus = z.infer<typeof TwinStatus>;

/** Email (lower case) → the users Jira answered for it when looked up at `at`. */
export const AccountMap = z.record(
  z.string(),
  z.object({ at: z.number(), users: z.array(z.object({ accountId: z.string(), displayName: z.string(), email: z.string().nullish(), active: z.boolean().optional() })) }),
);
export type AccountMap = z.infer<typeof AccountMap>;

/** A replica kept on the twin, or the note that it is kept under its own key. */
const KeptReplica = z.union([Replica, z.literal('apart')]);

/**
 * A replica up to this size rides in the twin record; a larger one is kept under its own key. Two kept
 * replicas and the twin stay well under a stored value's 240 KiB, and a small issue's pair costs one read unit.
 */
export const INLINE_REPLICA_MAX_BYTES = 24 * 1024;

export const Twin = z.object({
  connectionId: z.string(),
  localIssueId: z.string(),
  localKey: z.string(),
  remoteIssueId: z.string().nullable(),
  remoteKey: z.string().nullable(),
  remoteUrl: z.string().nullable(),
  status: TwinStatus,
  /** Which side created the twin's other half: we sent first (`local`) or the partner did (`remote`). */
  origin: z.enum(['local', 'remote']),
  createdAt: z.number(),
  lastSyncAt: z.number().nullable(),
  /** Per-twin sequence of replicas sent; the receiver drops anything older than what it applied. */
  outSeq: z.number().int().nonnegative(),
  /** Highest sequence applied from the partner. */
  inSeq: z.number().int().nonnegative(),
  /** Hash of the last replica sent, to skip sending an unchanged one. */
  lastSentHash: z.string().nullable(),
  /** Remote comment id → local comment id, for copies this connection made here. */
  comments: z.record(z.string(), z.string()),
  /** Remote attachment id → local attachment id, for copies this connection made here. */
  attachments: z.record(z.string(), z.string()),
  /** Local comment/attachment ids this connection wrote, so they are not sent back as new. */
  ownComments: z.array(z.string()).default([]),
  ownAttachments: z.array(z.string()).default([]),
  /** Remote worklog id → local worklog id, for copies this connection made here (twins from before worklogs synced have none). */
  worklogs: z.record(z.string(), z.string()).default({}),
  /** When this side last changed each replica field (the edit's time in Jira, ../edit-times.ts): concurrent edits are settled by these times. */
  fieldTimes: z.record(z.string(), z.number()).default({}),
  /** The partner's times for each field, as carried by the last replica applied here: a field whose time has not moved was not changed there. */
  remoteFieldTimes: z.record(z.string(), z.number()).default({}),
  /**
   * Replica fields the partner's changes wrote here since this side last sent: one that is back at the value
   * last sent was changed back by a person here, which must travel although it equals what was sent.
   */
  appliedSinceSent: z.array(z.string()).optional(),
  /**
   * Jira's time of the newest change a person made here that an outgoing run has read (../edit-times.ts):
   * a newer one in the issue's history is an edit here not yet sent. Absent on twins that never sent.
   */
  editsReadUpTo: z.number().optional(),
  /** A stored sync error that pauses this twin until it is retried or resolved. */
  blockedBy: z.string().nullable(),
  /**
   * The partner's people as found here by email (../lookups.ts), so a sync does not look them up again:
   * an entry is used for a day after its look-up (a miss for an hour), then looked up afresh. Older twins
   * have none and start empty.
   */
  accounts: AccountMap.default({}),
  /**
   * The last replica this side sent (`previous` for what counts as changed) and the last one it applied
   * (`previous` for the incoming script), kept on the twin so one read brings the whole pair; `'apart'` when
   * one is too big to ride along and is kept under its own key, null when there is none yet. Absent on a
   * twin stored before they moved here: then they are read from their own keys, and move here with the
   * twin's next write (keepReplica).
   */
  sent: KeptReplica.nullable().optional(),
  applied: KeptReplica.nullable().optional(),
  /**
   * How many history entries this twin has had (../history.ts), so adding one reads nothing. Absent on a
   * new twin and on one stored before it moved here: the history counter's own key says, once.
   */
  historyCount: z.number().int().nonnegative().optional(),
  /**
   * A Connect's initial sync still to happen (src/operations/connect.ts): this side wins it and its next
   * replica carries every field with the `initialSync` flag (`send`), or the partner wins it and its first
   * replica, if flagged, is written whole here (`expect`). Cleared by that replica, sent or applied.
   */
  initialSync: z.enum(['send', 'expect']).optional(),
});
export type Twin = z.infer<typeof Twin>;

export const twinPrefix = (connectionId: string) => `twin:${connectionId}:`;
const twinKey = (connectionId: string, localIssueId: string) => `${twinPrefix(connectionId)}${localIssueId}`;
export const remoteIndexPrefix = (connectionId: string) => `twinr:${connectionId}:`;
const remoteIndexKey = (connectionId: string, remoteIssueId: string) => `${remoteIndexPrefix(connectionId)}${remoteIssueId}`;
/** Keyed by issue first: "every connection this issue is a twin on" is one query. */
export const issueIndexKey = (localIssueId: string, connectionId: string) => `twini:${localIssueId}:${connectionId}`;
/** The last replica this side sent for the issue, and the last one it applied from the partner. */
export const lastSentPrefix = (connectionId: string) => `replica-out:${connectionId}:`;
export const lastSentKey = (connectionId: string, localIssueId: string) => `${lastSentPrefix(connectionId)}${localIssueId}`;
export const lastAppliedPrefix = (connectionId: string) => `replica-in:${connectionId}:`;
export const lastAppliedKey = (connectionId: string, localIssueId: string) => `${lastAppliedPrefix(connectionId)}${localIssueId}`;
/** A person edited the issue here (a product event came) and no outgoing run has read it since. */
export const editedPrefix = (connectionId: string) => `twine:${connectionId}:`;
const editedKey = (connectionId: string, localIssueId: string) => `${editedPrefix(connectionId)}${localIssueId}`;
/** Held while the first incoming sync creates the local issue, so a retry never creates a second. */
export const creationPrefix = (connectionId: string) => `twinc:${connectionId}:`;
const creationKey = (connectionId: string, remoteIssueId: string) => `${creationPrefix(connectionId)}${remoteIssueId}`;

export const CreationClaim = z.object({
  token: z.string(),
  at: z.number(),
  /** Set right after Jira answered the create, before anything else. */
  localIssueId: z.string().optional(),
  localKey: z.string().optional(),
  localUrl: z.string().optional(),
});
export type CreationClaim = z.infer<typeof CreationClaim>;

// What a twin keeps, kind by kind. Each is read through its schema; an unreadable one is an error naming
// its key (a twin must never be mistaken for none: a first sync would make a second issue).
// Version 2 keeps the replicas and the history count on the twin; a version 1 twin reads as one without them.
const twinRecord = recordKind({ name: 'twin', version: 2, schema: Twin, key: twinKey });
/** Remote issue id → local issue id. */
const remoteIndexRecord = recordKind({ name: 'twin remote index', version: 1, schema: z.string(), key: remoteIndexKey });
/** When a person's edit was noted. */
const editedRecord = recordKind({ name: 'twin edit mark', version: 1, schema: z.number(), key: editedKey });
const creationRecord = recordKind({ name: 'issue creation claim', version: 1, schema: CreationClaim, key: creationKey });
const lastSentRecord = recordKind({ name: 'last replica sent', version: 1, schema: Replica, key: lastSentKey });
const lastAppliedRecord = recordKind({ name: 'last replica applied', version: 1, schema: Replica, key: lastAppliedKey });

/** The twin records of one installation. Long only as the sum of its methods, each one read or write of one record kind. */
export function twinStore(kvs: Kvs) {
  return {
    async get(connectionId: string, localIssueId: string): Promise<Twin | undefined> {
      // Saved by this invocation under the twin's lease, which it still holds: no one else has written it since.
      const kept = keptUnderLease(kvs, twinLockName(connectionId, localIssueId)) as Twin | undefined;
      return kept ?? twinRecord.get(kvs, connectionId, localIssueId);
    },

    async findByRemote(connectionId: string, remoteIssueId: string): Promise<Twin | undefined> {
      const localIssueId = await this.localIdOf(connectionId, remoteIssueId);
      return localIssueId ? this.get(connectionId, localIssueId) : undefined;
    },

    /** The local issue twinned with a remote one, from the index alone. */
    async localIdOf(connectionId: string, remoteIssueId: string): Promise<string | undefined> {
      return remoteIndexRecord.get(kvs, connectionId, remoteIssueId);
    },

    /** The connections this issue is a twin on, from the index's keys alone (no twin read). */
    async connectionsOfIssue(localIssueId: string): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await kvs.query(`twini:${localIssueId}:`, { limit: 100, cursor });
        for (const entry of page.results) ids.push(entry.key.slice(`twini:${localIssueId}:`.length));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    },

    /** Every connection this issue is a twin on. */
    async listForIssue(localIssueId: string): Promise<Twin[]> {
      const twins: Twin[] = [];
      let cursor: string | undefined;
      do {
        // The index's keys say it all; its values are only markers.
        const page = await kvs.query(`twini:${localIssueId}:`, { limit: 100, cursor });
        for (const entry of page.results) {
          const connectionId = entry.key.slice(`twini:${localIssueId}:`.length);
          const twin = await this.get(connectionId, localIssueId);
          if (twin) twins.push(twin);
        }
        cursor = page.nextCursor;
      } while (cursor);
      return twins;
    },

    /** One page of a connection's twins. */
    async page(connectionId: string, cursor?: string): Promise<{ twins: Twin[]; nextCursor?: string }> {
      const page = await kvs.query(twinPrefix(connectionId), { limit: 100, cursor });
      return { twins: twinRecord.entries(page).map((entry) => entry.value), nextCursor: page.nextCursor };
    },

    /** `also`: writes that must happen with this one or not at all (a counter step). */
    async save(twin: Twin, also: KvsTransactionOp[] = []): Promise<void> {
      const parsed = Twin.parse(twin);
      const ops: KvsTransactionOp[] = [
        { kind: 'set', key: twinKey(twin.connectionId, twin.localIssueId), value: parsed },
        { kind: 'set', key: issueIndexKey(twin.localIssueId, twin.connectionId), value: 1 },
      ];
      if (twin.remoteIssueId) ops.push({ kind: 'set', key: remoteIndexKey(twin.connectionId, twin.remoteIssueId), value: twin.localIssueId });
      const name = twinLockName(twin.connectionId, twin.localIssueId);
      forgetKept(kvs, name);
      await kvs.transact([...ops, ...also]);
      keepUnderLease(kvs, name, parsed);
    },

    async remove(twin: Twin, also: KvsTransactionOp[] = []): Promise<void> {
      forgetKept(kvs, twinLockName(twin.connectionId, twin.localIssueId));
      await kvs.transact([
        ...also,
        { kind: 'delete', key: twinKey(twin.connectionId, twin.localIssueId) },
        { kind: 'delete', key: issueIndexKey(twin.localIssueId, twin.connectionId) },
        ...(twin.remoteIssueId ? [{ kind: 'delete' as const, key: remoteIndexKey(twin.connectionId, twin.remoteIssueId) }] : []),
        { kind: 'delete', key: editedKey(twin.connectionId, twin.localIssueId) },
        // The replicas kept for comparing go with the twin (each can be a few hundred KiB); its history stays.
        { kind: 'delete', key: lastSentKey(twin.connectionId, twin.localIssueId) },
        { kind: 'delete', key: lastAppliedKey(twin.connectionId, twin.localIssueId) },
      ]);
    },

    /** Note a person's edit, as its product event arrives (the app's own edits raise none). */
    markEdited(connectionId: string, localIssueId: string, at: number): Promise<void> {
      return kvs.set(editedKey(connectionId, localIssueId), at);
    },
    /** When the newest edit not yet read by an outgoing run was noted, if there is one. */
    async editedAt(connectionId: string, localIssueId: string): Promise<number | undefined> {
      return editedRecord.get(kvs, connectionId, localIssueId);
    },
    /** An outgoing run has read the issue after the edit noted at `seen`; a newer note stays. */
    async clearEdited(connectionId: string, localIssueId: string, seen: number): Promise<void> {
      const now = await editedRecord.get(kvs, connectionId, localIssueId);
      if (now !== undefined && now <= seen) await kvs.delete(editedKey(connectionId, localIssueId));
    },

    /** Claim the right to create the local issue for a remote one; false when someone already holds it. */
    claimCreation(connectionId: string, remoteIssueId: string, claim: CreationClaim): Promise<boolean> {
      return kvs.setIfAbsent(creationKey(connectionId, remoteIssueId), claim);
    },
    getCreation(connectionId: string, remoteIssueId: string): Promise<CreationClaim | undefined> {
      return creationRecord.get(kvs, connectionId, remoteIssueId);
    },
    /**
     * A claim that names the issue made. Versions before this wrote one right after creating the issue; an
     * upgraded installation may still hold some, which a first sync resumes from. Now the twin's save says it.
     */
    recordCreated(connectionId: string, remoteIssueId: string, claim: CreationClaim): Promise<void> {
      return kvs.set(creationKey(connectionId, remoteIssueId), claim);
    },
    releaseCreation(connectionId: string, remoteIssueId: string): Promise<void> {
      return kvs.delete(creationKey(connectionId, remoteIssueId));
    },
    /** `releaseCreation` as an operation of a transaction (the new twin's save). */
    releaseCreationOp(connectionId: string, remoteIssueId: string): KvsTransactionOp {
      return { kind: 'delete', key: creationKey(connectionId, remoteIssueId) };
    },

    /** The last replica this side sent for the issue (what counts as changed): from the twin, or its own key when kept apart. */
    async lastSent(twin: Twin): Promise<Replica | undefined> {
      const kept = twin.sent;
      if (kept === null) return undefined;
      if (kept !== undefined && kept !== 'apart') return kept;
      return lastSentRecord.get(kvs, twin.connectionId, twin.localIssueId);
    },
    /** The last replica applied here from the partner (`previous` for the incoming script), the same way. */
    async lastApplied(twin: Twin): Promise<Replica | undefined> {
      const kept = twin.applied;
      if (kept === null) return undefined;
      if (kept !== undefined && kept !== 'apart') return kept;
      return lastAppliedRecord.get(kvs, twin.connectionId, twin.localIssueId);
    },
  };
}

export type TwinStore = ReturnType<typeof twinStore>;

/**
 * Keep `replica` as the twin's last sent or applied one: on the twin when it is small, else under its own
 * key. The writes go in the transaction that saves the returned twin: the replica's own key, or its removal
 * when the replica moves onto the twin (from an older twin, or from one kept apart before).
 */
export function keepReplica(twin: Twin, which: 'sent' | 'applied', replica: Replica): { twin: Twin; ops: KvsTransactionOp[] } {
  const key = (which === 'sent' ? lastSentKey : lastAppliedKey)(twin.connectionId, twin.localIssueId);
  const before = twin[which];
  if (Buffer.byteLength(JSON.stringify(replica), 'utf8') > INLINE_REPLICA_MAX_BYTES) {
    return { twin: { ...twin, [which]: 'apart' }, ops: [{ kind: 'set', key, value: replica }] };
  }
  const mayBeApart = before === undefined || before === 'apart';
  return { twin: { ...twin, [which]: replica }, ops: mayBeApart ? [{ kind: 'delete', key }] : [] };
}

export function newTwin(args: { connectionId: string; localIssueId: string; localKey: string; origin: 'local' | 'remote'; now: number }): Twin {
  return {
    connectionId: args.connectionId,
    localIssueId: args.localIssueId,
    localKey: args.localKey,
    remoteIssueId: null,
    remoteKey: null,
    remoteUrl: null,
    status: 'pending',
    origin: args.origin,
    createdAt: args.now,
    lastSyncAt: null,
    outSeq: 0,
    inSeq: 0,
    lastSentHash: null,
    comments: {},
    attachments: {},
    ownComments: [],
    ownAttachments: [],
    worklogs: {},
    fieldTimes: {},
    remoteFieldTimes: {},
    blockedBy: null,
    accounts: {},
    sent: null,
    applied: null,
  };
}
