import type { Block, Expr, ExprOf, MapEntry, Place, Stmt, StmtOf } from './ast';
import type { Budget } from './budget';
import type { Comment } from './lexer';
import {
  ELEMENT_KINDS,
  EXCEPTIONS,
  FIELD_KINDS,
  INCOMING_ONLY_GLOBALS,
  KNOWN_FIELDS,
  MISSING_GLOBALS,
  NODE_HELPER,
  RENAMED_FIELDS,
  TEXT_METHODS,
  UNSYNCED_FIELDS,
  type Direction,
  type Kind,
} from './mappings';
import { Writer } from './writer';

// The Groovy syntax tree → a JavaScript rule script with the same meaning,
// written line for line. Where Groovy and JavaScript differ in meaning the
// translation says what Groovy meant: `?:` and truthiness of lists, `==`,
// `in`, `+` on lists, closures and their implicit `it`, GStrings, and string
// tests on rich-text bodies (which read the body's text through `plainText`).
// A statement that cannot be translated is kept as a comment and listed with
// its line and what to do instead; it is never dropped silently.

export interface Unsupported {
  line: number;
  construct: string;
  suggestion: string;
}

/** Not an `Error`, for the same reason as ParseError: no stack trace per untranslatable statement. */
class Untranslatable {
  constructor(
    readonly at: Place,
    readonly suggestion: string,
  ) {}
}

/** JavaScript reserved words a Groovy script may use as names, and our own helper names. */
const RENAMED_NAMES = new Set([
  'var', 'let', 'const', 'function', 'delete', 'typeof', 'void', 'yield', 'await', 'arguments', 'eval', 'with', 'export', 'extends',
  'super', 'implements', 'package', 'private', 'protected', 'public', 'static', 'interface', 'enum', 'debugger', 'plainText', 'customFieldHelper',
]);

