import { z } from 'zod';
import { recordKind, type Storage } from '../domain/stored-record';

// Triggers: per connection, a JQL query whose matching issues come under
// sync by themselves. Few per installation, so "all triggers" is one prefix
// query, which is what each product event needs.

export const Trigger = z.object({
  id: z.string(),
  connectionId: z.string(),
  entityType: z.literal('issue'),
  /** The query as the admin wrote it; it is always run bounded to the connection's project. */
  jql: z.string(),
  notes: z.string(),
  active: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Trigger = z.infer<typeof Trigger>;

export const TRIGGER_PREFIX = 'trigger:';
const triggerKey = (id: string) => `${TRIGGER_PREFIX}${id}`;
const triggerRecord = recordKind({ name: 'trigger', version: 1, schema: Trigger, key: triggerKey });

export function triggerStore(storage: Storage) {
  const { kvs } = storage;
  return {
    async get(id: string): Promise<Trigger | undefined> {
      if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) return undefined;
      return triggerRecord.get(kvs, id);
    },

    save(trigger: Trigger): Promise<void> {
      return kvs.set(triggerKey(trigger.id), Trigger.parse(trigger));
    },

    remove(id: string): Promise<void> {
      return kvs.delete(triggerKey(id));
    },

    /** Every trigger, oldest first; unreadable records are logged and skipped rather than stopping sync. */
    async list(): Promise<Trigger[]> {
      const out: Trigger[] = [];
      let cursor: string | undefined;
      do {
        const page = await kvs.query(TRIGGER_PREFIX, { limit: 100, cursor });
        for (const entry of triggerRecord.entries(page, storage.log)) out.push(entry.value);
        cursor = page.nextCursor;
      } while (cursor);
      return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
  };
}

export type TriggerStore = ReturnType<typeof triggerStore>;
