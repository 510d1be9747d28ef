// The flows that make, change and end connections, as the rest of the app sees them.
import type { PairingHandlers } from '../transport';
import { answerChallenge } from './challenge';
import { answerAcceptance } from './handshake';
import { answerRotation, completeRotation } from './rotation';

/** What the transport's endpoint and delivery worker call back into (see `PairingHandlers`). */
export const pairingHandlers: PairingHandlers = { answerAcceptance, answerChallenge, answerRotation, completeRotation };
