// Completion in the rule editor, from the same declarations the sandbox binds
// (src/domain/script-api.ts) and the replica's own schema: top-level names,
// a helper's members after its dot, an issue's fields after `replica.`,
// `issue.` or `previous.`.
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { bindingsFor, type ScriptDirection } from '../../../../src/domain/script-api';
import { LocalIssue, Replica } from '../../../../src/domain/replica';

const ISSUE_LIKE = new Set(['replica', 'issue', 'previous']);

function fieldsOf(name: string): Completion[] {
  // The replica's fields for `replica.`/`previous.`; the local issue's for `issue.` (what Jira gave).
  const shape = name === 'issue' ? LocalIssue.shape : Replica.shape;
  return Object.keys(shape).map((field) => ({ label: field, type: 'property' }));
}

/** Completions for a script of one direction. Pure over the text before the cursor, so it is unit-tested. */
export function completionsAt(direction: ScriptDirection, before: string): { from: number; options: Completion[] } | null {
  const bindings = bindingsFor(direction);
  const member = /([A-Za-z_$][\w$]*)\.([\w$]*)$/.exec(before);
  if (member) {
    const [, owner, partial] = member;
    const from = before.length - partial!.length;
    if (ISSUE_LIKE.has(owner!) && bindings.some((b) => b.name === owner)) return { from, options: fieldsOf(owner!) };
    const namespace = bindings.find((b) => b.name === owner && b.members);
    if (!namespace) return null;
    return { from, options: namespace.members!.map((m) => ({ label: m.name, type: 'method', detail: m.signature, info: m.doc })) };
  }
  const word = /[A-Za-z_$][\w$]*$/.exec(before);
  if (!word) return null;
  return {
    from: before.length - word[0].length,
    options: bindings.map((b) => ({
      label: b.name,
      type: b.kind === 'namespace' ? 'namespace' : b.kind === 'function' ? 'function' : b.kind === 'keyword' ? 'keyword' : 'variable',
      info: b.doc,
    })),
  };
}

/** The CodeMirror completion source for the editor of `direction`'s script. */
export function scriptCompletions(direction: ScriptDirection): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const found = completionsAt(direction, before);
    if (!found || (!context.explicit && found.from === before.length && !before.endsWith('.'))) return null;
    return { from: line.from + found.from, options: found.options, validFor: /^[\w$]*$/ };
  };
}
