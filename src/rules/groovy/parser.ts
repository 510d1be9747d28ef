// A recursive-descent parser for the Groovy that Exalate's sync rules are
// written in. Hand-written because no Groovy parser for Node fits: the one
// tree-sitter grammar on npm (tree-sitter-groovy 0.1.2) fails on `?.`, `?:`
// and `customFields."Name"`, the core of these scripts; the better grammar
// ships only as C sources built by node-gyp at install; Groovy's own parser
// needs a JVM. See docs/architecture.md.
//
// The grammar read here (EBNF; `NL` is a line break, which ends a statement
// unless brackets are open or the line ends in an operator):
//
//   script      = { sep } { statement { sep } } EOF
//   sep         = ";" | NL
//   statement   = "import" ["static"] name { "." (name | "*") } ["as" name]
//               | "if" "(" expr ")" body [ "else" body ]
//               | "for" "(" ["def" | type] name ("in" | ":") expr ")" body
//               | "for" "(" [simple] ";" [expr] ";" [expr {"," expr}] ")" body
//               | "while" "(" expr ")" body
//               | "switch" "(" expr ")" "{" { ("case" expr | "default") ":" { statement } } "}"
//               | "try" block { "catch" "(" [type {"|" type}] name ")" block } [ "finally" block ]
//               | "return" [expr]  |  "break"  |  "continue"  |  "throw" expr
//               | ["def" | type] name "(" [param {"," param}] ")" block          (a method)
//               | block
//               | simple
//   simple      = ("def" | "final" | type) declarator {"," declarator}
//               | expr [ arg {"," arg} ]                                  (a command call: println "x")
//   declarator  = name ["=" expr]
//   type        = name {"." name} ["<" type {"," type} ">"] {"[" "]"}
//   body        = block | statement
//   block       = "{" { sep } { statement { sep } } "}"
//   expr        = ternary [ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "?=") expr ]
//   ternary     = or [ "?" expr ":" ternary | "?:" ternary ]
//   or          = and { "||" and }          and  = bitor { "&&" bitor }
//   bitor       = xor { "|" xor }            xor  = bitand { "^" bitand }
//   bitand      = equality { "&" equality }
//   equality    = relational { ("==" | "!=" | "<=>" | "=~" | "==~") relational }
//   relational  = shift { ("<" | "<=" | ">" | ">=" | "in" | "!in" | "instanceof") shift | "as" type }
//   shift       = additive { ("<<" | ">>" | ">>>" | ".." | "..<") additive }
//   additive    = multiplicative { ("+" | "-") multiplicative }
//   multiplicative = power { ("*" | "/" | "%") power }
//   power       = unary { "**" unary }
//   unary       = ("!" | "-" | "+" | "~" | "++" | "--") unary | postfix
//   postfix     = primary { ("." | "?." | "*.") (name | string) [call]
//                         | call | "[" expr {"," expr} "]" | "++" | "--" }
//   call        = "(" [arg {"," arg}] ")" [closure] | closure              (a closure on the same line)
//   arg         = name ":" expr | expr
//   primary     = number | string | gstring | regex | "true" | "false" | "null"
//               | name | "new" type "(" [arg {"," arg}] ")" | "(" expr ")"
//               | "[" ":" "]" | "[" [item {"," item} [","]] "]" | closure
//   item        = key ":" expr | expr               key = name | string | number | "(" expr ")"
//   closure     = "{" [ [param {"," param}] "->" ] { sep } { statement { sep } } "}"
//   param       = [type] name ["=" expr]
//
// A statement the parser cannot read becomes an `unparsed` node covering its
// lines (never dropped), and parsing goes on at the next line.
import type { Block, CatchClause, Declarator, Expr, ExprOf, GStringPiece, MapEntry, Place, Stmt, SwitchCase } from './ast';
import type { Budget } from './budget';
import type { Token } from './lexer';

/** Not an `Error`: a script with thousands of bad lines makes thousands of
 *  these, and capturing a stack trace for each would cost most of the time budget. */
export class ParseError {
  constructor(
    readonly message: string,
    readonly token: Token,
  ) {}
}

/** Nesting deeper than this is refused: it would only ever come from a pathological input. */
const MAX_DEPTH = 120;
/** Longest chain of operators or postfix steps in one expression. */
const MAX_CHAIN = 2_000;

