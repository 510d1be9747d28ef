// Translation must finish in bounded time whatever the input: the resolver
// runs it on text an admin pasted. Every loop of the lexer, parser and
// emitter takes a step; past the step budget or the deadline the translation
// stops with a clear error instead of holding the invocation.

export class TranslationTooCostly extends Error {}

export interface BudgetLimits {
  /** Steps in all: a generous multiple of the longest source allowed. */
  maxSteps: number;
  /** Wall-clock time, checked every 1,024 steps. */
  deadlineMs: number;
}

export const DEFAULT_BUDGET: BudgetLimits = { maxSteps: 5_000_000, deadlineMs: 3_000 };

export class Budget {
  private steps = 0;
  private readonly stopAt: number;

  constructor(
    private readonly limits: BudgetLimits = DEFAULT_BUDGET,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.stopAt = now() + limits.deadlineMs;
  }

  step(): void {
    this.steps++;
    if (this.steps > this.limits.maxSteps) throw new TranslationTooCostly(`The script is too complex to translate (over ${this.limits.maxSteps} steps).`);
    if ((this.steps & 1023) === 0 && this.now() > this.stopAt) {
      throw new TranslationTooCostly(`Translating took longer than ${this.limits.deadlineMs} ms and was stopped.`);
    }
  }
}
