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
