import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors';
import { canonicalJson } from '../../src/domain/invitation';
import { World, type Site } from '../transport/world';
import { initiate } from './helpers';

// Whatever is pasted into "Accept invitation" that is not the very code that
// was issued must be refused with a readable error and change nothing on
// either side. 10,000 generated inputs: junk, near-misses of a real code at
// the character level, and well-formed codes with one part changed.

let world: World;
let blue: Site;
let green: Site;
let real: string;
let realJson: Record<string, unknown>;
let before: string;

// Raw stored text, in insertion order: any write, even of an equal value under a new key, shows.
const state = () =>
  JSON.stringify([blue, green].map((site) => [[...site.kvsData.values.entries()], [...site.kvsData.secrets.entries()]]));

beforeAll(async () => {
  world = new World({ seed: 99 });
  blue = world.site('blue');
  green = world.site('green');
  await blue.call('getInstance');
  await green.call('getInstance');
  real = (await initiate(blue, green)).invitationCode;
  realJson = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as Record<string, unknown>;
  before = state();
});

const isTheRealCode = (input: string): boolean => {
  const stripped = input.replace(/\s+/g, '');
  if (stripped === real) return true;
  try {
    return canonicalJson(JSON.parse(Buffer.from(stripped, 'base64url').toString('utf8'))) === canonicalJson(realJson) && Buffer.from(stripped, 'base64url').toString('base64url') === stripped;
  } catch {
    return false;
  }
};

async function refusedWithoutEffect(input: string): Promise<void> {
  if (isTheRealCode(input)) return;
  const error = await green.call('acceptInvitation', { invitationCode: input, projectKey: 'SC' }).then(
    () => new Error(`accepted: ${input}`),
    (e: unknown) => e,
  );
  if (!isAppError(error) || !['InvalidInvitation', 'PartnerUnavailable'].includes(error.kind)) {
    throw new Error(`unexpected outcome for ${JSON.stringify(input)}: ${String(error)}`);
  }
  if (error.message.length < 30 || /undefined|\[object/.test(error.message)) throw new Error(`unclear message: ${error.message}`);
  if (state() !== before) throw new Error(`state changed for ${JSON.stringify(input)}`);
}

const ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', '=', '+', '/', ' ', '\n', 'é', '\u0000'];

type Edit = { at: number; kind: 'replace' | 'delete' | 'insert' | 'truncate' | 'duplicate' | 'swap'; char: string; span: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'insert', 'truncate', 'duplicate', 'swap'),
  char: fc.constantFrom(...ALPHABET),
  span: fc.integer({ min: 1, max: 40 }),
});

function applyEdit(text: string, e: Edit): string {
  const i = text.length ? e.at % text.length : 0;
  switch (e.kind) {
    case 'replace':
      return text.slice(0, i) + e.char + text.slice(i + 1);
    case 'delete':
      return text.slice(0, i) + text.slice(i + e.span);
    case 'insert':
      return text.slice(0, i) + e.char.repeat(e.span % 3 + 1) + text.slice(i);
    case 'truncate':
      return text.slice(0, i);
    case 'duplicate':
      return text.slice(0, i + e.span) + text.slice(i, i + e.span) + text.slice(i + e.span);
    case 'swap': {
      const j = (i + e.span) % text.length;
      const chars = [...text];
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
      return chars.join('');
    }
  }
}

const LEAVES = ['v', 'connectionId', 'inviter', 'inviter.name', 'inviter.instanceId', 'inviter.url', 'inviter.siteUrl', 'kind', 'mode', 'name', 'inviteeName', 'partnerSiteUrl', 'expiresAt', 'token'];

type Change = { path: string; how: 'set' | 'remove' | 'tweak' | 'add'; value: unknown; edit: Edit };
const change: fc.Arbitrary<Change> = fc.record({
  path: fc.constantFrom(...LEAVES),
  how: fc.constantFrom('set', 'remove', 'tweak', 'add'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.integer(), fc.constantFrom(null, '', 'public', 'private', 'basic', 'visual', 'http://localhost:8080/green/x/partner-endpoint', 'http://localhost:8080/green/', 'http://localhost:8080/red', 'https://acme.atlassian.net')),
  edit,
});

function applyChange(code: Record<string, unknown>, c: Change): string {
  const copy = JSON.parse(JSON.stringify(code)) as Record<string, unknown>;
  const parts = c.path.split('.');
  if (parts.length === 2 && (typeof copy[parts[0]!] !== 'object' || copy[parts[0]!] === null || Array.isArray(copy[parts[0]!]))) copy[parts[0]!] = {};
  const parent = (parts.length === 2 ? copy[parts[0]!] : copy) as Record<string, unknown>;
  const leaf = parts[parts.length - 1]!;
  if (c.how === 'remove') delete parent[leaf];
  else if (c.how === 'add') parent[`${leaf}Extra`] = c.value;
  else if (c.how === 'set') parent[leaf] = c.value;
  else parent[leaf] = typeof parent[leaf] === 'string' ? applyEdit(parent[leaf] as string, c.edit) : typeof parent[leaf] === 'number' ? (parent[leaf] as number) + c.edit.span : c.value;
  return Buffer.from(JSON.stringify(copy), 'utf8').toString('base64url');
}

describe('invitation codes under fuzzing', () => {
  it('refuses 2,500 inputs of junk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.base64String({ maxLength: 400 }),
          fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
        ),
        refusedWithoutEffect,
      ),
      { numRuns: 2_500, seed: 1 },
    );
  });

  it('refuses 4,500 character-level mutations of a real code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        await refusedWithoutEffect(edits.reduce(applyEdit, real));
      }),
      { numRuns: 4_500, seed: 2 },
    );
  });

  it('refuses 3,000 well-formed codes with one or two parts changed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 2 }), async (changes) => {
        let code = realJson;
        let encoded = real;
        for (const c of changes) {
          encoded = applyChange(code, c);
          code = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
        }
        await refusedWithoutEffect(encoded);
      }),
      { numRuns: 3_000, seed: 3 },
    );
  });

  it('still accepts the real code afterwards', async () => {
    expect(state()).toBe(before);
    // Many inputs got past the local checks and were refused by the inviter itself.
    const handshakes = world.network.log.filter((r) => r.url === blue.exalateUrl && r.method === 'POST');
    expect(handshakes.length).toBeGreaterThan(300);
    await green.call('acceptInvitation', { invitationCode: real, projectKey: 'SC' });
    expect(state()).not.toBe(before);
  });
});
