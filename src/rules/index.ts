// Script mode's engine room: the sandbox, the bindings, the default scripts.
export { defaultIncomingScript, defaultOutgoingScript, validateScript, type ScriptValidation } from './defaults';
export { runIncoming, runIncomingIn, INCOMING_FILENAME, type IncomingOutcome, type IncomingRun } from './incoming';
export { runOutgoing, runOutgoingIn, OUTGOING_FILENAME, type OutgoingOutcome, type OutgoingRun } from './outgoing';
export { DEFAULT_LIMITS, sandbox, Sandbox, type SandboxLimits } from './sandbox';
export { ScriptError, ScriptErrorKind } from './script-error';