const ROOTS = new Set(['issue', 'replica', 'previous']);
const LOG_METHODS = new Set(['log', 'info', 'warn', 'debug', 'trace', 'error']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** JavaScript precedence of what an expression is written as (higher binds tighter). */
const PREC: Record<string, number> = {
  '||': 4, '&&': 5, '|': 6, '^': 7, '&': 8, '==': 9, '!=': 9, '===': 9, '!==': 9,
  '<': 10, '<=': 10, '>': 10, '>=': 10, '<<': 11, '>>': 11, '>>>': 11, '+': 12, '-': 12, '*': 13, '/': 13, '%': 13, '**': 14,
};
const ATOM = 20;

export interface TranslateContext {
  source: string;
  comments: Comment[];
  direction: Direction;
  budget: Budget;
}

export function translateProgram(program: Stmt[], ctx: TranslateContext): { script: string; unsupported: Unsupported[] } {
  const t = new Translator(ctx);
  t.statements(program);
  return { script: t.finish(), unsupported: t.unsupported };
}

type CallArgs = { args: Expr[]; closure: ExprOf<'closure'> | null };

class Translator {
  readonly unsupported: Unsupported[] = [];
  private readonly w: Writer;
  private readonly scopes: Map<string, Kind>[] = [new Map()];
  private readonly sourceLines: string[];

  constructor(private readonly ctx: TranslateContext) {
    this.sourceLines = ctx.source.split('\n');
    this.w = new Writer(this.sourceLines, ctx.comments);
  }

  finish(): string {
    const text = this.w.finish();
    return text.endsWith('\n') ? text : `${text}\n`;
  }

  // --- statements -----------------------------------------------------------

  statements(list: readonly Stmt[], lastReturns = false): void {
    list.forEach((s, i) => this.guarded(s, lastReturns && i === list.length - 1));
  }

  /** One statement; if any part of it cannot be translated, the whole statement is kept as a comment and listed. */
  private guarded(s: Stmt, returnsValue = false): void {
    this.ctx.budget.step();
    const mark = this.w.mark();
    const listed = this.unsupported.length;
    const scope = new Map(this.scope());
    try {
      if (returnsValue && s.k === 'expr' && s.expr.k !== 'assign') {
        this.w.moveTo(s.line);
        this.w.write('return ');
        this.expr(s.expr);
        this.w.write(';');
      } else {
        this.statement(s);
      }
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
      this.w.reset(mark);
      this.unsupported.length = listed;
      this.scopes[this.scopes.length - 1] = scope;
      this.keepAsComment(s);
      this.unsupported.push({ line: e.at.line, construct: this.quote(e.at), suggestion: e.suggestion });
    }
  }

  private keepAsComment(s: Stmt): void {
    const lines = this.ctx.source.slice(s.start, s.end).split('\n');
    this.w.consumeComments(s.start, s.end);
    lines.forEach((text, i) => {
      this.w.moveTo(s.line + i);
      this.w.lineNote(i === 0 ? `not translated: ${text.trim()}` : text.trim());
    });
  }

  private quote(at: Place): string {
    const text = this.ctx.source.slice(at.start, at.end).split('\n')[0]!.trim();
    return text.length > 120 ? `${text.slice(0, 117)}…` : text;
  }

  private statement(s: Stmt): void {
    this.w.moveTo(s.line);
    switch (s.k) {
      case 'expr':
        this.expressionStatement(s.expr);
        return;
      case 'decl':
        this.declaration(s);
        this.w.write(';');
        return;
      case 'if':
        this.w.write('if (');
        this.condition(s.test);
        this.w.write(') ');
        this.body(s.then);
        if (s.otherwise) {
          if (s.elseLine) this.w.moveTo(s.elseLine);
          this.w.write(' else ');
          if (s.otherwise.k === 'if') this.statement(s.otherwise);
          else this.body(s.otherwise);
        }
        return;
      case 'forIn':
        this.forIn(s);
        return;
      case 'for':
        this.w.write('for (');
        if (s.init?.k === 'decl') this.declaration(s.init);
        else if (s.init?.k === 'expr') this.expr(s.init.expr);
        else if (s.init) throw new Untranslatable(s.init, 'Start a for loop with a declaration or an expression.');
        this.w.write('; ');
        if (s.test) this.condition(s.test);
        this.w.write('; ');
        s.update.forEach((u, i) => {
          if (i) this.w.write(', ');
          this.expr(u);
        });
        this.w.write(') ');
        this.body(s.body);
        return;
      case 'while':
        this.w.write('while (');
        this.condition(s.test);
        this.w.write(') ');
        this.body(s.body);
        return;
      case 'return':
        this.w.write(s.arg ? 'return ' : 'return');
        if (s.arg) this.expr(s.arg);
        this.w.write(';');
        return;
      case 'break':
      case 'continue':
        this.w.write(`${s.k};`);
        return;
      case 'throw':
        this.w.write('throw ');
        this.expr(s.arg);
        this.w.write(';');
        return;
      case 'block':
        this.block(s);
        return;
      case 'try':
        this.tryStatement(s);
        return;
      case 'switch':
        this.switchStatement(s);
        return;
      case 'func':
        this.w.write(`function ${this.name(s.name)}(${s.params.map((p) => this.name(p)).join(', ')}) `);
        this.scope().set(s.name, 'unknown');
        this.withScope(new Map(s.params.map((p) => [p, 'unknown' as Kind])), () => this.block(s.body, true));
        return;
      case 'import':
        throw new Untranslatable(s, 'Imports are not needed here: a rule sees replica, issue and the helpers without them.');
      case 'unparsed':
        throw new Untranslatable(s, `Could not read this as Groovy (${s.message}) Rewrite it in JavaScript.`);
    }
  }

  /** A body of if/for/while: always braced, so a body kept as a comment cannot capture the next statement. */
  private body(s: Stmt): void {
    if (s.k === 'block') {
      this.block(s);
      return;
    }
    this.w.write('{ ');
    this.withScope(new Map(), () => this.guarded(s));
    this.w.write(' }');
  }

  private block(b: Block | StmtOf<'block'>, lastReturns = false): void {
    this.w.write('{');
    if (b.body[0]?.line === b.line) this.w.write(' ');
    this.withScope(new Map(), () => this.statements(b.body, lastReturns));
    this.w.moveTo(b.endLine);
    this.w.write(b.endLine === b.line && b.body.length ? ' }' : '}');
  }

  private declaration(s: StmtOf<'decl'>): void {
    this.w.write('let ');
    s.decls.forEach((d, i) => {
      if (i) this.w.write(', ');
      this.w.write(this.name(d.name));
      if (d.init) {
        this.w.write(' = ');
        this.expr(d.init, 3);
      }
      this.scope().set(d.name, d.init ? this.kindOf(d.init) : 'unknown');
    });
  }

  private forIn(s: StmtOf<'forIn'>): void {
    const name = this.name(s.name);
    if (s.iterable.k === 'range') {
      const r = s.iterable;
      this.w.write(`for (let ${name} = `);
      this.expr(r.from, 3);
      this.w.write(`; ${name} ${r.exclusive ? '<' : '<='} `);
      this.expr(r.to, 11);
      this.w.write(`; ${name}++) `);
      this.withScope(new Map([[s.name, 'number' as Kind]]), () => this.body(s.body));
      return;
    }
    const kind = this.kindOf(s.iterable);
    this.w.write(`for (const ${name} of `);
    if (kind === 'map' || kind === 'fields') this.entries(s.iterable);
    else {
      this.w.write('(');
      this.expr(s.iterable, 4);
      this.w.write(' ?? [])');
    }
    this.w.write(') ');
    this.withScope(new Map([[s.name, this.elementKind(s.iterable)]]), () => this.body(s.body));
  }

  private tryStatement(s: StmtOf<'try'>): void {
    if (s.catches.length > 1) throw new Untranslatable({ line: s.catches[1]!.line, start: s.start, end: s.end }, 'JavaScript has one catch per try; catch once and test the error inside.');
    this.w.write('try ');
    this.block(s.block);
    const c = s.catches[0];
    if (c) {
      this.w.moveTo(c.line);
      this.w.write(` catch (${this.name(c.param)}) `);
      this.withScope(new Map([[c.param, 'unknown' as Kind]]), () => this.block(c.body));
    }
    if (s.finalizer) {
      if (s.finallyLine) this.w.moveTo(s.finallyLine);
      this.w.write(' finally ');
      this.block(s.finalizer);
    }
  }

  private switchStatement(s: StmtOf<'switch'>): void {
    this.w.write('switch (');
    this.expr(s.discriminant);
    this.w.write(') {');
    for (const c of s.cases) {
      this.w.moveTo(c.line);
      if (!c.tests.length) this.w.write(' default:');
      for (const test of c.tests) {
        const values = test.k === 'list' ? test.items : [test];
        for (const v of values) {
          if (!['str', 'num', 'bool', 'null', 'ident', 'member'].includes(v.k)) {
            throw new Untranslatable(v, 'Only values (strings, numbers, names) can be switch cases here; use if … else if … for patterns and ranges.');
          }
          this.w.write(' case ');
          this.expr(v);
          this.w.write(':');
        }
      }
      this.withScope(new Map(), () => this.statements(c.body));
    }
    this.w.moveTo(s.endLine);
    this.w.write('}');
  }

  private expressionStatement(e: Expr): void {
    // debug.error("…") stops the sync with that message, as in Exalate.
    if (e.k === 'call' && e.callee.k === 'member' && e.callee.name === 'error' && this.isGlobal(e.callee.object, 'debug')) {
      this.w.write('throw new Error(String(');
      this.args(e.args);
      this.w.write('));');
      return;
    }
    this.expr(e);
    this.w.write(';');
  }

  // --- expressions ------------------------------------------------------------

  /** Writes `e`, parenthesized if it binds looser than `min`. */
  expr(e: Expr, min = 0): void {
    this.ctx.budget.step();
    this.w.moveTo(e.line);
    const prec = this.precedence(e);
    const wrap = prec < min;
    if (wrap) this.w.write('(');
    this.exprInner(e);
    if (wrap) this.w.write(')');
  }

  /** How what `e` is written as binds, for parenthesizing. */
  private precedence(e: Expr): number {
    switch (e.k) {
      case 'assign':
        return e.op === '?=' ? 2 : 2;
      case 'ternary':
        return 3;
      case 'elvis':
        return this.isListLike(this.kindOf(e.left)) && this.isPath(e.left) ? 3 : 4;
      case 'closure':
        return 2;
      case 'binary': {
        if (['in', '!in', '=~', '==~', '<=>'].includes(e.op)) return e.op === '!in' ? 15 : ATOM;
        if (e.op === '+' && this.isListLike(this.kindOf(e.left))) return ATOM;
        if (e.op === '-' && this.isListLike(this.kindOf(e.left))) return ATOM;
        if (e.op === '<<' && this.kindOf(e.left) !== 'number') return ATOM;
        return PREC[e.op] ?? 10;
      }
      case 'unary':
        return e.postfix ? 16 : 15;
      case 'member':
        return this.customEntry(e) || e.op === '*.' ? ATOM : ATOM;
      default:
        return ATOM;
    }
  }

  private exprInner(e: Expr): void {
    switch (e.k) {
      case 'num':
        this.w.write(numberText(e.text));
        return;
      case 'str':
        this.w.write(e.multiline ? `\`${templateText(e.value)}\`` : JSON.stringify(e.value));
        return;
      case 'gstr':
        this.gstring(e);
        return;
      case 'regex':
        this.w.write(jsRegex(e.pattern, '', e));
        return;
      case 'bool':
        this.w.write(String(e.value));
        return;
      case 'null':
        this.w.write('null');
        return;
      case 'ident':
        this.identifier(e);
        return;
      case 'member':
        this.member(e);
        return;
      case 'index':
        this.index(e);
        return;
      case 'call':
        this.call(e);
        return;
      case 'closure':
        this.closure(e, []);
        return;
      case 'list':
        this.w.write('[');
        e.items.forEach((item, i) => {
          if (i) this.w.write(', ');
          this.expr(item, 3);
        });
        this.w.write(']');
        return;
      case 'map':
        this.mapLiteral(e.entries);
        return;
      case 'unary':
        this.unary(e);
        return;
      case 'binary':
        this.binary(e);
        return;
      case 'ternary':
        this.condition(e.test, 4);
        this.w.write(' ? ');
        this.expr(e.then, 3);
        this.w.write(' : ');
        this.expr(e.otherwise, 3);
        return;
      case 'elvis':
        this.elvis(e);
        return;
      case 'assign':
        this.assign(e);
        return;
      case 'new':
        this.newExpression(e);
        return;
      case 'cast':
        this.cast(e);
        return;
      case 'range':
        throw new Untranslatable(e, 'Ranges are supported in for (i in a..b) loops only; build the list with a loop elsewhere.');
    }
  }

  private identifier(e: ExprOf<'ident'>): void {
    const name = e.name;
    if (this.declared(name)) {
      this.w.write(this.name(name));
      return;
    }
    if (name === 'this' || name === 'super') throw new Untranslatable(e, `"${name}" means nothing in a rule script.`);
    if (Object.hasOwn(MISSING_GLOBALS, name)) throw new Untranslatable(e, MISSING_GLOBALS[name]!);
    if (this.ctx.direction === 'outgoing' && Object.hasOwn(INCOMING_ONLY_GLOBALS, name)) throw new Untranslatable(e, INCOMING_ONLY_GLOBALS[name]!);
    if (name === 'log') {
      this.w.write('debug');
      return;
    }
    this.w.write(this.name(name));
  }

  private member(e: ExprOf<'member'>): void {
    const entry = this.customEntry(e);
    if (entry) {
      this.customEntryRead(entry);
      return;
    }
    const name = this.fieldName(e);
    if (name === null) {
      // A label's `.label`: labels are plain strings here.
      this.expr(e.object, ATOM);
      return;
    }
    if (e.op === '*.') {
      this.w.write('(');
      this.expr(e.object, 4);
      this.w.write(` ?? []).map((_) => _?.${name})`);
      return;
    }
    const objectKind = this.kindOf(e.object);
    // `replica.typeName` reads the type's name: the replica carries the type, not its name alone.
    if (this.isRoot(e.object, 'replica') || this.isRoot(e.object, 'previous')) {
      if (name === 'typeName' || name === 'projectKey') {
        this.expr(e.object, ATOM);
        this.w.write(name === 'typeName' ? `${e.op === '?.' ? '?.' : '.'}type?.name` : `${e.op === '?.' ? '?.' : '.'}project?.key`);
        return;
      }
    }
    this.expr(e.object, ATOM);
    const safe = e.op === '?.' || (objectKind === 'field' && name === 'value');
    this.w.write(propertyAccess(name, safe));
  }

  /** The field's name here, checking the ones Exalate has and this app does not; null to drop the access. */
  private fieldName(e: ExprOf<'member'>): string | null {
    const name = e.name;
    if (name === 'class') throw new Untranslatable(e, 'Classes are not visible to rules; test values with typeof or Array.isArray.');
    if (name === 'label' && this.kindOf(e.object) === 'label') return null;
    const onRoot = ROOTS.has(rootName(e.object) ?? '') && e.object.k === 'ident';
    if (['executor', 'restrictSecurity', 'roleLevel', 'groupLevel'].includes(name) || (onRoot && Object.hasOwn(UNSYNCED_FIELDS, name))) {
      throw new Untranslatable(e, UNSYNCED_FIELDS[name]!);
    }
    if (onRoot && Object.hasOwn(RENAMED_FIELDS, name)) return RENAMED_FIELDS[name]!;
    return name;
  }

  private index(e: ExprOf<'index'>): void {
    const entry = this.customEntry(e);
    if (entry) {
      this.customEntryRead(entry);
      return;
    }
    const i = e.index;
    if (i.k === 'unary' && i.op === '-' && i.arg.k === 'num') {
      // Groovy counts negative indexes from the end.
      this.expr(e.object, ATOM);
      this.w.write(`.at(-${numberText(i.arg.text)})`);
      return;
    }
    if (i.k === 'range') throw new Untranslatable(i, 'Slices by range are not supported; use .slice(from, to).');
    this.expr(e.object, ATOM);
    this.w.write('[');
    this.expr(i);
    this.w.write(']');
  }

  private gstring(e: ExprOf<'gstr'>): void {
    this.w.write('`');
    for (const piece of e.pieces) {
      if ('text' in piece) {
        this.w.write(templateText(piece.text));
        continue;
      }
      this.w.write('${');
      if (this.kindOf(piece.expr) === 'adf') {
        this.w.write('plainText(');
        this.expr(piece.expr, 3);
        this.w.write(')');
      } else {
        this.expr(piece.expr);
      }
      this.w.write('}');
    }
    this.w.write('`');
  }

  private unary(e: ExprOf<'unary'>): void {
    if (e.op === '!') {
      this.w.write('!');
      this.condition(e.arg, 15);
      return;
    }
    if (e.postfix) {
      this.expr(e.arg, 16);
      this.w.write(e.op);
      return;
    }
    this.w.write(e.op);
    this.expr(e.arg, 15);
  }

  private binary(e: ExprOf<'binary'>): void {
    const lk = this.kindOf(e.left);
    const rk = this.kindOf(e.right);
    switch (e.op) {
      case '&&':
      case '||':
        this.condition(e.left, PREC[e.op]!);
        this.w.write(` ${e.op} `);
        this.condition(e.right, PREC[e.op]! + 1);
        return;
      case '==':
      case '!=': {
        const loose = e.left.k === 'null' || e.right.k === 'null';
        const op = loose ? e.op : `${e.op}=`;
        this.textOperand(e.left, lk === 'adf' && rk !== 'adf', 10);
        this.w.write(` ${op} `);
        this.textOperand(e.right, rk === 'adf' && lk !== 'adf', 10);
        return;
      }
      case '=~':
      case '==~':
        this.regexTest(e.right, e.left, e.op === '==~');
        return;
      case 'in':
      case '!in':
        if (e.op === '!in') this.w.write('!');
        if (rk === 'map' || rk === 'fields') {
          this.w.write('Object.hasOwn(');
          this.expr(e.right, 4);
          this.w.write(' ?? {}, ');
          this.expr(e.left, 3);
          this.w.write(')');
        } else if (e.right.k === 'list') {
          this.expr(e.right, ATOM);
          this.w.write('.includes(');
          this.expr(e.left, 3);
          this.w.write(')');
        } else {
          this.w.write('(');
          this.expr(e.right, 4);
          this.w.write(' ?? []).includes(');
          this.expr(e.left, 3);
          this.w.write(')');
        }
        return;
      case 'instanceof':
        throw new Untranslatable(e, 'Types are not visible to rules; test values with typeof or Array.isArray.');
      case '<=>':
        this.w.write('((a, b) => (a < b ? -1 : a > b ? 1 : 0))(');
        this.expr(e.left, 3);
        this.w.write(', ');
        this.expr(e.right, 3);
        this.w.write(')');
        return;
      case '<<':
        if (lk === 'number') break;
        this.expr(e.left, ATOM);
        this.w.write('.push(');
        this.expr(e.right, 3);
        this.w.write(')');
        return;
      case '+':
        if (this.isListLike(lk)) {
          this.w.write('(');
          this.expr(e.left, 4);
          this.w.write(' ?? []).concat(');
          this.expr(e.right, 3);
          this.w.write(')');
          return;
        }
        if (lk === 'adf' || rk === 'adf') {
          this.textOperand(e.left, lk === 'adf', 12);
          this.w.write(' + ');
          this.textOperand(e.right, rk === 'adf', 13);
          return;
        }
        break;
      case '-':
        if (this.isListLike(lk)) {
          this.w.write('(');
          this.expr(e.left, 4);
          this.w.write(' ?? []).filter((_) => ![].concat(');
          this.expr(e.right, 3);
          this.w.write(').includes(_))');
          return;
        }
        break;
      default:
        break;
    }
    const prec = PREC[e.op] ?? 10;
    this.expr(e.left, prec);
    this.w.write(` ${e.op} `);
    this.expr(e.right, e.op === '**' ? prec : prec + 1);
  }

  /** `a ?: b`: Groovy's falsy includes empty lists and maps, which JavaScript's `||` keeps. */
  private elvis(e: ExprOf<'elvis'>): void {
    if (this.isListLike(this.kindOf(e.left)) && this.isPath(e.left)) {
      this.condition(e.left, 4);
      this.w.write(' ? ');
      this.expr(e.left, 3);
      this.w.write(' : ');
      this.expr(e.right, 3);
      return;
    }
    this.expr(e.left, 5);
    this.w.write(' || ');
    this.expr(e.right, 4);
  }

  /** A condition with Groovy's truth: empty lists and maps are false. */
  condition(e: Expr, min = 0): void {
    const kind = this.kindOf(e);
    if (this.isListLike(kind)) {
      const wrap = min > 10;
      if (wrap) this.w.write('(');
      this.expr(e, ATOM);
      this.w.write('?.length > 0');
      if (wrap) this.w.write(')');
      return;
    }
    if (kind === 'map' || kind === 'fields') {
      const wrap = min > 10;
      if (wrap) this.w.write('(');
      this.w.write('Object.keys(');
      this.expr(e, 4);
      this.w.write(' ?? {}).length > 0');
      if (wrap) this.w.write(')');
      return;
    }
    this.expr(e, min);
  }

  /** An operand read as text: a rich-text body becomes its plain text. */
  private textOperand(e: Expr, asText: boolean, min: number): void {
    if (!asText) {
      this.expr(e, min);
      return;
    }
    this.w.write('plainText(');
    this.expr(e, 3);
    this.w.write(')');
  }

  /** `text =~ pattern` (found anywhere) and `text ==~ pattern` (the whole text). */
  private regexTest(pattern: Expr, text: Expr, whole: boolean): void {
    if (pattern.k === 'regex' || pattern.k === 'str') {
      const source = pattern.k === 'regex' ? pattern.pattern : pattern.value;
      this.w.write(jsRegex(whole ? `^(?:${source})$` : source, '', pattern, pattern.k === 'str'));
    } else {
      this.w.write('new RegExp(');
      if (whole) this.w.write('"^(?:" + ');
      this.expr(pattern, whole ? 13 : 3);
      if (whole) this.w.write(' + ")$"');
      this.w.write(')');
    }
    this.w.write('.test(');
    this.textOf(text);
    this.w.write(')');
  }

  /** Any value as text, as Groovy's string operations see it. */
  private textOf(e: Expr): void {
    const kind = this.kindOf(e);
    if (kind === 'adf') {
      this.w.write('plainText(');
      this.expr(e, 3);
      this.w.write(')');
    } else if (kind === 'string') {
      this.expr(e, 3);
    } else {
      this.w.write('String(');
      this.expr(e, 4);
      this.w.write(' ?? "")');
    }
  }

  private mapLiteral(entries: MapEntry[]): void {
    this.w.write('{');
    entries.forEach((entry, i) => {
      this.w.write(i ? ', ' : ' ');
      this.w.moveTo(entry.key.line);
      if (entry.computed) {
        this.w.write('[');
        this.expr(entry.key, 3);
        this.w.write(']');
      } else {
        this.w.write(entry.key.k === 'str' ? JSON.stringify(entry.key.value) : entry.key.k === 'num' ? JSON.stringify(numberText(entry.key.text)) : '""');
      }
      this.w.write(': ');
      this.expr(entry.value, 3);
    });
    this.w.write(entries.length ? ' }' : '}');
  }

  private assign(e: ExprOf<'assign'>): void {
    const target = e.target;
    // The outgoing script reads the local issue; it cannot change it.
    if (this.ctx.direction === 'outgoing' && rootName(target) === 'issue' && !this.declared('issue') && target.k !== 'ident') {
      throw new Untranslatable(e, 'The local issue is read-only in an outgoing script; set the field on replica instead.');
    }
    // issue.customFields."Name".value = v: the field's type comes from what this side or the replica knows.
    if (target.k === 'member' && target.name === 'value') {
      const entry = this.customEntry(target.object);
      if (entry && entry.field === 'customFields') {
        if (e.op !== '=') throw new Untranslatable(e, 'Compute the new value first, then assign it with =.');
        this.w.write('customFieldHelper.setValue(');
        this.expr(entry.holder, 3);
        this.w.write(', ');
        this.entryName(entry);
        this.w.write(', ');
        this.expr(e.value, 3);
        this.w.write(')');
        return;
      }
    }
    const entry = this.customEntry(target);
    if (entry) {
      if (e.op !== '=') throw new Untranslatable(e, 'Compute the new value first, then assign it with =.');
      this.w.write('(');
      this.expr(entry.holder, ATOM);
      this.w.write(`.${entry.field} ??= {})[`);
      this.entryName(entry);
      this.w.write('] = ');
      this.expr(e.value, 3);
      return;
    }
    if (target.k === 'member' && ROOTS.has(rootName(target) ?? '') && target.object.k === 'ident') {
      if (target.name === 'project' && e.value.k === 'call' && e.value.callee.k === 'member' && e.value.callee.name === 'getProject' && this.isGlobal(e.value.callee.object, 'nodeHelper')) {
        this.expr(target.object, ATOM);
        this.w.write('.projectKey = ');
        this.expr(e.value.args[0] ?? e.value, 3);
        return;
      }
      if (target.object.name === 'replica' && (target.name === 'typeName' || target.name === 'projectKey')) {
        throw new Untranslatable(e, target.name === 'typeName' ? 'Share the type whole: replica.type = issue.type.' : 'Share the project whole: replica.project = issue.project.');
      }
    }
    const kind = this.kindOf(target);
    if ((e.op === '+=' || e.op === '-=') && this.isListLike(kind)) {
      this.expr(target, ATOM);
      this.w.write(' = (');
      this.expr(target, 4);
      this.w.write(e.op === '+=' ? ' ?? []).concat(' : ' ?? []).filter((_) => ![].concat(');
      this.expr(e.value, 3);
      this.w.write(e.op === '+=' ? ')' : ').includes(_))');
      return;
    }
    this.expr(target, ATOM);
    const op = e.op === '?=' ? '||=' : e.op;
    this.w.write(` ${op} `);
    this.expr(e.value, 2);
    if (target.k === 'ident' && this.declared(target.name)) this.setKind(target.name, this.kindOf(e.value));
  }

  private newExpression(e: ExprOf<'new'>): void {
    const type = e.type.replace(/<.*$/, '');
    const simple = type.split('.').pop()!;
    if (EXCEPTIONS.test(type)) {
      this.w.write('new Error(');
      if (e.args[0]) this.expr(e.args[0], 3);
      this.w.write(')');
      return;
    }
    switch (simple) {
      case 'ArrayList':
      case 'LinkedList':
      case 'HashSet':
      case 'LinkedHashSet':
      case 'TreeSet':
        if (e.args[0] && e.args[0].k !== 'num') {
          this.w.write(simple.endsWith('Set') ? '[...new Set(' : '[...(');
          this.expr(e.args[0], 3);
          this.w.write(simple.endsWith('Set') ? ')]' : ' ?? [])]');
        } else {
          this.w.write('[]');
        }
        return;
      case 'HashMap':
      case 'LinkedHashMap':
      case 'TreeMap':
        if (e.args[0]) {
          this.w.write('{ ...');
          this.expr(e.args[0], 3);
          this.w.write(' }');
        } else {
          this.w.write('{}');
        }
        return;
      case 'Date':
        if (e.args.length) throw new Untranslatable(e, 'Build dates from text: new Date("2025-01-31").');
        this.w.write('new Date()');
        return;
      case 'String':
        this.w.write('String(');
        if (e.args[0]) this.expr(e.args[0], 3);
        this.w.write(')');
        return;
      default:
        throw new Untranslatable(e, `${type} is a Java class, not available to rules; use JavaScript values (objects, arrays, strings).`);
    }
  }

  private cast(e: ExprOf<'cast'>): void {
    const type = e.type.replace(/<.*$/, '').split('.').pop()!;
    const wrap = (open: string, close: string) => {
      this.w.write(open);
      this.expr(e.expr, 3);
      this.w.write(close);
    };
    if (type === 'String') return this.kindOf(e.expr) === 'adf' ? wrap('plainText(', ')') : wrap('String(', ')');
    if (['Integer', 'int', 'Long', 'long', 'Double', 'double', 'Float', 'float', 'BigDecimal', 'BigInteger', 'Number', 'Short'].includes(type)) return wrap('Number(', ')');
    if (['Boolean', 'boolean'].includes(type)) return wrap('Boolean(', ')');
    if (['List', 'ArrayList', 'Collection', 'Object[]', 'String[]'].includes(type)) return wrap('Array.from(', ' ?? [])');
    if (['Set', 'HashSet'].includes(type)) return wrap('[...new Set(', ' ?? [])]');
    if (['Map', 'HashMap', 'LinkedHashMap', 'Object', 'def'].includes(type)) return this.expr(e.expr, ATOM);
    throw new Untranslatable(e, `"as ${e.type}" has no counterpart here; convert with String(…), Number(…) or Boolean(…).`);
  }

  // --- calls ------------------------------------------------------------------

  private call(e: ExprOf<'call'>): void {
    const callee = e.callee;
    const { args, closure } = splitClosure(e.args);
    const allArgs = e.named.length ? [...args, { k: 'map', entries: e.named, line: e.line, start: e.start, end: e.end } as Expr] : args;
    if (callee.k === 'ident') {
      if ((callee.name === 'println' || callee.name === 'print') && !this.declared(callee.name)) {
        this.w.write('debug.log(');
        this.args(allArgs);
        this.w.write(')');
        return;
      }
      this.identifier(callee);
      this.w.write('(');
      this.args(closure ? [...allArgs, closure] : allArgs);
      this.w.write(')');
      return;
    }
    if (callee.k !== 'member') {
      this.expr(callee, ATOM);
      this.w.write('(');
      this.args(closure ? [...allArgs, closure] : allArgs);
      this.w.write(')');
      return;
    }
    if (this.helperCall(e, callee, allArgs, closure)) return;
    this.methodCall(e, callee, { args: allArgs, closure });
  }

  private args(args: readonly Expr[], kinds: Kind[] = []): void {
    args.forEach((a, i) => {
      if (i) this.w.write(', ');
      if (a.k === 'closure') this.closure(a, kinds);
      else this.expr(a, 3);
    });
  }

  /** Calls on Exalate's helpers and globals. */
  private helperCall(e: ExprOf<'call'>, callee: ExprOf<'member'>, args: Expr[], closure: ExprOf<'closure'> | null): boolean {
    const object = callee.object;
    const name = callee.name;
    const all = closure ? [...args, closure] : args;
    const write = (text: string, list = all, kinds: Kind[] = []) => {
      this.w.write(`${text}(`);
      this.args(list, kinds);
      this.w.write(')');
    };
    if (this.isGlobal(object, 'nodeHelper')) {
      if (name === 'getLabel') {
        // Labels are plain strings here.
        if (args[0]) this.expr(args[0], ATOM);
        return true;
      }
      if (name === 'getProject') throw new Untranslatable(e, 'Set the project by its key: issue.projectKey = "KEY".');
      const mapped = NODE_HELPER[name];
      if (!mapped) throw new Untranslatable(e, `nodeHelper.${name} is not available here; nodeHelper has getIssueType, getDefaultIssueType, getPriority, getStatus, getResolution, getUserByEmail and getUserByAccountId.`);
      if ('missing' in mapped) throw new Untranslatable(e, mapped.missing);
      if (mapped.to.includes('.')) {
        if (this.ctx.direction === 'outgoing') throw new Untranslatable(e, 'Finding the local twin of a remote issue belongs to incoming scripts.');
        write(mapped.to);
        return true;
      }
      write(`nodeHelper.${mapped.to}`);
      return true;
    }
    for (const helper of ['commentHelper', 'attachmentHelper', 'syncHelper'] as const) {
      if (!this.isGlobal(object, helper)) continue;
      if (this.ctx.direction === 'outgoing') throw new Untranslatable(e, INCOMING_ONLY_GLOBALS[helper]!);
      const available: Record<string, string[]> = {
        commentHelper: ['mergeComments', 'addComment'],
        attachmentHelper: ['mergeAttachments'],
        syncHelper: ['unExalate', 'getLocalIssueKeyFromRemoteId'],
      };
      if (helper === 'syncHelper' && name === 'syncBackAfterProcessing') {
        throw new Untranslatable(e, 'Not needed here: a change the incoming script makes goes back to the other side whenever the outgoing script shares that field.');
      }
      if (!available[helper]!.includes(name)) throw new Untranslatable(e, `${helper}.${name} is not available here; ${helper} has ${available[helper]!.join(' and ')}.`);
      write(`${helper}.${name}`, all, name === 'mergeComments' ? ['comment'] : []);
      return true;
    }
    if ((this.isGlobal(object, 'debug') || this.isGlobal(object, 'log')) && LOG_METHODS.has(name)) {
      if (this.isGlobal(object, 'debug') && name === 'error') throw new Untranslatable(e, 'debug.error(…) stops the sync; write it as a statement of its own (it becomes throw new Error(…)).');
      write('debug.log');
      return true;
    }
    if (this.isGlobal(object, 'issue') && name === 'setStatus') {
      if (this.ctx.direction === 'outgoing') throw new Untranslatable(e, 'The local issue is read-only in an outgoing script; set its status in the incoming script.');
      write('issue.setStatus');
      return true;
    }
    // Java-style getters and setters on the issue and the replica: issue.getSummary(), replica.setLabels(x).
    if (ROOTS.has(rootName(object) ?? '') && object.k === 'ident' && !this.declared(object.name)) {
      const getter = /^get([A-Z]\w*)$/.exec(name);
      const field = getter ? getter[1]!.charAt(0).toLowerCase() + getter[1]!.slice(1) : null;
      if (field && args.length === 0 && !closure && (KNOWN_FIELDS.has(field) || Object.hasOwn(RENAMED_FIELDS, field))) {
        this.member({ k: 'member', object, name: field, op: callee.op === '*.' ? '.' : callee.op, quoted: false, line: e.line, start: e.start, end: e.end });
        return true;
      }
    }
    return false;
  }

  /** A method of a value: Groovy's string, list and map methods in their JavaScript form. */
  private methodCall(e: ExprOf<'call'>, callee: ExprOf<'member'>, { args, closure }: CallArgs): void {
    const name = callee.name;
    const object = callee.object;
    let kind = this.kindOf(object);
    const safe = callee.op === '?.';
    if (callee.op === '*.') throw new Untranslatable(e, 'Spread method calls (list*.method()) are not supported; use list.map((x) => x.method()).');
    const asText = kind === 'adf' && TEXT_METHODS.has(name);
    if (asText) kind = 'string';
    const isMap = kind === 'map' || kind === 'fields';
    const element = this.elementKind(object);
    const receiver = (min = ATOM) => {
      if (asText) {
        this.w.write('plainText(');
        this.expr(object, 3);
        this.w.write(')');
      } else {
        this.expr(object, min);
      }
    };
    const dot = safe && !asText ? '?.' : '.';
    const method = (js: string, list: readonly Expr[] = args, kinds: Kind[] = [element]) => {
      receiver();
      this.w.write(`${dot}${js}(`);
      this.args(closure ? [...list, closure] : list, kinds);
      this.w.write(')');
    };
    const wrapped = (open: string, close: string, min = 3) => {
      // Forms that do not start with the receiver lose `?.`; keep Groovy's null-safety explicitly.
      if (safe && !asText) {
        this.w.write('(');
        this.expr(object, 10);
        this.w.write(' == null ? null : ');
      }
      this.w.write(open);
      receiver(min);
      this.w.write(close);
      if (safe && !asText) this.w.write(')');
    };
    const fn = (c: ExprOf<'closure'>, kinds: Kind[] = [element]) => this.closure(c, kinds);
    const entriesOf = () => {
      this.w.write('Object.entries(');
      receiver(3);
      this.w.write(' ?? {}).map(([key, value]) => ({ key, value }))');
    };
    // Closures over a map: one parameter sees entries (with .key and .value), two see key and value.
    const overMap = isMap && closure !== null;
    const twoParams = closure?.params?.length === 2;

    switch (name) {
      case 'contains':
        if (isMap) return wrapped('Object.values(', ').includes(', 3), this.args(args), this.w.write(')');
        return method('includes');
      case 'startsWith':
      case 'endsWith':
      case 'toUpperCase':
      case 'toLowerCase':
      case 'trim':
      case 'substring':
      case 'indexOf':
      case 'lastIndexOf':
      case 'charAt':
        return method(name);
      case 'padLeft':
        return method('padStart');
      case 'padRight':
        return method('padEnd');
      case 'equals':
        receiver(10);
        this.w.write(' === ');
        this.args(args);
        return;
      case 'equalsIgnoreCase':
        wrapped('String(', ')', 3);
        this.w.write('.toLowerCase() === String(');
        this.args(args);
        this.w.write(').toLowerCase()');
        return;
      case 'matches':
        if (args[0]) return this.regexTestOn(args[0], receiver, true);
        break;
      case 'replace':
        return method('replaceAll');
      case 'replaceAll':
      case 'replaceFirst': {
        if (!args[0] || !args[1]) break;
        receiver();
        this.w.write(`${dot}replace(`);
        this.regexArg(args[0], name === 'replaceAll' ? 'g' : '');
        this.w.write(', ');
        this.expr(args[1], 3);
        this.w.write(')');
        return;
      }
      case 'split':
      case 'tokenize': {
        receiver();
        this.w.write(`${dot}split(`);
        if (!args[0]) this.w.write('/\\s+/');
        else if (name === 'tokenize') {
          this.w.write('new RegExp("[" + ');
          this.expr(args[0], 13);
          this.w.write('.replace(/[\\\\\\]^-]/g, "\\\\$&") + "]")');
        } else this.regexArg(args[0], '', true);
        this.w.write(name === 'tokenize' || !args[0] ? ').filter((_) => _ !== "")' : ')');
        return;
      }
      case 'size':
      case 'length':
        if (isMap) return wrapped('Object.keys(', ').length');
        receiver();
        this.w.write(`${dot}length`);
        return;
      case 'isEmpty':
        if (isMap) return wrapped('Object.keys(', ').length === 0');
        receiver();
        this.w.write(safe ? '?.length === 0' : '.length === 0');
        return;
      case 'isBlank':
        receiver();
        this.w.write(`${dot}trim() === ""`);
        return;
      case 'toInteger':
      case 'toLong':
      case 'toDouble':
      case 'toFloat':
      case 'toBigDecimal':
      case 'toBigInteger':
        return wrapped('Number(', ')');
      case 'toString':
        return asText ? receiver() : wrapped('String(', ')');
      case 'toBoolean':
        return wrapped('(String(', ').toLowerCase() === "true")');
      case 'isNumber':
      case 'isInteger':
      case 'isLong':
      case 'isDouble':
      case 'isBigDecimal':
        return wrapped('((s) => s.trim() !== "" && !Number.isNaN(Number(s)))(String(', '))');
      case 'capitalize':
        return wrapped('((s) => s.charAt(0).toUpperCase() + s.slice(1))(String(', '))');
      case 'first':
      case 'head':
        receiver();
        this.w.write(safe ? '?.[0]' : '[0]');
        return;
      case 'last':
        return method('at', [{ k: 'num', text: '-1', line: e.line, start: e.start, end: e.end }]);
      case 'tail':
        return method('slice', [{ k: 'num', text: '1', line: e.line, start: e.start, end: e.end }]);
      case 'take':
        receiver();
        this.w.write(`${dot}slice(0, `);
        this.args(args);
        this.w.write(')');
        return;
      case 'drop':
        return method('slice');
      case 'get':
      case 'getAt':
        if (args.length === 1 && !closure) {
          receiver();
          this.w.write(safe ? '?.[' : '[');
          this.args(args);
          this.w.write(']');
          return;
        }
        break;
      case 'put':
        if (args.length === 2) {
          receiver();
          this.w.write('[');
          this.expr(args[0]!, 3);
          this.w.write('] = ');
          this.expr(args[1]!, 3);
          return;
        }
        break;
      case 'containsKey':
        this.w.write('Object.hasOwn(');
        receiver(3);
        this.w.write(' ?? {}, ');
        this.args(args);
        this.w.write(')');
        return;
      case 'containsValue':
        return wrapped('Object.values(', ' ?? {}).includes(', 4), this.args(args), this.w.write(')');
      case 'keySet':
        return wrapped('Object.keys(', ')');
      case 'values':
        return isMap ? wrapped('Object.values(', ')') : method('values');
      case 'entrySet':
        return entriesOf();
      case 'add':
        if (args.length === 1) return method('push');
        break;
      case 'addAll':
        receiver();
        this.w.write(`${dot}push(...`);
        this.args(args);
        this.w.write(')');
        return;
      case 'remove':
        if (isMap && args.length === 1) {
          this.w.write('delete ');
          receiver();
          this.w.write('[');
          this.args(args);
          this.w.write(']');
          return;
        }
        throw new Untranslatable(e, 'Removing from a list in place is not supported; build a new list with .filter(…).');
      case 'plus':
        this.w.write('(');
        receiver(4);
        this.w.write(' ?? []).concat(');
        this.args(args);
        this.w.write(')');
        return;
      case 'minus':
        this.w.write('(');
        receiver(4);
        this.w.write(' ?? []).filter((_) => ![].concat(');
        this.args(args);
        this.w.write(').includes(_))');
        return;
      case 'unique':
      case 'toSet':
        if (closure) break;
        return wrapped('[...new Set(', ')]');
      case 'toList':
      case 'asList':
        return wrapped('Array.from(', ')');
      case 'reverse':
        return wrapped('[...', '].reverse()');
      case 'flatten':
        receiver();
        this.w.write(`${dot}flat(Infinity)`);
        return;
      case 'sum':
        receiver();
        this.w.write(`${dot}reduce((a, b) => a + b, 0)`);
        return;
      case 'max':
      case 'min':
        if (closure) break;
        return wrapped(`Math.${name}(...`, ')');
      case 'join':
        receiver();
        this.w.write(`${dot}join(`);
        if (args[0]) this.args(args);
        else this.w.write('""');
        this.w.write(')');
        return;
      case 'sort':
        if (!closure) return wrapped('[...', '].sort()');
        if (twoParams) {
          wrapped('[...', '].sort(');
          fn(closure, [element, element]);
          this.w.write(')');
          return;
        }
        this.w.write('((key) => ');
        wrapped('[...', '].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)))(');
        fn(closure);
        this.w.write(')');
        return;
      case 'count':
        if (closure) {
          receiver();
          this.w.write(`${dot}filter(`);
          fn(closure);
          this.w.write(').length');
          return;
        }
        receiver();
        this.w.write(`${dot}filter((_) => _ === `);
        this.args(args);
        this.w.write(').length');
        return;
      case 'each':
      case 'eachWithIndex':
      case 'collect':
      case 'findAll':
      case 'find':
      case 'any':
      case 'every':
      case 'inject':
      case 'collectEntries':
      case 'findIndexOf': {
        if (name === 'inject' && closure && args.length <= 1) {
          receiver();
          this.w.write(`${dot}reduce(`);
          fn(closure, ['unknown', element]);
          if (args[0]) {
            this.w.write(', ');
            this.args(args);
          }
          this.w.write(')');
          return;
        }
        if (!closure) {
          if (name === 'findAll') return method('filter', [], []), undefined;
          if (name === 'any') return (receiver(), this.w.write(`${dot}some(Boolean)`));
          if (name === 'collect') return wrapped('[...', ']');
          if (name === 'every') return (receiver(), this.w.write(`${dot}every(Boolean)`));
          break;
        }
        const js: Record<string, string> = {
          each: 'forEach', eachWithIndex: 'forEach', collect: 'map', findAll: 'filter', find: 'find', any: 'some', every: 'every',
          collectEntries: 'map', findIndexOf: 'findIndex',
        };
        const open = name === 'find' ? '(' : name === 'collectEntries' ? 'Object.assign({}, ...' : '';
        this.w.write(open);
        if (overMap) {
          entriesOf();
        } else if (name === 'each' || name === 'eachWithIndex' || safe) {
          receiver();
        } else {
          this.w.write('(');
          receiver(4);
          this.w.write(' ?? [])');
        }
        this.w.write(`${safe && !overMap && !(name === 'each' || name === 'eachWithIndex') ? '' : ''}${safe && (name === 'each' || name === 'eachWithIndex') ? '?.' : '.'}${js[name]}(`);
        // Over a map, two parameters take each entry's key and value; one parameter gets the entry (.key, .value), as in Groovy.
        if (overMap && twoParams && name !== 'eachWithIndex') this.closure(closure, ['string', 'unknown'], true);
        else this.closure(closure, name === 'eachWithIndex' ? [element, 'number'] : [element], false, name === 'each' || name === 'eachWithIndex');
        this.w.write(')');
        if (name === 'find') this.w.write(' ?? null)');
        if (name === 'collectEntries') this.w.write('.map((e) => (Array.isArray(e) ? { [e[0]]: e[1] } : e)))');
        return;
      }
      default:
        break;
    }
    if (/^(groupBy|findResult|findResults|withDefault|with|collectMany|combinations|permutations|eachLine|format|asType|getClass|metaClass|invokeMethod)$/.test(name)) {
      throw new Untranslatable(e, `.${name}(…) has no counterpart here; write it with JavaScript's array and string methods.`);
    }
    // Anything else is called as it is: JavaScript strings and arrays share many names with Groovy's.
    method(name, args, [element]);
  }

  /** `text.matches(pattern)` on a receiver already chosen. */
  private regexTestOn(pattern: Expr, receiver: () => void, whole: boolean): void {
    if (pattern.k === 'regex' || pattern.k === 'str') {
      const source = pattern.k === 'regex' ? pattern.pattern : pattern.value;
      this.w.write(jsRegex(whole ? `^(?:${source})$` : source, '', pattern, pattern.k === 'str'));
    } else {
      this.w.write('new RegExp("^(?:" + ');
      this.expr(pattern, 13);
      this.w.write(' + ")$")');
    }
    this.w.write('.test(');
    receiver();
    this.w.write(')');
  }

  /** A Java regex given as a string or a /slashy/ literal, as a JavaScript RegExp. */
  private regexArg(pattern: Expr, flags: string, literalStringAsText = false): void {
    if (pattern.k === 'regex') {
      this.w.write(jsRegex(pattern.pattern, flags, pattern));
      return;
    }
    if (pattern.k === 'str') {
      if (literalStringAsText && !/[\\^$.|?*+()[\]{}]/.test(pattern.value)) this.w.write(JSON.stringify(pattern.value));
      else this.w.write(jsRegex(pattern.value, flags, pattern, true));
      return;
    }
    this.w.write('new RegExp(');
    this.expr(pattern, 3);
    this.w.write(flags ? `, "${flags}")` : ')');
  }

  /** A closure as an arrow function. `kinds` are what its parameters hold (e.g. a list's elements). */
  private closure(c: ExprOf<'closure'>, kinds: Kind[], destructure = false, noValue = false): void {
    const params = c.params ?? ['it'];
    const names = params.map((p) => this.name(p));
    const head = destructure ? `({ key: ${names[0]}, value: ${names[1]} })` : `(${names.join(', ')})`;
    const scope = new Map<string, Kind>(params.map((p, i) => [p, kinds[i] ?? 'unknown']));
    this.withScope(scope, () => {
      const only = c.body.length === 1 ? c.body[0]! : null;
      if (only && only.k === 'expr' && !noValue && only.expr.k !== 'assign' && only.line === c.line && c.endLine === c.line) {
        this.w.write(`${head} => `);
        if (only.expr.k === 'map') {
          this.w.write('(');
          this.expr(only.expr, 3);
          this.w.write(')');
        } else {
          this.expr(only.expr, 3);
        }
        return;
      }
      this.w.write(`${head} => {`);
      if (c.body[0]?.line === c.line) this.w.write(' ');
      this.statements(c.body, !noValue);
      this.w.moveTo(c.endLine);
      this.w.write(c.endLine === c.line ? ' }' : '}');
    });
  }

  // --- custom fields ----------------------------------------------------------

  /** `x.customFields."Name"`, `x.customFields["Name"]`, `x.customFields.Name`, `x.customFields.get("Name")`, and the same for customKeys. */
  private customEntry(e: Expr): { holder: Expr; field: 'customFields' | 'customKeys'; name: Expr | string; at: Place } | null {
    let container: Expr | null = null;
    let name: Expr | string | null = null;
    if (e.k === 'member' && e.op !== '*.') {
      container = e.object;
      name = e.name;
    } else if (e.k === 'index') {
      container = e.object;
      name = e.index;
    } else if (e.k === 'call' && e.callee.k === 'member' && e.callee.name === 'get' && e.args.length === 1) {
      container = e.callee.object;
      name = e.args[0]!;
    }
    if (!container || container.k !== 'member' || (container.name !== 'customFields' && container.name !== 'customKeys') || name === null) return null;
    if (typeof name === 'string' && /^\d+$/.test(name) && container.name === 'customFields') {
      throw new Untranslatable(e, 'Custom fields are named here, not numbered: use the field\'s name, e.g. issue.customFields."Story Points".');
    }
    return { holder: container.object, field: container.name, name, at: e };
  }

  private entryName(entry: { name: Expr | string }): void {
    if (typeof entry.name === 'string') this.w.write(JSON.stringify(entry.name));
    else this.expr(entry.name, 3);
  }

  private customEntryRead(entry: { holder: Expr; field: string; name: Expr | string }): void {
    this.expr(entry.holder, ATOM);
    this.w.write(`.${entry.field}?.[`);
    this.entryName(entry);
    this.w.write(']');
  }

  private entries(e: Expr): void {
    this.w.write('Object.entries(');
    this.expr(e, 4);
    this.w.write(' ?? {}).map(([key, value]) => ({ key, value }))');
  }

  // --- kinds and names --------------------------------------------------------

  kindOf(e: Expr): Kind {
    switch (e.k) {
      case 'str':
      case 'gstr':
      case 'regex':
        return 'string';
      case 'num':
        return 'number';
      case 'bool':
        return 'boolean';
      case 'list':
        return 'list';
      case 'map':
        return 'map';
      case 'ident':
        if (this.declared(e.name)) return this.lookup(e.name);
        return e.name === 'firstSync' ? 'boolean' : 'unknown';
      case 'member': {
        if (e.op === '*.') return 'list';
        if (this.customEntry(e)) return 'field';
        if (e.name === 'label' && this.kindOf(e.object) === 'label') return 'string';
        if (e.name === 'value' && this.kindOf(e.object) === 'field') return 'unknown';
        const renamed = ROOTS.has(rootName(e.object) ?? '') && e.object.k === 'ident' ? (RENAMED_FIELDS[e.name] ?? e.name) : e.name;
        return FIELD_KINDS[renamed] ?? 'unknown';
      }
      case 'index': {
        const container = this.kindOf(e.object);
        if (container === 'fields') return 'field';
        return container === 'list' ? this.elementKind(e.object) : 'unknown';
      }
      case 'call': {
        const name = e.callee.k === 'member' ? e.callee.name : e.callee.k === 'ident' ? e.callee.name : '';
        if (e.callee.k === 'member' && this.customEntry(e)) return 'field';
        if (e.callee.k === 'member' && e.callee.name === 'getLabel' && this.isGlobal(e.callee.object, 'nodeHelper')) return 'label';
        if (/^(collect|findAll|split|tokenize|sort|unique|keySet|values|minus|plus|reverse|flatten|take|drop|tail|toList|toSet|mergeComments|mergeAttachments|addComment|asList)$/.test(name)) return 'list';
        if (/^(toUpperCase|toLowerCase|trim|join|toString|substring|replace|replaceAll|replaceFirst|capitalize|padLeft|padRight)$/.test(name)) return 'string';
        if (/^(contains|startsWith|endsWith|any|every|isEmpty|equals|equalsIgnoreCase|matches|containsKey|containsValue|isNumber|toBoolean)$/.test(name)) return 'boolean';
        if (/^(size|length|count|toInteger|toLong|toDouble|toBigDecimal|indexOf|sum)$/.test(name)) return 'number';
        if (name === 'collectEntries') return 'map';
        if (/^getUser/.test(name)) return 'user';
        if ((name === 'find' || name === 'first' || name === 'last') && e.callee.k === 'member') return this.elementKind(e.callee.object);
        return 'unknown';
      }
      case 'binary':
        if (['==', '!=', '<', '<=', '>', '>=', '&&', '||', 'in', '!in', '=~', '==~', 'instanceof'].includes(e.op)) return 'boolean';
        if (e.op === '+' || e.op === '-') {
          const l = this.kindOf(e.left);
          if (this.isListLike(l)) return 'list';
          if (e.op === '+' && (l === 'string' || this.kindOf(e.right) === 'string')) return 'string';
          return l === 'number' ? 'number' : 'unknown';
        }
        return 'number';
      case 'unary':
        return e.op === '!' ? 'boolean' : 'number';
      case 'ternary': {
        const a = this.kindOf(e.then);
        return a === this.kindOf(e.otherwise) ? a : 'unknown';
      }
      case 'elvis':
        return this.kindOf(e.left);
      case 'assign':
        return this.kindOf(e.value);
      case 'cast': {
        const type = e.type.replace(/<.*$/, '');
        if (type === 'String') return 'string';
        if (/^(List|ArrayList|Set|HashSet|Collection)$/.test(type)) return 'list';
        if (/^(Map|HashMap|LinkedHashMap)$/.test(type)) return 'map';
        return /^(Integer|int|Long|long|Double|double|BigDecimal|Number)$/.test(type) ? 'number' : 'unknown';
      }
      case 'new':
        if (/(List|Set)$/.test(e.type.replace(/<.*$/, ''))) return 'list';
        if (/Map$/.test(e.type.replace(/<.*$/, ''))) return 'map';
        return 'unknown';
      default:
        return 'unknown';
    }
  }

  /** What a list's elements hold. */
  private elementKind(list: Expr): Kind {
    if (list.k === 'member') return ELEMENT_KINDS[list.name] ?? 'unknown';
    if (list.k === 'call' && list.callee.k === 'member' && /^(findAll|sort|unique|reverse|take|drop|tail|toList|asList|mergeComments)$/.test(list.callee.name)) {
      return list.callee.name === 'mergeComments' ? 'comment' : this.elementKind(list.callee.object);
    }
    if (list.k === 'ident' && this.declared(list.name)) return 'unknown';
    return 'unknown';
  }

  private isListLike(kind: Kind): boolean {
    return kind === 'list';
  }

  /** A plain path (`a.b.c`), safe to read twice. */
  private isPath(e: Expr): boolean {
    if (e.k === 'ident') return true;
    if (e.k === 'member') return this.isPath(e.object);
    return false;
  }

  private isRoot(e: Expr, name: string): boolean {
    return e.k === 'ident' && e.name === name && !this.declared(name);
  }

  private isGlobal(e: Expr, name: string): boolean {
    return e.k === 'ident' && e.name === name && !this.declared(name);
  }

  private scope(): Map<string, Kind> {
    return this.scopes[this.scopes.length - 1]!;
  }

  private withScope<T>(scope: Map<string, Kind>, run: () => T): T {
    this.scopes.push(scope);
    try {
      return run();
    } finally {
      this.scopes.pop();
    }
  }

  private declared(name: string): boolean {
    return this.scopes.some((s) => s.has(name));
  }

  private lookup(name: string): Kind {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const kind = this.scopes[i]!.get(name);
      if (kind !== undefined) return kind;
    }
    return 'unknown';
  }

  private setKind(name: string, kind: Kind): void {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i]!.has(name)) {
        this.scopes[i]!.set(name, this.scopes[i]!.get(name) === kind ? kind : 'unknown');
        return;
      }
    }
  }

  private name(name: string): string {
    return RENAMED_NAMES.has(name) ? `${name}_` : name;
  }
}

