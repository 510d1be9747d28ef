import { Budget, DEFAULT_BUDGET, TranslationTooCostly, type BudgetLimits } from './budget';
import { lex, LexError } from './lexer';
import type { Direction } from './mappings';
import { parse } from './parser';
import { translateProgram, type Unsupported } from './translate';

// Exalate's Groovy sync rules → this app's JavaScript rules. The translation
// keeps the original's lines and comments; whatever it cannot translate stays
// in the script as a comment and is listed with its line and a suggestion.

export type { Direction } from './mappings';
export type { Unsupported } from './translate';
export { TranslationTooCostly } from './budget';

export const MAX_GROOVY_SOURCE = 100_000;

export interface GroovyTranslation {
  script: string;
  unsupported: Unsupported[];
}

export interface TranslateOptions {
  source: string;
  direction: Direction;
  budget?: BudgetLimits;
}

/** Throws `TranslationTooCostly` when the input would take too long; everything else comes back as a translation. */
export function translateGroovy({ source, direction, budget: limits = DEFAULT_BUDGET }: TranslateOptions): GroovyTranslation {
  if (source.length > MAX_GROOVY_SOURCE) throw new TranslationTooCostly(`The script is longer than ${MAX_GROOVY_SOURCE} characters.`);
  const budget = new Budget(limits);
  const text = source.replace(/\r\n?/g, '\n');
  let lexed;
  try {
    lexed = lex(text, budget);
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    // Without tokens nothing can be read: the whole script stays as it was, commented, and the reason is listed.
    const script = text
      .split('\n')
      .map((line) => (line.trim() ? `// ${line}` : line))
      .join('\n');
    return { script: `${script}\n`, unsupported: [{ line: e.line, construct: text.split('\n')[e.line - 1]?.trim() ?? '', suggestion: `${e.message} Nothing was translated.` }] };
  }
  const program = parse(lexed.tokens, budget);
  return translateProgram(program, { source: text, comments: lexed.comments, direction, budget });
}
