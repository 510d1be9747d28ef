import type { Budget } from './budget';

// Groovy source → tokens, for the subset of Groovy that Exalate's sync rules
// use. Newlines end statements in Groovy, so each token says whether a line
// break came before it; comments are kept aside (with their places) so the
// translation can carry them over. A GString's `${…}` and `$name.path` parts
// are lexed here into their own token lists, which the parser reads as
// expressions.

export type TokenType = 'ident' | 'number' | 'string' | 'gstring' | 'regex' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** The identifier, the punctuation, the number's text, a plain string's value or a regex's pattern. */
  value: string;
  /** Only for `gstring`: literal text and embedded expressions, in order. */
  parts?: GStringPart[];
  /** 1-based line of the token's first character. */
  line: number;
  /** Offsets into the source: [start, end). */
  start: number;
  end: number;
  /** A line break between the previous token and this one. */
  nlBefore: boolean;
}

export type GStringPart = { text: string } | { tokens: Token[]; start: number; end: number };

export interface Comment {
  text: string;
  line: number;
  /** The last line the comment covers (block comments may span several). */
  endLine: number;
  start: number;
  end: number;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Longest first, so `?.` wins over `?` and `==~` over `==`. */
const PUNCTUATION = [
  '..<', '==~', '<=>', '>>>', '**=',
  '?.', '?:', '*.', '.&', '..', '=~', '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '%=', '?=', '**', '<<', '>>', '->', '::',
  '(', ')', '{', '}', '[', ']', ';', ',', '.', ':', '?', '+', '-', '*', '/', '%', '!', '<', '>', '=', '&', '|', '^', '~', '@',
];

/** The punctuation by its first character, longest first. */
const PUNCTUATION_BY_FIRST = new Map<string, string[]>();
for (const p of PUNCTUATION) {
  const list = PUNCTUATION_BY_FIRST.get(p[0]!) ?? [];
  list.push(p);
  PUNCTUATION_BY_FIRST.set(p[0]!, list);
}

/** After these a `/` divides; anywhere else it opens a slashy string (a regex). */
const VALUE_ENDS = new Set([')', ']', '}']);

const MAX_GSTRING_DEPTH = 16;

export interface Lexed {
  tokens: Token[];
  comments: Comment[];
}

export function lex(source: string, budget: Budget): Lexed {
  const comments: Comment[] = [];
  const tokens = new Lexer(source, budget, comments, 0, source.length, 1, 0).run();
  return { tokens, comments };
}

class Lexer {
  private pos: number;
  private line: number;
  private sawNewline = false;
  private readonly tokens: Token[] = [];

  constructor(
    private readonly src: string,
    private readonly budget: Budget,
    private readonly comments: Comment[],
    start: number,
    private readonly stop: number,
    line: number,
    private readonly depth: number,
  ) {
    this.pos = start;
    this.line = line;
  }

  run(): Token[] {
    for (;;) {
      this.budget.step();
      this.skipSpaceAndComments();
      if (this.pos >= this.stop) break;
      this.tokens.push(this.next());
    }
    this.tokens.push({ type: 'eof', value: '', line: this.line, start: this.pos, end: this.pos, nlBefore: true });
    return this.tokens;
  }

  private skipSpaceAndComments(): void {
    const s = this.src;
    while (this.pos < this.stop) {
      const c = s[this.pos]!;
      if (c === '\n') {
        this.line++;
        this.pos++;
        this.sawNewline = true;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\u00a0' || c === '\ufeff') {
        this.pos++;
      } else if (c === '\\' && s[this.pos + 1] === '\n') {
        // A line continuation.
        this.pos += 2;
        this.line++;
      } else if (c === '/' && s[this.pos + 1] === '/') {
        const end = s.indexOf('\n', this.pos);
        const stop = end < 0 || end > this.stop ? this.stop : end;
        this.comments.push({ text: s.slice(this.pos, stop), line: this.line, endLine: this.line, start: this.pos, end: stop });
        this.pos = stop;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0 || end + 2 > this.stop) throw new LexError('A /* comment is never closed.', this.line);
        const startLine = this.line;
        const text = s.slice(this.pos, end + 2);
        this.line += countNewlines(text);
        this.comments.push({ text, line: startLine, endLine: this.line, start: this.pos, end: end + 2 });
        this.pos = end + 2;
      } else if (c === '#' && s[this.pos + 1] === '!' && this.pos === 0) {
        const end = s.indexOf('\n');
        this.pos = end < 0 ? this.stop : end;
      } else {
        return;
      }
    }
  }