function splitClosure(args: Expr[]): { args: Expr[]; closure: ExprOf<'closure'> | null } {
  const last = args[args.length - 1];
  if (last?.k === 'closure') return { args: args.slice(0, -1), closure: last };
  return { args, closure: null };
}

function rootName(e: Expr): string | null {
  let cur: Expr = e;
  for (;;) {
    if (cur.k === 'ident') return cur.name;
    if (cur.k === 'member' || cur.k === 'index') cur = cur.object;
    else if (cur.k === 'call') cur = cur.callee;
    else return null;
  }
}

function propertyAccess(name: string, safe: boolean): string {
  if (IDENTIFIER.test(name)) return `${safe ? '?.' : '.'}${name}`;
  return `${safe ? '?.' : ''}[${JSON.stringify(name)}]`;
}

/** Groovy's number literal as JavaScript's: a leading 0 means octal in Groovy, which strict JavaScript refuses. */
function numberText(text: string): string {
  if (/^0[0-7]+$/.test(text)) return String(parseInt(text, 8));
  if (text.startsWith('.')) return `0${text}`;
  return text;
}

/** A Java regular expression as a JavaScript literal; inline flags at the start become JavaScript flags. */
function jsRegex(pattern: string, flags: string, at: Place, fromString = false): string {
  let source = pattern;
  let all = flags;
  const inline = /^\(\?([imsux]+)\)/.exec(source) ?? /^\^\(\?:\(\?([imsux]+)\)/.exec(source);
  if (inline) {
    if (inline[1]!.includes('x')) throw new Untranslatable(at, 'The (?x) comments flag has no JavaScript counterpart; remove the spaces and comments from the pattern.');
    all += inline[1]!.replace(/[ux]/g, '');
    source = source.replace(`(?${inline[1]})`, '');
  }
  if (/\(\?[<]?[=!]?>|\+\+|\*\+|\?\+|\\[AZzG]/.test(source.replace(/\(\?<[=!]/g, ''))) {
    throw new Untranslatable(at, 'This pattern uses Java-only regular expression features (possessive or atomic groups, \\A, \\Z); rewrite it for JavaScript.');
  }
  if (fromString) return `new RegExp(${JSON.stringify(source)}${all ? `, ${JSON.stringify([...new Set(all)].join(''))}` : ''})`;
  const escaped = source.replace(/(^|[^\\])\//g, '$1\\/');
  return `/${escaped}/${[...new Set(all)].join('')}`;
}

/** Escapes text for a template literal. */
function templateText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}
