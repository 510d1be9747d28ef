import type { Platform } from '../../src/ports';
import type { Envelope, ReplicaMessage } from '../../src/domain/messages';
import type { ConnectionRecord } from '../../src/domain/connection';
import { handlePartnerRequest, handleTransportWork, runTransportMaintenance, type TransportDeps, type TransportSettings } from '../../src/transport';
import { callResolver } from '../../src/app';
import { handleRemovalWork, isRemovalWork } from '../../src/removal';
import { pairingHandlers } from '../../src/pairing';
import { forgetEverythingHeld } from '../../src/domain/held-across-invocations';
import {
  FakeClock,
  KvsData,
  ManualQueue,
  MemoryJira,
  MemoryKvs,
  MemoryLog,
  PartnerNetwork,
  QueueData,
  SeededRandom,
  SimulatedCrash,
  type MemoryProject,
} from '../support/memory-platform';

/** What one process holds across invocations; the sites share it here, as one container would serve both. */
function forgetWarmCopiesOfContainer(): void {
  forgetEverythingHeld();
}

// Installations of the app in one process, joined by an in-memory network:
// each has its own KVS and queue (both survive a "restart"), one shared clock,
// and inbound handlers that record what the sync engine would have received.

export const BASE_URL = 'http://localhost:8080';

/**
 * A replica message that carries the marker `n`. The transport never looks inside a replica, so these
 * tests follow their messages by the marker alone.
 */
export function replicaBody(n: unknown): ReplicaMessage {
  return { issueId: '10001', issueKey: 'UD-1', seq: 1, cause: 'event', replica: { n } };
}

/** The marker of a message sent with `replicaBody`. */
export const markerOf = (envelope: Envelope): unknown => ((envelope.body as ReplicaMessage).replica as { n?: unknown } | null)?.n;

export interface Received {
  connectionId: string;
  envelope: Envelope;
}

export class Site {
  readonly siteUrl: string;
  readonly exalateUrl: string;
  readonly acceptPageUrl: string;
  readonly kvsData = new KvsData();
  readonly queueData = new QueueData();
  readonly log = new MemoryLog();
  readonly jira: MemoryJira;
  /** What the engine's inbound handlers were given, in order. */
  readonly received: Received[] = [];
  /** Results our messages got back (onDelivered), in order. */
  readonly delivered: { envelope: Envelope; result: unknown }[] = [];
  /** Make the engine's inbound handler throw for matching messages (an Error returned is thrown as it is). */
  failInbound?: (envelope: Envelope) => boolean | Error;
  /** Awaited by the engine's inbound handler before it records a message: a test's way of making it take a while. */
  holdInbound?: (envelope: Envelope) => Promise<void>;
  /** What the engine's inbound handler answers, instead of saying it applied the message. */
  answerInbound?: (envelope: Envelope) => unknown;
  /** How this site's invocations wait (a long poll); absent: they do not, as before long polls. */
  sleep?: (ms: number) => Promise<void>;
  /** The current "process": replaced by restart(). */
  kvs: MemoryKvs;
  queue: ManualQueue;
  deps: TransportDeps;

  constructor(
    readonly name: string,
    private readonly world: World,
    projects: MemoryProject[],
  ) {
    this.siteUrl = `${BASE_URL}/${name}`;
    this.exalateUrl = `${this.siteUrl}/x/partner-endpoint`;
    this.acceptPageUrl = `${this.siteUrl}/apps/exalate-admin/connections`;
    this.jira = new MemoryJira(projects);
    this.kvs = new MemoryKvs(this.kvsData, () => world.clock.now());
    this.queue = new ManualQueue(world.clock, this.queueData);
    this.deps = this.makeDeps();
    world.network.register(this.exalateUrl, (request) => handlePartnerRequest(this.platform(), this.deps, request));
  }

  private makeDeps(): TransportDeps {
    const record = async (_platform: Platform, connection: ConnectionRecord, envelope: Envelope) => {
      const failure = this.failInbound?.(envelope);
      if (failure instanceof Error) throw failure;
      if (failure) throw new Error(`the engine on ${this.name} failed on purpose`);
      await this.holdInbound?.(envelope);
      this.received.push({ connectionId: connection.id, envelope });
      return this.answerInbound?.(envelope) ?? { appliedOn: this.name, messageId: envelope.messageId };
    };
    return {
      instance: async () => ({ siteUrl: this.siteUrl, acceptPageUrl: this.acceptPageUrl }),
      pairing: pairingHandlers,
      inbound: { replica: record, ack: record, unexalate: record, configure: record, attachment: record },
      onDelivered: async (_platform, _connection, envelope, result) => {
        this.delivered.push({ envelope, result });
      },
      settings: this.world.settings,
    };
  }

