// What the app holds in a warm container across invocations (a few records
// per installation, each briefly; the modules that hold them say why a stale
// copy is safe). Each such module registers how to forget what it holds, so
// that the local runtime, which keeps an installation's id across data
// directories, can forget everything when it opens one without loading those
// modules itself (the runtime must not load the app's modules before it has
// put Forge's globals in place).

const forgetters = new Set<() => void>();

/** Registers how to forget what a module holds across invocations. */
export function holdsAcrossInvocations(forget: () => void): void {
  forgetters.add(forget);
}

/** Forgets everything every registered module holds. */
export function forgetEverythingHeld(): void {
  for (const forget of forgetters) forget();
}

/** Who holds: the installation an invocation serves (absent where the platform does not say; then nothing is held). */
interface Holder {
  installation?: string;
}

/**
 * A module's copies per installation and connection (a connection's id is the same on both sides of a local
 * pair, so the installation is part of the key): at most `capacity` of them, the oldest let go first, each
 * trusted for `maxAgeMs` when given; registered above, so the local runtime can forget them all.
 */
export function heldPerConnection<T>(options: { capacity: number; maxAgeMs?: number }) {
  const held = new Map<string, { value: T; at: number }>();
  holdsAcrossInvocations(() => held.clear());
  const keyOf = (holder: Holder, connectionId: string) => (holder.installation ? `${holder.installation}:${connectionId}` : undefined);
  return {
    /** The copy held, unless it is older than `maxAgeMs` at `now` (or from a clock that went back). */
    get(holder: Holder, connectionId: string, now: number): T | undefined {
      const key = keyOf(holder, connectionId);
      const entry = key ? held.get(key) : undefined;
      if (!entry) return undefined;
      if (options.maxAgeMs !== undefined && (now < entry.at || now - entry.at >= options.maxAgeMs)) return undefined;
      return entry.value;
    },
    set(holder: Holder, connectionId: string, value: T, now: number): void {
      const key = keyOf(holder, connectionId);
      if (!key) return;
      held.delete(key);
      if (held.size >= options.capacity) held.delete(held.keys().next().value!);
      held.set(key, { value, at: now });
    },
    forget(holder: Holder, connectionId: string): void {
      const key = keyOf(holder, connectionId);
      if (key) held.delete(key);
    },
  };
}