const KEYWORDS = new Set([
  'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'default', 'try', 'catch', 'finally', 'return', 'break', 'continue', 'throw',
  'import', 'package', 'class', 'interface', 'enum', 'def', 'new', 'in', 'as', 'instanceof', 'true', 'false', 'null', 'assert',
]);
const MODIFIERS = new Set(['final', 'static', 'private', 'public', 'protected', 'synchronized', 'abstract', 'transient', 'volatile']);
const PRIMITIVES = new Set(['int', 'long', 'boolean', 'double', 'float', 'short', 'byte', 'char', 'void']);
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '?=', '**=']);
/** Operators that may begin a continuation line in Groovy 3. */
const LEADING_OK = new Set(['.', '?.', '*.', '?:', '?', ':', '&&', '||']);

type Level = { ops: Set<string>; next: number };
const LEVELS: Level[] = [
  { ops: new Set(['||']), next: 1 },
  { ops: new Set(['&&']), next: 2 },
  { ops: new Set(['|']), next: 3 },
  { ops: new Set(['^']), next: 4 },
  { ops: new Set(['&']), next: 5 },
  { ops: new Set(['==', '!=', '<=>', '=~', '==~']), next: 6 },
  { ops: new Set(['<', '<=', '>', '>=', 'in', 'instanceof']), next: 7 },
  { ops: new Set(['<<', '>>', '>>>', '..', '..<']), next: 8 },
  { ops: new Set(['+', '-']), next: 9 },
  { ops: new Set(['*', '/', '%']), next: 10 },
  { ops: new Set(['**']), next: 11 },
];

export function parse(tokens: Token[], budget: Budget): Stmt[] {
  const parser = new Parser(tokens, budget);
  return parser.script();
}

class Parser {
  private i = 0;
  private depth = 0;
  /** Whether line breaks end statements here: yes in blocks and closures, no inside () and []. */
  private readonly lineSensitive: boolean[] = [true];

  constructor(
    private readonly tokens: Token[],
    private readonly budget: Budget,
  ) {}

  // --- tokens ---------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private advance(): Token {
    this.budget.step();
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private is(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return (t.type === 'punct' || t.type === 'ident') && t.value === value;
  }

  private isPunct(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.value === value;
  }

  private expect(value: string, what = `"${value}"`): Token {
    if (!this.is(value)) throw this.error(`Expected ${what}`);
    return this.advance();
  }

  private error(message: string, token = this.peek()): ParseError {
    const found = token.type === 'eof' ? 'the end of the script' : `"${token.type === 'string' || token.type === 'gstring' ? 'a string' : token.value}"`;
    return new ParseError(`${message}, found ${found}.`, token);
  }

  /** A line break before `t` that ends the statement here. */
  private brokenBefore(t: Token = this.peek()): boolean {
    return t.nlBefore && this.lineSensitive[this.lineSensitive.length - 1]!;
  }

  private within<T>(sensitive: boolean, run: () => T): T {
    this.lineSensitive.push(sensitive);
    try {
      return run();
    } finally {
      this.lineSensitive.pop();
    }
  }