  /** A fresh Platform for one invocation, over this site's stores. */
  platform(): Platform {
    return {
      kvs: this.kvs,
      queue: this.queue,
      jira: this.jira,
      partner: this.world.network.client(),
      partnerUrls: this.world.network.urlPolicy(),
      invocation: { remainingMs: () => this.world.remainingMs?.() },
      webTriggers: { getUrl: async (key) => `${this.siteUrl}/x/${key}` },
      clock: this.world.clock,
      random: this.world.random,
      log: this.log,
      ...(this.sleep ? { sleep: this.sleep } : {}),
      ...(this.world.installations ? { installation: `inst-${this.name}` } : {}),
    };
  }

  /** Call a resolver as the site admin would from the UI. */
  async call<T = Record<string, unknown>>(key: string, payload: unknown = {}): Promise<T> {
    return (await callResolver(this.platform(), key, payload, { siteUrl: this.siteUrl, accountId: 'admin', moduleKey: 'exalate-admin' })) as T;
  }

  /** Drop everything held in memory; KVS and queue stay, as on a restarted process. */
  restart(): void {
    if (this.world.installations) forgetWarmCopiesOfContainer();
    this.kvs = new MemoryKvs(this.kvsData, () => this.world.clock.now());
    this.queue = new ManualQueue(this.world.clock, this.queueData);
    this.deps = this.makeDeps();
  }

  snapshot() {
    return this.kvs.snapshot();
  }

  async maintenance(): Promise<void> {
    await runTransportMaintenance(this.platform(), this.deps);
  }

  /** Runs one due queue event; a consumer that throws is retried as Forge does (at most 4 times). */
  async runOne(): Promise<boolean> {
    const event = this.queue.takeDue();
    if (!event) return false;
    try {
      // A deleted connection's purge runs through the same queue as the transport's work.
      if (isRemovalWork(event.body)) await handleRemovalWork(this.platform(), event.body);
      else await handleTransportWork(this.platform(), this.deps, event.body);
    } catch (e) {
      if (e instanceof SimulatedCrash) throw e;
      if (event.attempts < 4) this.queue.retry(event, 5_000 * 2 ** event.attempts);
      else this.world.deadEvents.push({ site: this.name, body: event.body, error: String(e) });
    }
    return true;
  }

  replicasFrom(connectionId?: string): Envelope[] {
    return this.received.filter((r) => connectionId === undefined || r.connectionId === connectionId).map((r) => r.envelope);
  }
}

export interface WorldOptions {
  seed?: number;
  settings?: Partial<TransportSettings>;
  sites?: string[];
  /**
   * Give each site's invocations an installation id, as Forge does: then what the app holds warm across
   * invocations of one container (secrets, the last sequence number, the delivery state) is held here too,
   * and `restart()` forgets it, as a new container would.
   */
  installations?: boolean;
}

const DEFAULT_PROJECTS: MemoryProject[] = [
  { key: 'UD', name: 'UI Design' },
  { key: 'SC', name: 'Software Chasers' },
  { key: 'OPS', name: 'Operations' },
];

export class World {
  readonly clock = new FakeClock();
  readonly random: SeededRandom;
  readonly network = new PartnerNetwork();
  readonly settings: Partial<TransportSettings>;
  readonly sites: Record<string, Site> = {};
  readonly deadEvents: { site: string; body: Record<string, unknown>; error: string }[] = [];
  /** What every invocation is told it has left (ms); undefined: the platform cannot tell. */
  remainingMs?: () => number | undefined;
  readonly installations: boolean;

  constructor(options: WorldOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 7);
    this.installations = options.installations === true;
    if (this.installations) forgetWarmCopiesOfContainer();
    this.settings = { ...(options.settings ?? {}) };
    for (const name of options.sites ?? ['blue', 'green']) this.sites[name] = new Site(name, this, DEFAULT_PROJECTS);
  }

  site(name: string): Site {
    const site = this.sites[name];
    if (!site) throw new Error(`no site ${name}`);
    return site;
  }

  /** Runs every event due now (and what they push for now), without moving the clock. */
  async runDue(maxEvents = 10_000): Promise<number> {
    let ran = 0;
    for (;;) {
      let progressed = false;
      for (const site of Object.values(this.sites)) {
        while (await site.runOne()) {
          progressed = true;
          if (++ran >= maxEvents) throw new Error(`runDue: more than ${maxEvents} events; something loops`);
        }
      }
      if (!progressed) return ran;
    }
  }

  /** Moves the clock forward by `ms`, stopping at each queued event's time to run what is due. */
  async advance(ms: number, maxEvents = 20_000): Promise<number> {
    const until = this.clock.now() + ms;
    let ran = await this.runDue(maxEvents);
    for (;;) {
      const next = Math.min(...Object.values(this.sites).map((s) => s.queue.nextAvailableAt() ?? Infinity));
      if (next > until) break;
      if (next > this.clock.now()) this.clock.set(next);
      ran += await this.runDue(maxEvents);
      if (ran >= maxEvents) throw new Error(`advance: more than ${maxEvents} events; something loops`);
    }
    this.clock.set(until);
    return ran + (await this.runDue(maxEvents));
  }
}
