import type { z } from 'zod';
import type { ScriptError } from './script-error';

/** A script's result that fails its schema, reported with the path an admin
 *  recognises from their script, e.g. `replica.comments[0].body`. */
export function outputError(root: string, error: z.ZodError, what: string): ScriptError {
  const first = error.issues[0];
  const count = error.issues.length;
  const where = first ? pathText(root, first.path) : root;
  const more = count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : '';
  return {
    kind: 'output',
    message: `The script produced an invalid ${what}: ${where}: ${first?.message ?? 'invalid'}${more}`,
    line: null,
    column: null,
  };
}

function pathText(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    const name = String(part);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`;
  }, root);
}
