import { AppError } from '../domain/errors';
import { describeZodError } from '../domain/zod-error';
import { VisualMapping, type FieldMapping } from '../domain/visual-mapping';
import { rowOf } from '../pairing/lifecycle';
import { compileVisualMapping } from '../rules/visual-compiler';
import { getMapping, sideOf } from '../sync/visual-store';
import { notVisual, partnerMappingState, publishMapping, upgradeConnection } from '../sync/visual-configure';
import { partnerPickerValues } from '../sync/partner-names';
import { ruleNameWarnings } from '../sync/rule-names';
import { recordNameCheck } from '../sync/name-drift';
import type { Handlers } from './define';
import { connectionInReach } from './scope';

// The UI's API for Visual mode (the mapping editor) and for upgrading a
// Basic or Visual connection to Script mode.

type Keys = 'getMapping' | 'publishMapping' | 'upgradeConnection';

export const visualHandlers: Handlers<Keys> = {
  getMapping: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    if (connection.mode !== 'visual') throw notVisual(connection);
    const mapping = await getMapping(call.platform, connection);
    const side = sideOf(connection);
    return {
      ok: true,
      side,
      mapping,
      rules: compileVisualMapping(mapping, side),
      partner: await partnerMappingState(call.platform, connection.id),
      partnerValues: await partnerPickerValues(call.platform, connection),
    };
  },

  publishMapping: async (call) => {
    const parsed = VisualMapping.safeParse(call.input.mapping);
    if (!parsed.success) throw new AppError('BadInput', `mapping: ${describeZodError(parsed.error)}`);
    const connection = await connectionInReach(call, call.input.connectionId);
    // As for scripts: names that do not exist are held back until the admin publishes anyway.
    const warnings = connection.mode === 'visual' ? await ruleNameWarnings(call.platform, connection, { mapping: parsed.data }, call.jira) : [];
    if (warnings.length > 0 && !call.input.acceptWarnings) return { ok: true, saved: false as const, warnings };
    const published = await publishMapping(call.platform, connection, parsed.data);
    await recordNameCheck(call.platform, connection.id, { at: call.platform.clock.now(), cause: 'publish', warnings });
    return { ok: true, saved: true as const, version: published.version, mapping: published, warnings };
  },

  upgradeConnection: async (call) => {
    const connection = await connectionInReach(call, call.input.connectionId);
    const upgraded = await upgradeConnection(call.platform, connection.id);
    return { ok: true, connection: await rowOf(call.platform, upgraded) };
  },
};

const ARROWS = { toInvitee: '→', toInviter: '←', both: '↔' } as const;

/** One mapping in words, for the read-only view of Visual rules. */
export const describeMapping = (m: FieldMapping) => `${m.field === 'customField' ? `${m.customField!.inviter} / ${m.customField!.invitee}` : m.field} ${ARROWS[m.direction]}`;
