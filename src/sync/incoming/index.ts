// The incoming pipeline as the rest of the app sees it.
export { inboxKey, inboxLockName, inboxPrefix, inboxRecord, type InboxEntry } from './inbox';
export { receiveReplica } from './receive-replica';
export { IncomingWork, syncIncoming, type IncomingResultOutcome } from './work';
