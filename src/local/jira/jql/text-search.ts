// The `~` operator. Jira hands the value to Lucene with an English analyzer;
// this is a smaller, predictable version of that looseness:
// - words are compared case-insensitively, after folding plural endings
//   ("logins" finds "login") and dropping English stop words ("the", "a"…);
// - every word of the value must occur (Jira ANDs them), in any order;
// - `OR` between words gives alternatives: `login OR signup`;
// - `-word` (or `NOT word`, `!word`) excludes issues containing it;
// - a quoted phrase inside the value (`"\"login page\""`) needs the words adjacent,
//   and so does a word the analyzer splits (`sign-in`);
// - `*` matches any run of characters and `?` one character, within one word
//   (`log*` finds "login" and "logout").
// Stemming beyond plurals, fuzzy (`~2`), proximity and boosts are not modelled.
import { jqlMessages } from './messages';

const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was',
  'will', 'with',
]);

const WORD = /[\p{L}\p{N}]+/gu;

/** One field value after analysis. */
export interface AnalyzedText {
  readonly words: readonly string[];
  readonly set: ReadonlySet<string>;
}

export function analyze(text: string): AnalyzedText {
  const words: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (!STOP_WORDS.has(word)) words.push(foldPlural(word));
  }
  return { words, set: new Set(words) };
}

function foldPlural(word: string): string {
  if (word.length > 4 && word.endsWith('ies') && !/[ae]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ss|x|ch|sh|z)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

type TermMatcher = (values: readonly AnalyzedText[]) => boolean;

interface Group {
  required: TermMatcher[];
  prohibited: TermMatcher[];
}

/** A compiled text query: does one field (all its values together) contain it? */
export type TextQuery = (values: readonly AnalyzedText[]) => boolean;

export type CompiledText = { ok: true; query: TextQuery } | { ok: false; message: string };

export function compileTextQuery(value: string, field: string): CompiledText {
  if (value.trim() === '') return { ok: false, message: jqlMessages.emptyTextSearch(field) };
  const tokens = tokenize(value);
  const groups: Group[] = [{ required: [], prohibited: [] }];
  let sawTerm = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'operator') {
      if (token.text === 'OR') groups.push({ required: [], prohibited: [] });
      if (token.text === 'NOT' && i + 1 < tokens.length && tokens[i + 1]!.kind !== 'operator') {
        tokens[i + 1] = { ...tokens[i + 1]!, prohibited: true } as Token;
      }
      continue;
    }
    sawTerm = true;
    const matcher = termMatcher(token);
    if (!matcher) continue; // only stop words
    const group = groups[groups.length - 1]!;
    (token.prohibited ? group.prohibited : group.required).push(matcher);
  }
  if (!sawTerm) return { ok: false, message: jqlMessages.unparsableText(value, field) };
  const usable = groups.filter((g) => g.required.length > 0);
  const query: TextQuery = (values) =>
    usable.some((g) => g.required.every((m) => m(values)) && !g.prohibited.some((m) => m(values)));
  return { ok: true, query };
}

type Token =
  | { kind: 'operator'; text: 'AND' | 'OR' | 'NOT' }
  | { kind: 'word'; text: string; prohibited: boolean }
  | { kind: 'phrase'; text: string; prohibited: boolean };

function tokenize(value: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /([+\-!]?)"([^"]*)"?|(\S+)/g;
  for (const match of value.matchAll(pattern)) {
    if (match[2] !== undefined) {
      tokens.push({ kind: 'phrase', text: match[2], prohibited: match[1] === '-' || match[1] === '!' });
      continue;
    }
    const raw = match[3]!;
    if (raw === 'AND' || raw === '&&') tokens.push({ kind: 'operator', text: 'AND' });
    else if (raw === 'OR' || raw === '||') tokens.push({ kind: 'operator', text: 'OR' });
    else if (raw === 'NOT') tokens.push({ kind: 'operator', text: 'NOT' });
    else {
      const prohibited = raw.startsWith('-') || raw.startsWith('!');
      const text = raw.replace(/^[+\-!]/, '').replace(/\\/g, '');
      if (text !== '') tokens.push({ kind: 'word', text, prohibited });
    }
  }
  return tokens;
}

function termMatcher(token: Exclude<Token, { kind: 'operator' }>): TermMatcher | undefined {
  if (token.kind === 'word' && /[*?]/.test(token.text)) return wildcardMatcher(token.text);
  const words = analyze(token.text).words;
  if (words.length === 0) return undefined;
  if (words.length === 1) {
    const word = words[0]!;
    return (values) => values.some((v) => v.set.has(word));
  }
  return (values) => values.some((v) => containsPhrase(v.words, words));
}

function wildcardMatcher(text: string): TermMatcher | undefined {
  const body = text
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '[\\p{L}\\p{N}]*' : c === '?' ? '[\\p{L}\\p{N}]' : /[\p{L}\p{N}]/u.test(c) ? c : ''))
    .join('');
  if (body === '') return undefined;
  const pattern = new RegExp(`^${body}$`, 'u');
  // Wildcard terms are not folded (as in Lucene); words in the text are.
  return (values) => values.some((v) => v.words.some((w) => pattern.test(w)));
}

function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  const first = phrase[0];
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (words[i] !== first) continue;
    let j = 1;
    while (j < phrase.length && words[i + j] === phrase[j]) j++;
    if (j === phrase.length) return true;
  }
  return false;
}
