import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { listConnectionRecords } from './store';

// Connection names are how admins tell connections apart on the Connections
// page, in triggers and in the issue panel: one name, one connection, per
// site. Compared without case and outer spaces, as a person reads them.

const comparable = (name: string) => name.trim().toLowerCase();

/** Refuses `name` when another live connection of this site has it; `exceptId` is the connection being renamed. */
export async function assertNameFree(platform: Platform, name: string, exceptId?: string): Promise<void> {
  const wanted = comparable(name);
  const clash = (await listConnectionRecords(platform)).find((c) => c.id !== exceptId && comparable(c.name) === wanted);
  if (clash) {
    throw new AppError('Conflict', `name: a connection named "${clash.name}" already exists on this site. Choose another name.`);
  }
}

/**
 * A name no live connection of this site has: `name` itself, else `name_2`,
 * `name_3`… For names the app proposes (`Local_to_Remote`, the inviter's
 * name on the accepting side); a name an admin typed is refused instead.
 */
export async function freeName(platform: Platform, name: string): Promise<string> {
  const taken = new Set((await listConnectionRecords(platform)).map((c) => comparable(c.name)));
  if (!taken.has(comparable(name))) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name}_${n}`;
    if (!taken.has(comparable(candidate))) return candidate;
  }
}
