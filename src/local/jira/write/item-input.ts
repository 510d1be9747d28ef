// Reads the fields that name things of the project (components, fix
// and affects versions) and the time tracking estimates, with Jira's messages.
import type { ProjectRecord } from '../catalog';
import { parseDuration } from '../model/duration';
import type { Stores } from '../store';
import type { FieldOp } from './custom-input';

export type IdsParse = { value: number[] } | { error: string };

/**
 * `set` (a list), `add` and `remove` on components or versions, each named
 * `{id}` or `{name}` and belonging to the project.
 */
export function parseProjectItems(
  stores: Stores,
  project: ProjectRecord,
  kind: 'components' | 'versions',
  ops: FieldOp[],
  current: number[],
): IdsParse {
  const items = kind === 'components' ? stores.components.forProject(project.id) : stores.versions.forProject(project.id);
  const noun = kind === 'components' ? 'Component' : 'Version';
  const read = (value: unknown): number | { error: string } => {
    const ref = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { name: value };
    if (ref.id !== undefined && ref.id !== null) {
      const found = items.find((item) => String(item.id) === String(ref.id));
      return found ? found.id : { error: `${noun} id '${String(ref.id)}' is not valid` };
    }
    const found = items.find((item) => item.name === ref.name);
    return found ? found.id : { error: `${noun} name '${String(ref.name)}' is not valid` };
  };
  let ids = [...current];
  for (const { op, value } of ops) {
    if (op === 'set') {
      if (value === null) {
        ids = [];
        continue;
      }
      if (!Array.isArray(value)) return { error: `Operation value must be an array of ${kind}` };
      const next: number[] = [];
      for (const entry of value) {
        const id = read(entry);
        if (typeof id !== 'number') return id;
        if (!next.includes(id)) next.push(id);
      }
      ids = next;
    } else if (op === 'add' || op === 'remove') {
      const id = read(value);
      if (typeof id !== 'number') return id;
      ids = op === 'add' ? (ids.includes(id) ? ids : [...ids, id]) : ids.filter((i) => i !== id);
    } else {
      return { error: `Field does not support operation '${op}'` };
    }
  }
  return { value: ids };
}

export interface Estimates {
  originalEstimate?: number | null;
  remainingEstimate?: number | null;
}

/** `timetracking: {originalEstimate, remainingEstimate}` as durations (`1d 2h`); null clears. */
export function parseTimeTracking(value: unknown): { value: Estimates } | { error: string } {
  if (value === null) return { value: { originalEstimate: null, remainingEstimate: null } };
  if (typeof value !== 'object') return { error: 'Operation value must be an object' };
  const raw = value as Record<string, unknown>;
  const out: Estimates = {};
  for (const [name, label] of [['originalEstimate', 'original'], ['remainingEstimate', 'remaining']] as const) {
    const given = raw[name];
    if (given === undefined) continue;
    if (given === null || given === '') {
      out[name] = null;
      continue;
    }
    const seconds = typeof given === 'string' ? parseDuration(given) : undefined;
    if (seconds === undefined) return { error: `The ${label} estimate specified is not valid.` };
    out[name] = seconds;
  }
  return { value: out };
}
