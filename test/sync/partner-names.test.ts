import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readBody } from '../../src/domain/messages';
import { requireConnection } from '../../src/connections/store';
import { partnerNamesKey, receivePartnerNames } from '../../src/sync/partner-names';
import { nameRecheckKey } from '../../src/sync/name-recheck';
import { connectPublic } from '../connections/helpers';
import { World } from '../transport/world';

// The receiving end of a partner's `names` message, alone: what it keeps, what
// it ignores, and what it refuses (the end-to-end flow is in
// test/integration/partner-names.test.ts).

const NAMES = { projects: ['UD'], issueTypes: { UD: ['Task', 'Bug'] }, statuses: ['To Do', 'Done'], priorities: ['High'], resolutions: ['Done'], fields: ['Severity'] };

describe('receiving the partner’s names', () => {
  it('keeps the newest names and marks the rules for a recheck; older names change nothing', async () => {
    const world = new World();
    const { blue, id } = await connectPublic(world);
    const platform = blue.platform();
    const connection = await requireConnection(platform, id);
    expect(await receivePartnerNames(platform, connection, { kind: 'names', at: 2_000, names: NAMES })).toEqual({ ok: true });
    expect(blue.snapshot().values[partnerNamesKey(id)]).toMatchObject({ at: 2_000, names: NAMES });
    expect(blue.snapshot().values[nameRecheckKey(id)]).toMatchObject({ why: 'partner-names' });

    const stale = { ...NAMES, statuses: ['Stale'] };
    expect(await receivePartnerNames(platform, connection, { kind: 'names', at: 1_000, names: stale })).toEqual({ ignored: 'not newer' });
    expect(await receivePartnerNames(platform, connection, { kind: 'names', at: 2_000, names: stale })).toEqual({ ignored: 'not newer' });
    expect(blue.snapshot().values[partnerNamesKey(id)]).toMatchObject({ at: 2_000, names: NAMES });
  });

  it('refuses names that do not fit the protocol (too many, too long, wrong shape) before any handler sees them', () => {
    const names = (over: Record<string, unknown>) => ({ kind: 'names', at: 1, names: { ...NAMES, ...over } });
    expect(readBody('configure', names({}))).toMatchObject({ kind: 'names' });
    expect(() => readBody('configure', names({ statuses: 'To Do' }))).toThrow(z.ZodError);
    expect(() => readBody('configure', names({ fields: Array.from({ length: 5_001 }, (_, i) => `f${i}`) }))).toThrow(z.ZodError);
    expect(() => readBody('configure', names({ projects: ['x'.repeat(256)] }))).toThrow(z.ZodError);
    expect(() => readBody('configure', { kind: 'names', names: NAMES })).toThrow(z.ZodError);
  });
});