  private make(type: TokenType, value: string, start: number, line: number, extra: Partial<Token> = {}): Token {
    const nlBefore = this.sawNewline || this.tokens.length === 0;
    this.sawNewline = false;
    return { type, value, line, start, end: this.pos, nlBefore, ...extra };
  }

  private next(): Token {
    const s = this.src;
    const start = this.pos;
    const line = this.line;
    const c = s[start]!;

    if (c === '$' && s[start + 1] === '/') throw new LexError('Dollar-slashy strings ($/…/$) are not supported; use a "double-quoted" string.', line);
    if (isIdentStart(c)) {
      while (this.pos < this.stop && isIdentPart(s[this.pos]!)) this.pos++;
      return this.make('ident', s.slice(start, this.pos), start, line);
    }
    if (isDigit(c) || (c === '.' && isDigit(s[start + 1] ?? ''))) return this.number(start, line);
    if (c === "'" || c === '"') return this.string(start, line);
    if (c === '/' && this.regexAllowed()) return this.slashy(start, line);

    for (const p of PUNCTUATION_BY_FIRST.get(c) ?? []) {
      if (s.startsWith(p, start) && start + p.length <= this.stop) {
        this.pos += p.length;
        return this.make('punct', p, start, line);
      }
    }
    throw new LexError(`Unexpected character "${c}".`, line);
  }

  private regexAllowed(): boolean {
    const prev = this.tokens[this.tokens.length - 1];
    if (!prev) return true;
    if (prev.type === 'ident') return ['return', 'in', 'case', 'assert', 'throw'].includes(prev.value);
    if (prev.type === 'number' || prev.type === 'string' || prev.type === 'gstring' || prev.type === 'regex') return false;
    return !VALUE_ENDS.has(prev.value);
  }

  private number(start: number, line: number): Token {
    const s = this.src;
    if (s[start] === '0' && (s[start + 1] === 'x' || s[start + 1] === 'X')) {
      this.pos += 2;
      while (this.pos < this.stop && /[0-9a-fA-F_]/.test(s[this.pos]!)) this.pos++;
    } else {
      while (this.pos < this.stop && /[0-9_]/.test(s[this.pos]!)) this.pos++;
      // A fraction, but not a range (`1..3`) or a method call on the number (`1.toString()`).
      if (s[this.pos] === '.' && isDigit(s[this.pos + 1] ?? '')) {
        this.pos++;
        while (this.pos < this.stop && /[0-9_]/.test(s[this.pos]!)) this.pos++;
      }
      if ((s[this.pos] === 'e' || s[this.pos] === 'E') && /[0-9+-]/.test(s[this.pos + 1] ?? '')) {
        this.pos += 2;
        while (this.pos < this.stop && isDigit(s[this.pos]!)) this.pos++;
      }
    }
    const text = s.slice(start, this.pos).replace(/_/g, '');
    // Groovy's type suffixes (10L, 1.5G, 2d) mean nothing to JavaScript.
    if (this.pos < this.stop && /[lLgGiIdDfF]/.test(s[this.pos]!) && !isIdentPart(s[this.pos + 1] ?? ' ')) this.pos++;
    if (this.pos < this.stop && isIdentStart(s[this.pos]!)) throw new LexError(`"${s.slice(start, this.pos + 1)}" is not a number.`, line);
    return this.make('number', text, start, line);
  }

