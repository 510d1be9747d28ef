import { PROTOCOL_VERSION } from '../../src/domain/protocol';
import type { Envelope } from '../../src/domain/messages';
import { decodeInvitation, termsOf } from '../../src/domain/invitation';
import type { HandshakeAccept } from '../../src/domain/messages';
import { newNonce, tokenDigest } from '../../src/connections/secrets';
import { postEnvelope, type PartnerReply } from '../../src/transport/http';
import type { Site } from '../transport/world';

// A site whose app was changed to say whatever it likes about itself: it
// holds a leaked code, signs the acceptance with it as the real app does, and
// declares any Exalate URL and site. What the inviter answers is what a
// hostile acceptor learns.

export interface Declared {
  url?: string | null;
  siteUrl?: string;
  instanceId?: string;
  projectKey?: string;
}

export async function forgedAcceptance(from: Site, invitationCode: string, declared: Declared = {}): Promise<PartnerReply> {
  const code = decodeInvitation(invitationCode);
  const identity = await from.call<{ instanceId: string; name: string }>('getInstance');
  const platform = from.platform();
  const body: HandshakeAccept = {
    phase: 'accept',
    invitation: termsOf(code),
    acceptor: {
      instanceId: declared.instanceId ?? identity.instanceId,
      name: identity.name,
      url: declared.url === undefined ? from.exalateUrl : declared.url,
      siteUrl: declared.siteUrl ?? from.siteUrl,
      projectKey: declared.projectKey ?? 'SC',
    },
    nonce: newNonce(platform),
  };
  const envelope: Envelope = {
    v: PROTOCOL_VERSION,
    connectionId: code.connectionId,
    messageId: platform.random.uuid(),
    seq: 0,
    sentAt: platform.clock.now(),
    type: 'handshake',
    body,
  };
  const digest = tokenDigest(code.token);
  return postEnvelope(platform, code.inviter.url, envelope, { sign: digest, verify: [] });
}
