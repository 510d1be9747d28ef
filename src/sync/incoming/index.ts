// The incoming pipeline as the rest of the app sees it.
export { inboxKey, inboxLockName, inboxPrefix, inboxRecord, receiveReplica, type InboxEntry } from './inbox';
export { IncomingWork, syncIncoming, type IncomingResultOutcome } from './work';
