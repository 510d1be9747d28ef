import { z } from 'zod';
import { AppError } from '../domain/errors';
import { VisualMapping, methodFrom, type FieldMapping } from '../domain/visual-mapping';
import { BASIC_SYNCS } from '../rules/basic';
import { requireConnection } from '../connections/store';
import { rowOf } from '../connections/lifecycle';
import { compileVisualMapping } from '../rules/visual-compiler';
import { getMapping, sideOf } from '../sync/visual-store';
import { notVisual, partnerMappingState, publishMapping, upgradeConnection } from '../sync/visual-configure';
import { defineResolver, describeZodError, type ResolverHandler } from './define';

// The UI's API for Visual mode (the mapping editor) and for upgrading a
// Basic or Visual connection to Script mode.

const ConnectionId = z.object({ connectionId: z.string().min(1, 'is required') });

export const visualResolvers: Record<string, ResolverHandler> = {
  getMapping: defineResolver(ConnectionId, async (platform, { connectionId }) => {
    const connection = await requireConnection(platform, connectionId);
    if (connection.mode !== 'visual') throw notVisual(connection);
    const mapping = await getMapping(platform, connection);
    const side = sideOf(connection);
    return { ok: true, side, mapping, rules: compileVisualMapping(mapping, side), partner: await partnerMappingState(platform, connection.id) };
  }),

  publishMapping: defineResolver(ConnectionId.extend({ mapping: z.unknown() }), async (platform, payload) => {
    const parsed = VisualMapping.safeParse(payload.mapping);
    if (!parsed.success) throw new AppError('BadInput', `mapping: ${describeZodError(parsed.error)}`);
    const connection = await requireConnection(platform, payload.connectionId);
    const published = await publishMapping(platform, connection, parsed.data);
    return { ok: true, version: published.version, mapping: published };
  }),

  upgradeConnection: defineResolver(ConnectionId, async (platform, { connectionId }) => {
    const upgraded = await upgradeConnection(platform, connectionId);
    return { ok: true, connection: await rowOf(platform, upgraded) };
  }),
};

/** Manual sync of an issue on a Visual connection whose sync method from this side is Disabled is refused up front. */
export function guardVisualExalate(exalate: ResolverHandler): ResolverHandler {
  return async (platform, payload, context) => {
    const parsed = ConnectionId.safeParse(payload ?? {});
    if (parsed.success) {
      const connection = await requireConnection(platform, parsed.data.connectionId);
      if (connection.mode === 'visual' && methodFrom(await getMapping(platform, connection), sideOf(connection)) === 'disabled') {
        throw new AppError('Conflict', `Sync from ${connection.localName} is Disabled in the Visual mapping of "${connection.name}": change the sync method to Manual or Automatic first.`);
      }
    }
    return exalate(platform, payload, context);
  };
}

const ARROWS = { toInvitee: '→', toInviter: '←', both: '↔' } as const;
const describeMapping = (m: FieldMapping) => `${m.field === 'customField' ? `${m.customField!.inviter} / ${m.customField!.invitee}` : m.field} ${ARROWS[m.direction]}`;

/** `getRules` with what the rules sync, in words, for the read-only view of Basic and Visual rules. */
export function withModeSummary(getRules: ResolverHandler): ResolverHandler {
  return async (platform, payload, context) => {
    const answer = (await getRules(platform, payload, context)) as { mode?: string };
    if (answer.mode === 'basic') return { ...answer, syncs: [...BASIC_SYNCS] };
    if (answer.mode === 'visual') {
      const connection = await requireConnection(platform, ConnectionId.parse(payload).connectionId);
      return { ...answer, syncs: (await getMapping(platform, connection)).mappings.map(describeMapping) };
    }
    return answer;
  };
}
