import type { PartnerUrlPolicy } from '../ports';

// The local runtime runs these very adapters. The one thing it knows that
// Forge does not is which partner URLs it serves itself: its own web triggers
// on http://localhost:8080 stand in for Forge's https web trigger domains. It
// says so here, once, at start. Nothing on Forge calls this, so there the
// platform has no loopback policy and the core refuses every http partner URL.

let sandboxPartnerUrls: PartnerUrlPolicy | undefined;

/** Called by the local runtime only. */
export function setSandboxPartnerUrls(policy: PartnerUrlPolicy | undefined): void {
  sandboxPartnerUrls = policy;
}

export function currentSandboxPartnerUrls(): PartnerUrlPolicy | undefined {
  return sandboxPartnerUrls;
}

// Waiting (a long poll's pause) is real time on Forge. The local runtime runs on a clock tests and the bench
// move themselves, so it says how an invocation waits on that clock.
let sandboxSleep: ((ms: number) => Promise<void>) | undefined;

/** Called by the local runtime only. */
export function setSandboxSleep(sleep: ((ms: number) => Promise<void>) | undefined): void {
  sandboxSleep = sleep;
}

export function currentSandboxSleep(): ((ms: number) => Promise<void>) | undefined {
  return sandboxSleep;
}

/** Waits `ms`: in real time on Forge, on the local runtime's clock there. */
export function platformSleep(ms: number): Promise<void> {
  return (sandboxSleep ?? ((t: number) => new Promise<void>((resolve) => setTimeout(resolve, t))))(ms);
}
