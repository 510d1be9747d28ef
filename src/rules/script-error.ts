import { z } from 'zod';

// A rule script's failure, as a value the Errors page and the issue panel can
// explain: what kind of failure, what the engine said, and where in the
// admin's script it happened.

export const ScriptErrorKind = z.enum([
  /** The script does not parse. */
  'syntax',
  /** The script threw (its own `throw`, a TypeError, …). */
  'runtime',
  /** The script ran past its deadline or its step budget (an endless loop). */
  'timeout',
  /** The script needed more memory than its limit. */
  'memory',
  /** The script recursed too deeply. */
  'stack',
  /** The script finished, but what it produced is not a valid replica or issue. */
  'output',
]);
export type ScriptErrorKind = z.infer<typeof ScriptErrorKind>;

export const ScriptError = z.object({
  kind: ScriptErrorKind,
  message: z.string(),
  /** 1-based, in the admin's script; null when the failure has no place in it. */
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
});
export type ScriptError = z.infer<typeof ScriptError>;

/** What QuickJS hands back for a thrown value, once dumped to JSON. */
export interface ThrownValue {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  lineNumber?: unknown;
}

export type InterruptReason = 'deadline' | 'budget';

export interface ClassifyContext {
  /** The file name the admin's script was evaluated under, e.g. `outgoing.js`. */
  filename: string;
  /** Set when our interrupt handler stopped the script, and why. */
  interrupted: InterruptReason | null;
  /** True while the admin's script itself was being evaluated (not the prelude or the result). */
  duringScript: boolean;
  limits: { deadlineMs: number; interruptBudget: number };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first place in the admin's script named by a QuickJS stack. */
export function locate(stack: string, filename: string): { line: number; column: number } | null {
  const match = new RegExp(`${escapeRegExp(filename)}:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!match) return null;
  return { line: Number(match[1]), column: match[2] ? Number(match[2]) : 1 };
}

export function classifyThrown(thrown: unknown, ctx: ClassifyContext): ScriptError {
  const value: ThrownValue = typeof thrown === 'object' && thrown !== null ? (thrown as ThrownValue) : {};
  const isErrorLike = typeof value.message === 'string' && typeof value.name === 'string';
  const name = isErrorLike ? String(value.name) : '';
  const message = isErrorLike ? String(value.message) : describePrimitive(thrown);
  const stack = typeof value.stack === 'string' ? value.stack : '';
  const place = locate(stack, ctx.filename);
  const at = { line: place?.line ?? null, column: place?.column ?? null };

  // Where QuickJS's own interrupt lands is not reliable (often the start of
  // the enclosing function), so no line is claimed for it. The prelude's
  // guarded natives stop an overdue script at a call, whose line is exact.
  const nowhere = { line: null, column: null };
  if (ctx.interrupted === 'deadline') {
    return { kind: 'timeout', message: `The script ran longer than ${ctx.limits.deadlineMs} ms and was stopped.`, ...nowhere };
  }
  if (ctx.interrupted === 'budget') {
    return {
      kind: 'timeout',
      message: `The script used up its step budget (${ctx.limits.interruptBudget} checks) and was stopped; look for an endless loop.`,
      ...nowhere,
    };
  }
  if (name === 'InternalError' && message === 'interrupted') {
    return { kind: 'timeout', message: `The script ran longer than ${ctx.limits.deadlineMs} ms and was stopped.`, ...at };
  }
  if (name === 'InternalError' && /out of memory|string too long/.test(message)) {
    return { kind: 'memory', message: 'The script ran out of memory.', ...at };
  }
  if (/stack overflow/.test(message) && (name === 'InternalError' || name === 'SyntaxError' || name === 'RangeError')) {
    return { kind: 'stack', message: 'The script recursed too deeply (stack overflow).', ...at };
  }
  // A parse error of the script itself is reported at a bare `file:line:col`
  // frame; a SyntaxError raised while running (JSON.parse, new RegExp) has a
  // caller frame and counts as a runtime error.
  if (name === 'SyntaxError' && ctx.duringScript && isCompileFrame(stack, ctx.filename)) {
    const line = typeof value.lineNumber === 'number' ? value.lineNumber : at.line;
    return { kind: 'syntax', message: `SyntaxError: ${message}`, line, column: at.column };
  }
  return { kind: 'runtime', message: isErrorLike ? `${name}: ${message}` : `Uncaught ${message}`, ...at };
}

function isCompileFrame(stack: string, filename: string): boolean {
  const first = stack.split('\n').find((l) => l.trim().length > 0) ?? '';
  return new RegExp(`^\\s*at ${escapeRegExp(filename)}:\\d+`).test(first);
}

function describePrimitive(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
