import type Database from 'better-sqlite3';

// The Forge async-event queue, persisted: an event stays in SQLite until its
// consumer finishes, so a crash between take and finish redelivers it (at
// least once, as on Forge). Retries back off; after the platform's retry
// limit an event moves to the dead-letter table, where a person can see it.

export interface StoredEvent {
  id: number;
  installation: string;
  queue: string;
  jobId: string;
  eventId: string;
  body: Record<string, unknown>;
  attempts: number;
  deliverAt: number;
  /** The invocation chain the push that queued this event belongs to (Forge's cyclic-invocation limit). */
  chainId: string;
}

/** Forge retries a failed async event at most this many times. */
export const MAX_RETRIES = 4;

export class LocalQueueStore {
  private readonly statements;

  constructor(db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS queue_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        installation TEXT NOT NULL,
        queue TEXT NOT NULL,
        job_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        deliver_at INTEGER NOT NULL,
        leased_until INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS queue_due ON queue_events (deliver_at);
      CREATE TABLE IF NOT EXISTS queue_dead (
        id INTEGER PRIMARY KEY,
        installation TEXT NOT NULL,
        queue TEXT NOT NULL,
        job_id TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_error TEXT,
        died_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS queue_chains (
        chain_id TEXT PRIMARY KEY,
        pushes INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS queue_jobs (
        job_id TEXT PRIMARY KEY,
        succeeded INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0
      );
    `);
    // Databases from before chains were tracked: their waiting events start chains of their own.
    const columns = db.prepare('PRAGMA table_info(queue_events)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'chain_id')) db.exec("ALTER TABLE queue_events ADD COLUMN chain_id TEXT NOT NULL DEFAULT ''");
    this.statements = {
      insert: db.prepare(
        'INSERT INTO queue_events (installation, queue, job_id, event_id, body, deliver_at, chain_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      chainPushes: db.prepare('SELECT pushes FROM queue_chains WHERE chain_id = ?'),
      chainPushed: db.prepare('INSERT INTO queue_chains (chain_id, pushes) VALUES (?, 1) ON CONFLICT (chain_id) DO UPDATE SET pushes = pushes + 1'),
      insertJob: db.prepare('INSERT OR IGNORE INTO queue_jobs (job_id) VALUES (?)'),
      due: db.prepare(
        'SELECT * FROM queue_events WHERE deliver_at <= ? AND leased_until <= ? ORDER BY deliver_at, id LIMIT ?',
      ),
      lease: db.prepare('UPDATE queue_events SET leased_until = ? WHERE id = ? AND leased_until <= ?'),
      remove: db.prepare('DELETE FROM queue_events WHERE id = ?'),
      retry: db.prepare('UPDATE queue_events SET attempts = attempts + 1, deliver_at = ?, leased_until = 0 WHERE id = ?'),
      bury: db.prepare(
        'INSERT INTO queue_dead (id, installation, queue, job_id, body, attempts, last_error, died_at) SELECT id, installation, queue, job_id, body, attempts + 1, ?, ? FROM queue_events WHERE id = ?',
      ),
      succeeded: db.prepare('UPDATE queue_jobs SET succeeded = succeeded + 1 WHERE job_id = ?'),
      failed: db.prepare('UPDATE queue_jobs SET failed = failed + 1 WHERE job_id = ?'),
      job: db.prepare('SELECT succeeded, failed FROM queue_jobs WHERE job_id = ?'),
      inProgress: db.prepare('SELECT COUNT(*) AS n FROM queue_events WHERE job_id = ?'),
      cancel: db.prepare('DELETE FROM queue_events WHERE job_id = ?'),
      nextDue: db.prepare('SELECT MIN(MAX(deliver_at, leased_until)) AS at FROM queue_events'),
      hold: db.prepare('UPDATE queue_events SET leased_until = MAX(leased_until, ?) WHERE id = ?'),
      pending: db.prepare('SELECT COUNT(*) AS n FROM queue_events'),
      waiting: db.prepare('SELECT queue, body FROM queue_events ORDER BY deliver_at, id LIMIT ?'),
      dead: db.prepare('SELECT * FROM queue_dead ORDER BY died_at DESC LIMIT ?'),
    };
    this.db = db;
  }

  private readonly db: Database.Database;

  /** Queue `events` as one push request of invocation chain `chainId` (counted against the chain). */
  push(installation: string, queue: string, jobId: string, events: { eventId: string; body: unknown; deliverAt: number }[], chainId = ''): void {
    this.db.transaction(() => {
      this.statements.insertJob.run(jobId);
      for (const e of events) this.statements.insert.run(installation, queue, jobId, e.eventId, JSON.stringify(e.body), e.deliverAt, chainId);
      if (chainId) this.statements.chainPushed.run(chainId);
    })();
  }

  /** Push requests made so far by invocation chain `chainId`. */
  chainPushes(chainId: string): number {
    return (this.statements.chainPushes.get(chainId) as { pushes: number } | undefined)?.pushes ?? 0;
  }

  /**
   * Claim up to `limit` due events for `leaseMs`. A claimed event that is never
   * finished (the process died) becomes due again when its lease runs out.
   */
  take(now: number, limit: number, leaseMs: number): StoredEvent[] {
    return this.db.transaction(() => {
      const rows = this.statements.due.all(now, now, limit) as Row[];
      const taken: StoredEvent[] = [];
      for (const row of rows) {
        if (this.statements.lease.run(now + leaseMs, row.id, now).changes === 1) taken.push(toEvent(row));
      }
      return taken;
    })();
  }

  /** Keep a taken event from being taken again until `until` (its invocation may run that long). */
  holdUntil(event: StoredEvent, until: number): void {
    this.statements.hold.run(until, event.id);
  }

  succeed(event: StoredEvent): void {
    this.db.transaction(() => {
      this.statements.remove.run(event.id);
      this.statements.succeeded.run(event.jobId);
    })();
  }

  /** Schedule another attempt, or bury the event when Forge would give up. */
  fail(event: StoredEvent, now: number, retryAfterMs: number, error: string): 'retrying' | 'dead' {
    if (event.attempts >= MAX_RETRIES) {
      this.db.transaction(() => {
        this.statements.bury.run(error, now, event.id);
        this.statements.remove.run(event.id);
        this.statements.failed.run(event.jobId);
      })();
      return 'dead';
    }
    this.statements.retry.run(now + retryAfterMs, event.id);
    return 'retrying';
  }

  stats(jobId: string): { success: number; inProgress: number; failed: number } | undefined {
    const job = this.statements.job.get(jobId) as { succeeded: number; failed: number } | undefined;
    if (!job) return undefined;
    const { n } = this.statements.inProgress.get(jobId) as { n: number };
    return { success: job.succeeded, inProgress: n, failed: job.failed };
  }

  cancel(jobId: string): boolean {
    if (!this.statements.job.get(jobId)) return false;
    this.statements.cancel.run(jobId);
    return true;
  }

  /** When the next event becomes due (or its lease runs out), or undefined when the queue is empty. */
  nextDueAt(): number | undefined {
    const { at } = this.statements.nextDue.get() as { at: number | null };
    return at ?? undefined;
  }

  pendingCount(): number {
    return (this.statements.pending.get() as { n: number }).n;
  }

  /** The events waiting, in the order they will be taken (due ones first). */
  waiting(limit = 100): { queue: string; body: unknown }[] {
    return (this.statements.waiting.all(limit) as { queue: string; body: string }[]).map((r) => ({ queue: r.queue, body: JSON.parse(r.body) }));
  }

  deadLetters(limit = 100): { id: number; queue: string; body: unknown; attempts: number; lastError: string | null }[] {
    return (this.statements.dead.all(limit) as (Row & { last_error: string | null })[]).map((r) => ({
      id: r.id,
      queue: r.queue,
      body: JSON.parse(r.body),
      attempts: r.attempts,
      lastError: r.last_error,
    }));
  }
}

interface Row {
  id: number;
  installation: string;
  queue: string;
  job_id: string;
  event_id: string;
  body: string;
  attempts: number;
  deliver_at: number;
  chain_id: string;
}

function toEvent(row: Row): StoredEvent {
  return {
    id: row.id,
    installation: row.installation,
    queue: row.queue,
    jobId: row.job_id,
    eventId: row.event_id,
    body: JSON.parse(row.body),
    attempts: row.attempts,
    deliverAt: row.deliver_at,
    chainId: row.chain_id,
  };
}