  private string(start: number, line: number): Token {
    const s = this.src;
    const quote = s[start]!;
    const triple = s.startsWith(quote.repeat(3), start);
    const close = triple ? quote.repeat(3) : quote;
    const interpolating = quote === '"';
    this.pos += close.length;
    const parts: GStringPart[] = [];
    let text = '';
    for (;;) {
      this.budget.step();
      if (this.pos >= this.stop) throw new LexError('A string is never closed.', line);
      if (s.startsWith(close, this.pos)) {
        this.pos += close.length;
        break;
      }
      const c = s[this.pos]!;
      if (c === '\n') {
        if (!triple) throw new LexError('A string is not closed on its line (use """…""" for text over several lines).', line);
        this.line++;
        text += c;
        this.pos++;
      } else if (c === '\\') {
        text += this.escape(line);
      } else if (interpolating && c === '$' && s[this.pos + 1] === '{') {
        if (text) parts.push({ text });
        text = '';
        parts.push(this.embedded(line));
      } else if (interpolating && c === '$' && isIdentStart(s[this.pos + 1] ?? '')) {
        if (text) parts.push({ text });
        text = '';
        parts.push(this.dottedName());
      } else {
        text += c;
        this.pos++;
      }
    }
    if (text || parts.length === 0) parts.push({ text });
    const plain = parts.every((p) => 'text' in p);
    if (plain) return this.make('string', parts.map((p) => ('text' in p ? p.text : '')).join(''), start, line);
    return this.make('gstring', '', start, line, { parts });
  }

  private escape(line: number): string {
    const s = this.src;
    const c = s[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case '0':
        return '\0';
      case 'u': {
        const hex = s.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new LexError('A \\u escape needs four hex digits.', line);
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case '\n':
        this.line++;
        return '';
      case undefined:
        throw new LexError('A string is never closed.', line);
      default:
        return c;
    }
  }

  /** `${ … }` inside a GString: lexed up to its matching brace. */
  private embedded(line: number): GStringPart {
    if (this.depth >= MAX_GSTRING_DEPTH) throw new LexError('Strings are nested too deeply.', line);
    const s = this.src;
    const open = this.pos + 2;
    let depth = 1;
    let i = open;
    let quote: string | null = null;
    for (; i < this.stop; i++) {
      this.budget.step();
      const c = s[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (depth !== 0) throw new LexError('A ${…} in a string is never closed.', line);
    const inner = new Lexer(s, this.budget, [], open, i, this.line, this.depth + 1).run();
    this.line += countNewlines(s.slice(this.pos, i));
    this.pos = i + 1;
    return { tokens: inner, start: open, end: i };
  }

  /** `$name` or `$name.path.to.it` inside a GString. */
  private dottedName(): GStringPart {
    const s = this.src;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      while (i < this.stop && isIdentPart(s[i]!)) i++;
      if (s[i] === '.' && isIdentStart(s[i + 1] ?? '')) i++;
      else break;
    }
    const inner = new Lexer(s, this.budget, [], start, i, this.line, this.depth + 1).run();
    this.pos = i;
    return { tokens: inner, start, end: i };
  }

  private slashy(start: number, line: number): Token {
    const s = this.src;
    let i = start + 1;
    let pattern = '';
    for (;;) {
      this.budget.step();
      if (i >= this.stop || s[i] === '\n') throw new LexError('A /regex/ is never closed on its line.', line);
      const c = s[i]!;
      if (c === '\\' && s[i + 1] === '/') {
        pattern += '\\/';
        i += 2;
        continue;
      }
      if (c === '/') break;
      pattern += c;
      i++;
    }
    if (pattern.includes('${')) throw new LexError('A ${…} inside a /regex/ is not supported; build the pattern as a string.', line);
    this.pos = i + 1;
    return this.make('regex', pattern, start, line);
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentStart = (c: string) => {
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36 || (code >= 0xc0 && code !== 0xfeff && code <= 0xffff);
};
const isIdentPart = (c: string) => isIdentStart(c) || isDigit(c);
