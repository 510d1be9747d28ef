// Ids are handed out per kind from counters kept in the database, starting at
// the seed's id base, so they survive restarts and never repeat.
import type { Db } from '../db/schema';
import type { SequenceName } from '../db/apply-seed';
import type { Statement } from 'better-sqlite3';

export class Sequences {
  private readonly next: Statement;

  constructor(db: Db) {
    this.next = db.prepare(
      `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = ? RETURNING CAST(value AS INTEGER) - 1 AS id`,
    );
  }

  take(name: SequenceName): number {
    const row = this.next.get(`seq:${name}`) as { id: number } | undefined;
    if (!row) throw new Error(`No sequence ${name}`);
    return row.id;
  }
}
