// The syntax tree of the Groovy subset the parser reads. Every node knows
// where it came from (line and source offsets), so the translation can keep
// the original's lines and quote the original when it cannot translate.

export interface Place {
  line: number;
  start: number;
  end: number;
}

export type GStringPiece = { text: string } | { expr: Expr };

export interface MapEntry {
  /** A literal key (`[a: 1]`, `["a b": 1]`, `[1: x]`) or a computed one (`[(k): v]`). */
  key: Expr;
  computed: boolean;
  value: Expr;
}

export type Expr = Place &
  (
    | { k: 'num'; text: string }
    | { k: 'str'; value: string; multiline: boolean }
    | { k: 'gstr'; pieces: GStringPiece[] }
    | { k: 'regex'; pattern: string }
    | { k: 'bool'; value: boolean }
    | { k: 'null' }
    | { k: 'ident'; name: string }
    /** `a.b`, `a?.b`, `a*.b`; `quoted` for `a."b c"`. */
    | { k: 'member'; object: Expr; name: string; op: '.' | '?.' | '*.'; quoted: boolean }
    | { k: 'index'; object: Expr; index: Expr }
    | { k: 'call'; callee: Expr; args: Expr[]; named: MapEntry[] }
    /** `params` null: the implicit `it`. */
    | { k: 'closure'; params: string[] | null; body: Stmt[]; endLine: number }
    | { k: 'list'; items: Expr[] }
    | { k: 'map'; entries: MapEntry[] }
    | { k: 'unary'; op: string; arg: Expr; postfix: boolean }
    | { k: 'binary'; op: string; left: Expr; right: Expr }
    | { k: 'ternary'; test: Expr; then: Expr; otherwise: Expr }
    | { k: 'elvis'; left: Expr; right: Expr }
    | { k: 'assign'; op: string; target: Expr; value: Expr }
    | { k: 'new'; type: string; args: Expr[] }
    | { k: 'cast'; expr: Expr; type: string }
    | { k: 'range'; from: Expr; to: Expr; exclusive: boolean }
  );

export interface Declarator {
  name: string;
  init: Expr | null;
}

export interface SwitchCase {
  /** Empty for `default:`. */
  tests: Expr[];
  body: Stmt[];
  line: number;
}

export interface CatchClause {
  param: string;
  body: Block;
  line: number;
}

export type Block = Place & { k: 'block'; body: Stmt[]; endLine: number };

export type Stmt = Place &
  (
    | { k: 'expr'; expr: Expr }
    | { k: 'decl'; decls: Declarator[] }
    | { k: 'if'; test: Expr; then: Stmt; otherwise: Stmt | null; elseLine: number | null }
    | { k: 'forIn'; name: string; iterable: Expr; body: Stmt }
    | { k: 'for'; init: Stmt | null; test: Expr | null; update: Expr[]; body: Stmt }
    | { k: 'while'; test: Expr; body: Stmt }
    | { k: 'return'; arg: Expr | null }
    | { k: 'break' }
    | { k: 'continue' }
    | { k: 'throw'; arg: Expr }
    | { k: 'block'; body: Stmt[]; endLine: number }
    | { k: 'try'; block: Block; catches: CatchClause[]; finalizer: Block | null; finallyLine: number | null }
    | { k: 'switch'; discriminant: Expr; cases: SwitchCase[]; endLine: number }
    | { k: 'func'; name: string; params: string[]; body: Block }
    | { k: 'import'; text: string }
    /** What the parser could not read; the translation keeps its text as a comment. */
    | { k: 'unparsed'; message: string }
  );

export type ExprOf<K extends Expr['k']> = Extract<Expr, { k: K }>;
export type StmtOf<K extends Stmt['k']> = Extract<Stmt, { k: K }>;