  private nested<T>(run: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      throw this.error('The script nests too deeply to translate');
    }
    try {
      return run();
    } finally {
      this.depth--;
    }
  }

  private place(from: Token): Place {
    const last = this.tokens[Math.max(0, this.i - 1)]!;
    return { line: from.line, start: from.start, end: Math.max(from.end, last.end) };
  }

  // --- statements -------------------------------------------------------------

  script(): Stmt[] {
    const body = this.statements(false);
    if (this.peek().type !== 'eof') throw this.error('Unexpected "}"');
    return body;
  }

  /** Statements up to `}` (in a block) or the end of the script; an unreadable statement becomes `unparsed`. */
  private statements(inBlock: boolean): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      this.budget.step();
      while (this.isPunct(';')) this.advance();
      const t = this.peek();
      if (t.type === 'eof') break;
      if (this.isPunct('}')) {
        if (inBlock) break;
        out.push(this.recover(t, new ParseError('This "}" closes nothing.', t)));
        continue;
      }
      const at = this.i;
      const depth = this.depth;
      const sensitivity = this.lineSensitive.length;
      try {
        const stmt = this.statement();
        this.endOfStatement();
        out.push(stmt);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.depth = depth;
        this.lineSensitive.length = sensitivity;
        this.i = at;
        out.push(this.recover(t, e));
      }
    }
    return out;
  }

  private endOfStatement(): void {
    const t = this.peek();
    if (t.type === 'eof' || this.isPunct(';') || this.isPunct('}') || t.nlBefore) return;
    throw this.error('Expected the end of the statement');
  }

  /** Skips what could not be read: to the next line break outside brackets, without eating a `}` that closes the enclosing block. */
  private recover(start: Token, error: ParseError): Stmt {
    let depth = 0;
    let first = true;
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') break;
      if (!first && depth <= 0 && t.nlBefore) break;
      if (t.type === 'punct') {
        if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
        else if (t.value === ')' || t.value === ']' || t.value === '}') {
          if (depth <= 0 && t.value === '}' && !first) break;
          depth--;
        }
      }
      this.advance();
      first = false;
    }
    const last = this.tokens[Math.max(0, this.i - 1)]!;
    return { k: 'unparsed', message: error.message, line: start.line, start: start.start, end: Math.max(start.end, last.end) };
  }

  private statement(): Stmt {
    return this.nested(() => this.statementInner());
  }

  private statementInner(): Stmt {
    const t = this.peek();
    if (t.type === 'punct' && t.value === '{') return this.block();
    if (t.type !== 'ident') return this.simple();
    switch (t.value) {
      case 'import':
      case 'package':
        return this.importStatement();
      case 'if':
        return this.ifStatement();
      case 'for':
        return this.forStatement();
      case 'while':
        return this.whileStatement();
      case 'switch':
        return this.switchStatement();
      case 'try':
        return this.tryStatement();
      case 'return': {
        this.advance();
        const next = this.peek();
        const bare = next.type === 'eof' || this.isPunct(';') || this.isPunct('}') || next.nlBefore;
        const arg = bare ? null : this.expression();
        return { k: 'return', arg, ...this.place(t) };
      }
      case 'break':
      case 'continue':
        this.advance();
        if (this.peek().type === 'ident' && !this.peek().nlBefore) throw this.error(`A labelled ${t.value} is not supported`);
        return { k: t.value, ...this.place(t) };
      case 'throw': {
        this.advance();
        return { k: 'throw', arg: this.expression(), ...this.place(t) };
      }
      case 'do':
        throw this.error('do … while loops are not supported');
      case 'class':
      case 'interface':
      case 'enum':
        throw this.error(`Declaring a ${t.value} is not supported in a rule`);
      case 'assert':
        throw this.error('assert is not supported');
      case 'else':
        throw this.error('This "else" follows no "if"');
      default:
        return this.simple();
    }
  }

  private importStatement(): Stmt {
    const t = this.advance();
    while (!this.peek().nlBefore && this.peek().type !== 'eof' && !this.isPunct(';')) this.advance();
    const place = this.place(t);
    return { k: 'import', text: '', ...place };
  }

  private block(): Block {
    const open = this.expect('{');
    return this.within(true, () => {
      const body = this.statements(true);
      const close = this.expect('}', 'a "}"');
      return { k: 'block', body, endLine: close.line, ...this.place(open) };
    });
  }

  private body(): Stmt {
    return this.isPunct('{') ? this.block() : this.statement();
  }

  private parenthesized(): Expr {
    this.expect('(');
    const expr = this.within(false, () => this.expression());
    this.expect(')', 'a ")"');
    return expr;
  }

  private ifStatement(): Stmt {
    const t = this.advance();
    const test = this.parenthesized();
    const then = this.body();
    // `else` may follow on the next line.
    let otherwise: Stmt | null = null;
    let elseLine: number | null = null;
    const save = this.i;
    while (this.isPunct(';') && !this.peek(1).nlBefore) this.advance();
    if (this.is('else')) {
      elseLine = this.advance().line;
      otherwise = this.body();
    } else {
      this.i = save;
    }
    return { k: 'if', test, then, otherwise, elseLine, ...this.place(t) };
  }

  private forStatement(): Stmt {
    const t = this.advance();
    this.expect('(');
    const header = this.within(false, () => {
      // for (x in list) / for (def x in list) / for (String x : list)
      let j = 0;
      while (this.peek(j).type === 'ident' && (this.peek(j).value === 'def' || this.peek(j).value === 'final' || MODIFIERS.has(this.peek(j).value))) j++;
      const typed = this.peek(j).type === 'ident' && this.peek(j + 1).type === 'ident' && (this.is('in', j + 2) || this.isPunct(':', j + 2));
      const plain = this.peek(j).type === 'ident' && (this.is('in', j + 1) || this.isPunct(':', j + 1));
      if (typed || plain) {
        this.i += j + (typed ? 1 : 0);
        const name = this.advance().value;
        this.advance();
        return { kind: 'in' as const, name, iterable: this.expression() };
      }
      const init = this.isPunct(';') ? null : this.simple();
      this.expect(';');
      const test = this.isPunct(';') ? null : this.expression();
      this.expect(';');
      const update: Expr[] = [];
      if (!this.isPunct(')')) {
        update.push(this.expression());
        while (this.isPunct(',')) {
          this.advance();
          update.push(this.expression());
        }
      }
      return { kind: 'classic' as const, init, test, update };
    });
    this.expect(')', 'a ")"');
    const body = this.body();
    if (header.kind === 'in') return { k: 'forIn', name: header.name, iterable: header.iterable, body, ...this.place(t) };
    return { k: 'for', init: header.init, test: header.test, update: header.update, body, ...this.place(t) };
  }

  private whileStatement(): Stmt {
    const t = this.advance();
    const test = this.parenthesized();
    return { k: 'while', test, body: this.body(), ...this.place(t) };
  }

  private switchStatement(): Stmt {
    const t = this.advance();
    const discriminant = this.parenthesized();
    this.expect('{');
    const cases: SwitchCase[] = [];
    const close = this.within(true, () => {
      for (;;) {
        this.budget.step();
        while (this.isPunct(';')) this.advance();
        if (this.isPunct('}')) return this.advance();
        const label = this.peek();
        const tests: Expr[] = [];
        if (this.is('default')) {
          this.advance();
        } else if (this.is('case')) {
          this.advance();
          tests.push(this.within(false, () => this.ternary()));
        } else {
          throw this.error('Expected "case" or "default"');
        }
        this.expect(':');
        const body: Stmt[] = [];
        for (;;) {
          this.budget.step();
          while (this.isPunct(';')) this.advance();
          if (this.is('case') || this.is('default') || this.isPunct('}') || this.peek().type === 'eof') break;
          body.push(this.statement());
          this.endOfStatement();
        }
        cases.push({ tests, body, line: label.line });
      }
    });
    return { k: 'switch', discriminant, cases, endLine: close.line, ...this.place(t) };
  }

  private tryStatement(): Stmt {
    const t = this.advance();
    const block = this.block();
    const catches: CatchClause[] = [];
    while (this.is('catch')) {
      const c = this.advance();
      this.expect('(');
      // catch (Exception e), catch (IOException | RuntimeException e), catch (e)
      while (this.peek().type === 'ident' && (this.isPunct('|', 1) || this.isPunct('.', 1) || this.peek(1).type === 'ident')) {
        this.advance();
        if (this.isPunct('|') || this.isPunct('.')) this.advance();
      }
      const param = this.advance();
      if (param.type !== 'ident') throw this.error('Expected the name of the caught exception', param);
      this.expect(')');
      catches.push({ param: param.value, body: this.block(), line: c.line });
    }
    let finalizer: Block | null = null;
    let finallyLine: number | null = null;
    if (this.is('finally')) {
      finallyLine = this.advance().line;
      finalizer = this.block();
    }
    if (!catches.length && !finalizer) throw this.error('A try needs a catch or a finally');
    return { k: 'try', block, catches, finalizer, finallyLine, ...this.place(t) };
  }

  /** A declaration, a method, or an expression (possibly a command call). */
  private simple(): Stmt {
    const t = this.peek();
    let j = 0;
    let sawDef = false;
    while (this.peek(j).type === 'ident' && (MODIFIERS.has(this.peek(j).value) || this.peek(j).value === 'def')) {
      if (this.peek(j).value === 'def') sawDef = true;
      j++;
    }
    const modifiers = j;
    // `def name`, `def Type name`, `Type name`, `Type<X> name`, `Type[] name`.
    let typeEnd = modifiers;
    const typeLength = this.typeLength(modifiers);
    const afterType = modifiers + typeLength;
    if (typeLength > 0 && this.peek(afterType).type === 'ident' && !KEYWORDS.has(this.peek(afterType).value) && !this.peek(afterType).nlBefore) {
      // `println x` is a command call, `String x` a declaration: Groovy tells
      // them apart by the grammar's context; here a type must look like one
      // (capitalized, primitive, generic or an array) unless `=` follows.
      const typeToken = this.peek(modifiers);
      const next = this.peek(afterType + 1);
      const typeLike =
        sawDef ||
        /^[A-Z]/.test(typeToken.value) ||
        PRIMITIVES.has(typeToken.value) ||
        this.tokens.slice(this.i + modifiers, this.i + afterType).some((x) => x.value === '<' || x.value === '[');
      const ends = next.type === 'eof' || next.nlBefore || (next.type === 'punct' && [',', ';', '(', '}'].includes(next.value));
      if ((next.type === 'punct' && next.value === '=') || (typeLike && ends)) typeEnd = afterType;
    }
    if (typeEnd === modifiers && (sawDef || modifiers > 0)) {
      // `def x = …` / `final x = …`: no type, the name follows the modifiers.
      if (this.isPunct('(', modifiers)) throw this.error('Multiple assignment (def (a, b) = …) is not supported', this.peek(modifiers));
      typeEnd = modifiers;
      if (this.peek(typeEnd).type !== 'ident') throw this.error('Expected a name', this.peek(typeEnd));
      return this.declaration(t, typeEnd);
    }
    if (typeEnd > modifiers) return this.declaration(t, typeEnd);
    return this.expressionStatement();
  }

  /** How many tokens a type name takes at `offset` (`String`, `java.util.List<String>`, `int[]`), 0 if none. */
  private typeLength(offset: number): number {
    let j = offset;
    if (this.peek(j).type !== 'ident' || KEYWORDS.has(this.peek(j).value)) return 0;
    j++;
    while (this.isPunct('.', j) && this.peek(j + 1).type === 'ident' && !this.peek(j).nlBefore) j += 2;
    if (this.isPunct('<', j) && !this.peek(j).nlBefore) {
      let depth = 0;
      for (; j < this.tokens.length - this.i; j++) {
        const p = this.peek(j);
        if (p.type === 'punct' && p.value === '<') depth++;
        else if (p.type === 'punct' && p.value === '>') depth--;
        else if (p.type === 'punct' && p.value === '>>') depth -= 2;
        else if (!(p.type === 'ident' || (p.type === 'punct' && [',', '.', '?', '[', ']'].includes(p.value)))) return 0;
        if (depth <= 0) {
          j++;
          break;
        }
      }
    }
    while (this.isPunct('[', j) && this.isPunct(']', j + 1)) j += 2;
    return j - offset;
  }

  private declaration(t: Token, nameAt: number): Stmt {
    this.i += nameAt;
    const name = this.advance();
    if (this.isPunct('(')) return this.method(t, name.value);
    const decls: Declarator[] = [{ name: name.value, init: this.initializer() }];
    while (this.isPunct(',')) {
      this.advance();
      const next = this.advance();
      if (next.type !== 'ident') throw this.error('Expected a name', next);
      decls.push({ name: next.value, init: this.initializer() });
    }
    return { k: 'decl', decls, ...this.place(t) };
  }

  private initializer(): Expr | null {
    if (!this.isPunct('=')) return null;
    this.advance();
    return this.expression();
  }

  private method(t: Token, name: string): Stmt {
    const params = this.parameters(')');
    if (!this.isPunct('{')) throw this.error('Expected the method\'s body');
    return { k: 'func', name, params, body: this.block(), ...this.place(t) };
  }

  /** `(a, String b, c = 1)` or, for closures, up to `->`. Defaults are not supported. */
  private parameters(close: ')' | '->'): string[] {
    if (close === ')') this.expect('(');
    const names: string[] = [];
    this.within(false, () => {
      while (!this.isPunct(close)) {
        const length = this.typeLength(0);
        if (length > 0 && this.peek(length).type === 'ident') this.i += length;
        const p = this.advance();
        if (p.type !== 'ident') throw this.error('Expected a parameter name', p);
        if (this.isPunct('=')) throw this.error('Default parameter values are not supported');
        names.push(p.value);
        if (this.isPunct(',')) this.advance();
        else if (!this.isPunct(close)) throw this.error(`Expected "," or "${close}"`);
      }
      this.advance();
    });
    return names;
  }

  private expressionStatement(): Stmt {
    const t = this.peek();
    const expr = this.expression();
    // A command call: `println "x"`, `debug.log "x", y`, `issue.setStatus "Done"`.
    if ((expr.k === 'ident' || expr.k === 'member') && this.startsCommandArgument()) {
      const args: Expr[] = [this.expression()];
      while (this.isPunct(',')) {
        this.advance();
        args.push(this.expression());
      }
      return { k: 'expr', expr: { k: 'call', callee: expr, args, named: [], ...this.place(t) }, ...this.place(t) };
    }
    return { k: 'expr', expr, ...this.place(t) };
  }

  private startsCommandArgument(): boolean {
    const n = this.peek();
    if (n.nlBefore || n.type === 'eof') return false;
    if (n.type === 'string' || n.type === 'gstring' || n.type === 'number' || n.type === 'regex') return true;
    if (n.type === 'ident') return !['in', 'as', 'instanceof'].includes(n.value);
    return n.type === 'punct' && n.value === '[';
  }

  // --- expressions ----------------------------------------------------------

  expression(): Expr {
    return this.nested(() => {
      const t = this.peek();
      const target = this.ternary();
      const op = this.peek();
      if (op.type === 'punct' && ASSIGN_OPS.has(op.value) && !this.brokenBefore(op)) {
        if (!['ident', 'member', 'index'].includes(target.k)) throw this.error('Only a name, a field or an entry can be assigned to', op);
        this.advance();
        const value = this.expression();
        return { k: 'assign', op: op.value, target, value, ...this.place(t) };
      }
      return target;
    });
  }

  private ternary(): Expr {
    const t = this.peek();
    const test = this.binary(0);
    const op = this.peek();
    if (op.type !== 'punct' || this.brokenBefore(op) && !LEADING_OK.has(op.value)) return test;
    if (op.value === '?:') {
      this.advance();
      return this.nested(() => ({ k: 'elvis', left: test, right: this.ternary(), ...this.place(t) }) as Expr);
    }
    if (op.value === '?') {
      this.advance();
      return this.nested(() => {
        const then = this.within(false, () => this.expression());
        this.expect(':', 'the ":" of a ? … : … expression');
        return { k: 'ternary', test, then, otherwise: this.ternary(), ...this.place(t) } as Expr;
      });
    }
    return test;
  }

  private binary(level: number): Expr {
    if (level >= LEVELS.length) return this.unary();
    const { ops, next } = LEVELS[level]!;
    const t = this.peek();
    let left = this.binary(next);
    for (let n = 0; ; n++) {
      const op = this.peek();
      let value = op.value;
      // `!in`: not a member of.
      const notIn = op.type === 'punct' && op.value === '!' && this.is('in', 1) && !this.peek(1).nlBefore;
      if (notIn) value = '!in';
      const isOp = (op.type === 'punct' || (op.type === 'ident' && (value === 'in' || value === 'instanceof'))) && (ops.has(value) || (notIn && ops.has('in')));
      if (!isOp || (this.brokenBefore(op) && !LEADING_OK.has(value))) {
        if (level === 6 && this.is('as') && !this.brokenBefore()) {
          this.advance();
          const typeAt = this.peek();
          const length = this.typeLength(0);
          if (!length) throw this.error('Expected a type after "as"');
          const type = this.tokens.slice(this.i, this.i + length).map((x) => x.value).join('');
          this.i += length;
          left = { k: 'cast', expr: left, type, ...this.place(typeAt), line: left.line, start: left.start };
          continue;
        }
        return left;
      }
      if (n > MAX_CHAIN) throw this.error('The expression is too long to translate');
      this.advance();
      if (notIn) this.advance();
      if (value === '..' || value === '..<') {
        const to = this.binary(next);
        left = { k: 'range', from: left, to, exclusive: value === '..<', ...this.place(t) };
        continue;
      }
      const right = this.binary(next);
      left = { k: 'binary', op: value, left, right, ...this.place(t) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.type === 'punct' && ['!', '-', '+', '~', '++', '--'].includes(t.value)) {
      this.advance();
      return this.nested(() => ({ k: 'unary', op: t.value, arg: this.unary(), postfix: false, ...this.place(t) }) as Expr);
    }
    return this.postfix();
  }

  private postfix(): Expr {
    const t = this.peek();
    let expr = this.primary();
    for (let n = 0; ; n++) {
      if (n > MAX_CHAIN) throw this.error('The expression is too long to translate');
      const op = this.peek();
      if (op.type !== 'punct') {
        // `{` handled below as punct; strings after a dot are handled in member().
        return expr;
      }
      const broken = this.brokenBefore(op);
      if ((op.value === '.' || op.value === '?.' || op.value === '*.') && (!broken || LEADING_OK.has(op.value))) {
        this.advance();
        expr = this.member(t, expr, op.value);
        continue;
      }
      if (op.value === '.&' || op.value === '::') throw this.error('Method references are not supported', op);
      if (broken) return expr;
      if (op.value === '(' && !op.nlBefore) {
        expr = this.call(t, expr);
        continue;
      }
      if (op.value === '{' && !op.nlBefore && (expr.k === 'ident' || expr.k === 'member' || expr.k === 'call')) {
        expr = this.trailingClosure(t, expr);
        continue;
      }
      if (op.value === '[' && !op.nlBefore) {
        this.advance();
        const index = this.within(false, () => this.expression());
        if (this.isPunct(',')) throw this.error('Indexing with several values (a[1, 2]) is not supported');
        this.expect(']', 'a "]"');
        expr = { k: 'index', object: expr, index, ...this.place(t) };
        continue;
      }
      if ((op.value === '++' || op.value === '--') && !op.nlBefore) {
        this.advance();
        expr = { k: 'unary', op: op.value, arg: expr, postfix: true, ...this.place(t) };
        continue;
      }
      return expr;
    }
  }

  private member(t: Token, object: Expr, op: string): Expr {
    const name = this.advance();
    let member: Expr;
    if (name.type === 'ident') {
      member = { k: 'member', object, name: name.value, op: op as '.', quoted: false, ...this.place(t) };
    } else if (name.type === 'string') {
      member = { k: 'member', object, name: name.value, op: op as '.', quoted: true, ...this.place(t) };
    } else if (name.type === 'gstring') {
      throw this.error('A field named by an interpolated string ("${…}") is not supported; use [expression]', name);
    } else {
      throw this.error('Expected a field or method name', name);
    }
    return member;
  }

  private call(t: Token, callee: Expr): Expr {
    this.advance();
    const args: Expr[] = [];
    const named: MapEntry[] = [];
    this.within(false, () => {
      while (!this.isPunct(')')) {
        this.budget.step();
        const key = this.peek();
        if ((key.type === 'ident' || key.type === 'string') && this.isPunct(':', 1)) {
          this.advance();
          this.advance();
          named.push({ key: { k: 'str', value: key.value, multiline: false, line: key.line, start: key.start, end: key.end }, computed: false, value: this.expression() });
        } else {
          args.push(this.expression());
        }
        if (this.isPunct(',')) this.advance();
        else if (!this.isPunct(')')) throw this.error('Expected "," or ")" in the arguments');
      }
    });
    this.advance();
    let call: Expr = { k: 'call', callee, args, named, ...this.place(t) };
    if (this.isPunct('{') && !this.peek().nlBefore) call = this.trailingClosure(t, call);
    return call;
  }

  /** `x.each { … }` and `foo(a) { … }`: the closure is the call's last argument. */
  private trailingClosure(t: Token, expr: Expr): Expr {
    const closure = this.closure();
    if (expr.k === 'call') return { ...expr, args: [...expr.args, closure], ...this.place(t) };
    return { k: 'call', callee: expr, args: [closure], named: [], ...this.place(t) };
  }

  private closure(): ExprOf<'closure'> {
    const open = this.expect('{');
    return this.nested(() =>
      this.within(true, () => {
        let params: string[] | null = null;
        if (this.hasArrow()) params = this.parameters('->');
        const body = this.statements(true);
        const close = this.expect('}', 'a "}" closing the closure');
        return { k: 'closure', params, body, endLine: close.line, ...this.place(open) };
      }),
    );
  }

  /** Whether the closure starting here declares parameters (`{ a, b -> …}`, `{ String s -> …}`, `{ -> …}`). */
  private hasArrow(): boolean {
    for (let j = 0; j < 64; j++) {
      const p = this.peek(j);
      if (p.type === 'punct' && p.value === '->') return true;
      if (p.type === 'ident') continue;
      if (p.type === 'punct' && [',', '<', '>', '.', '[', ']', '?'].includes(p.value)) continue;
      return false;
    }
    return false;
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.type) {
      case 'number':
        this.advance();
        return { k: 'num', text: t.value, ...this.place(t) };
      case 'string':
        this.advance();
        return { k: 'str', value: t.value, multiline: t.value.includes('\n'), ...this.place(t) };
      case 'gstring':
        this.advance();
        return { k: 'gstr', pieces: this.pieces(t), ...this.place(t) };
      case 'regex':
        this.advance();
        return { k: 'regex', pattern: t.value, ...this.place(t) };
      case 'eof':
        throw this.error('Expected an expression');
      case 'ident':
        return this.identifier(t);
      default:
        break;
    }
    if (t.value === '(') {
      this.advance();
      const inner = this.within(false, () => this.expression());
      this.expect(')', 'a ")"');
      // Keep the parentheses' place: `(a ?: b).c` must stay grouped.
      return inner;
    }
    if (t.value === '[') return this.listOrMap();
    if (t.value === '{') return this.closure();
    throw this.error('Expected an expression');
  }

  private identifier(t: Token): Expr {
    switch (t.value) {
      case 'true':
      case 'false':
        this.advance();
        return { k: 'bool', value: t.value === 'true', ...this.place(t) };
      case 'null':
        this.advance();
        return { k: 'null', ...this.place(t) };
      case 'new': {
        this.advance();
        const length = this.typeLength(0);
        if (!length) throw this.error('Expected a class name after "new"');
        const type = this.tokens.slice(this.i, this.i + length).map((x) => x.value).join('');
        this.i += length;
        if (!this.isPunct('(')) throw this.error(`Expected "(" after new ${type}`);
        const call = this.call(t, { k: 'ident', name: type, ...this.place(t) }) as ExprOf<'call'>;
        return { k: 'new', type, args: call.args, ...this.place(t) };
      }
      default:
        if (KEYWORDS.has(t.value) && !['def'].includes(t.value)) throw this.error(`"${t.value}" cannot be used here`);
        this.advance();
        return { k: 'ident', name: t.value, ...this.place(t) };
    }
  }

  private listOrMap(): Expr {
    const open = this.advance();
    return this.within(false, () => {
      if (this.isPunct(':') && this.isPunct(']', 1)) {
        this.advance();
        this.advance();
        return { k: 'map', entries: [], ...this.place(open) } as Expr;
      }
      const items: Expr[] = [];
      const entries: MapEntry[] = [];
      while (!this.isPunct(']')) {
        this.budget.step();
        const key = this.peek();
        const simpleKey = (key.type === 'ident' || key.type === 'string' || key.type === 'number') && this.isPunct(':', 1);
        if (simpleKey) {
          this.advance();
          this.advance();
          const keyExpr: Expr = key.type === 'number' ? { k: 'num', text: key.value, line: key.line, start: key.start, end: key.end } : { k: 'str', value: key.value, multiline: false, line: key.line, start: key.start, end: key.end };
          entries.push({ key: keyExpr, computed: false, value: this.expression() });
        } else {
          const value = this.expression();
          if (this.isPunct(':')) {
            // `[(expr): value]` or a GString key.
            this.advance();
            entries.push({ key: value, computed: true, value: this.expression() });
          } else {
            items.push(value);
          }
        }
        if (items.length && entries.length) throw this.error('A literal mixes list items and map entries');
        if (this.isPunct(',')) this.advance();
        else if (!this.isPunct(']')) throw this.error('Expected "," or "]"');
      }
      this.advance();
      if (entries.length) return { k: 'map', entries, ...this.place(open) } as Expr;
      return { k: 'list', items, ...this.place(open) } as Expr;
    });
  }

  private pieces(t: Token): GStringPiece[] {
    return (t.parts ?? []).map((part) => {
      if ('text' in part) return { text: part.text };
      const inner = new Parser(part.tokens, this.budget);
      inner.depth = this.depth;
      if (part.tokens.length <= 1) return { text: '' };
      const expr = inner.expression();
      if (inner.peek().type !== 'eof') throw inner.error('Expected the end of the ${…} expression');
      return { expr };
    });
  }
}
