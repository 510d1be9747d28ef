import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MESSAGE_TYPES, PartnerMessage, readBody, TYPES_MATCH_BODIES, type ReplicaMessage } from '../../src/domain/messages';
import { PartnerInfo, PROTOCOL_VERSION } from '../../src/domain/protocol';
import { handlePartnerRequest } from '../../src/transport';
import { newEnvelope } from '../../src/transport/envelopes';
import { sendMessage } from '../../src/transport/send';
import { sign } from '../../src/transport/signing';
import { connectPublic } from '../connections/helpers';
import { replicaBody, World, type Site } from './world';

// One protocol: every envelope type has one body schema, senders are held to
// it before anything leaves, and receivers read with the same schema.

const secretOf = (site: Site, connectionId: string) =>
  Buffer.from((site.snapshot().secrets[`connection-secret:${connectionId}`] as { current: string }).current, 'base64url');

describe('the partner protocol', () => {
  it('gives every envelope type exactly one body schema', () => {
    expect(TYPES_MATCH_BODIES).toBe(true);
    expect(PartnerMessage.options.map((option) => option.shape.type.value).sort()).toEqual([...MESSAGE_TYPES].sort());
    expect(() => readBody('ack', { yourIssueId: '1' })).toThrow(z.ZodError);
    expect(readBody('state', { active: false, at: 5 })).toEqual({ active: false, at: 5 });
  });

  it('keeps its version in one place, which envelopes and the instance description both carry', async () => {
    const world = new World();
    const blue = world.site('blue');
    const envelope = newEnvelope(blue.platform(), { connectionId: 'c-1' }, 'ping', {});
    expect(envelope.v).toBe(PROTOCOL_VERSION);
    const info = await handlePartnerRequest(blue.platform(), blue.deps, { method: 'GET', headers: {}, body: '', path: '/', queryParameters: {} });
    expect(PartnerInfo.parse(JSON.parse(info.body!)).protocol).toBe(PROTOCOL_VERSION);
  });

  it('refuses to send a body that does not fit its type, before anything is stored', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const before = JSON.stringify(blue.snapshot());
    const wrong = { ...replicaBody(1), seq: 0 } satisfies ReplicaMessage;
    await expect(sendMessage(blue.platform(), id, 'replica', wrong)).rejects.toThrow(/This replica message does not match the partner protocol, so it was not sent: seq/);
    await expect(sendMessage(blue.platform(), id, 'ack', { yourIssueId: '1' } as never)).rejects.toThrow(/does not match the partner protocol/);
    expect(JSON.stringify(blue.snapshot())).toBe(before);
    expect(() => newEnvelope(blue.platform(), { connectionId: id }, 'state', { active: 'yes' } as never)).toThrow(/This state message does not match/);
  });

  it('refuses a received body that does not fit its type for good, without calling the engine', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const raw = JSON.stringify({ v: PROTOCOL_VERSION, connectionId: id, messageId: 'm-bad', seq: 1, sentAt: 0, type: 'replica', body: { n: 'not a replica message' } });
    const timestamp = String(world.clock.now());
    const answer = await handlePartnerRequest(blue.platform(), blue.deps, {
      method: 'POST',
      headers: { 'x-sync-timestamp': [timestamp], 'x-sync-signature': [sign(secretOf(blue, id), timestamp, 'm-bad', raw)] },
      body: raw,
      path: '/',
      queryParameters: {},
    });
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body!)).toMatchObject({ code: 'unreadable', retryable: false });
    expect(blue.received).toEqual([]);
  });
});
