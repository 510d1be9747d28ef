// Parses JQL with Atlassian's own grammar (`@atlaskit/jql-ast`) and turns the
// parser's first complaint into the sentence Jira Cloud answers with. The
// grammar is Jira's, but the ANTLR messages ("mismatched input … expecting …")
// are not, so the translation works from the offending token and the set of
// tokens the parser would have accepted there.
import { JastBuilder, type Clause, type Operand, type Query } from '@atlaskit/jql-ast';
import { JQLParser } from '@atlaskit/jql-parser';
import { SYNTAX_PREFIX, VALID_OPERATORS, jqlMessages } from './messages';

export type ParsedJql = { ok: true; query: Query } | { ok: false; message: string };

interface LexedToken {
  type: number;
  text?: string;
  line: number;
  charPositionInLine: number;
  tokenIndex: number;
  startIndex: number;
  channel: number;
}

interface TokenSet {
  contains(type: number): boolean;
}

interface ParserView {
  getExpectedTokens(): TokenSet;
  inputStream: { get(index: number): LexedToken };
}

interface FirstSyntaxError {
  token: LexedToken | undefined;
  expected: TokenSet | undefined;
  previous: LexedToken | undefined;
  line: number;
  column: number;
}

const EOF = -1;
const T = JQLParser;

export function parseJql(jql: string): ParsedJql {
  // Jira reports the first problem only; later ones are usually its echoes.
  const seen: { first?: FirstSyntaxError } = {};
  const listener = {
    syntaxError(
      recognizer: unknown,
      offendingSymbol: LexedToken | undefined,
      line: number,
      charPositionInLine: number,
      _msg: string,
      e: { expectedTokens?: TokenSet } | undefined,
    ): void {
      if (seen.first) return;
      const parser = recognizer as ParserView;
      seen.first = {
        token: offendingSymbol,
        expected: e?.expectedTokens ?? safeExpected(parser),
        previous: offendingSymbol ? previousVisible(parser, offendingSymbol.tokenIndex) : undefined,
        line,
        column: charPositionInLine,
      };
    },
  };
  const jast = new JastBuilder().setErrorListeners([listener]).build(jql);
  if (seen.first) return { ok: false, message: SYNTAX_PREFIX + describe(seen.first, jql) };
  if (jast.errors.length > 0 || !jast.query) {
    // The builder itself failed (not a grammar complaint): keep its words.
    return { ok: false, message: SYNTAX_PREFIX + (jast.errors[0]?.message ?? 'The query could not be parsed.') };
  }
  const unnamed = emptyName(jast.query, jql);
  if (unnamed) return { ok: false, message: unnamed };
  return { ok: true, query: jast.query };
}

/** The grammar accepts `"" = x` and `x = ""()`; Jira's parser does not. */
function emptyName(query: Query, jql: string): string | undefined {
  const inClause = (clause: Clause): string | undefined => {
    switch (clause.clauseType) {
      case 'not':
        return inClause(clause.clause);
      case 'compound':
        for (const child of clause.clauses) {
          const found = inClause(child);
          if (found) return found;
        }
        return undefined;
      case 'terminal':
        if (clause.field.value === '') return jqlMessages.emptyFieldName(offsetText(jql, clause.field.position?.[0]));
        return clause.operand ? inOperand(clause.operand) : undefined;
    }
  };
  const inOperand = (operand: Operand): string | undefined => {
    if (operand.operandType === 'function' && operand.function.value === '') {
      return jqlMessages.emptyFunctionName(offsetText(jql, operand.position?.[0]));
    }
    if (operand.operandType === 'list') {
      for (const value of operand.values) {
        const found = inOperand(value);
        if (found) return found;
      }
    }
    return undefined;
  };
  const fromWhere = query.where ? inClause(query.where) : undefined;
  if (fromWhere) return fromWhere;
  const unnamedSort = query.orderBy?.fields.find((f) => f.field.value === '');
  return unnamedSort ? jqlMessages.emptyFieldName(offsetText(jql, unnamedSort.field.position?.[0])) : undefined;
}

/** Jira's "(line L, character C)" for an offset into the query. */
function offsetText(source: string, offset = 0): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1);
  return positionText(line, column);
}

function safeExpected(parser: ParserView): TokenSet | undefined {
  try {
    return parser.getExpectedTokens();
  } catch {
    return undefined;
  }
}

function previousVisible(parser: ParserView, index: number): LexedToken | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const token = parser.inputStream.get(i);
    if (token.channel === 0) return token;
  }
  return undefined;
}

export function positionText(line: number, column: number): string {
  return `(line ${line}, character ${column + 1})`;
}

function describe(error: FirstSyntaxError, jql: string): string {
  const { token, expected } = error;
  const has = (type: number) => expected?.contains(type) ?? false;
  const at = positionText(error.line, error.column);

  if (!token || token.type === EOF) {
    if (has(T.EQUALS)) return `Expecting operator before the end of the query. ${VALID_OPERATORS}`;
    if (has(T.BY)) return "Expecting 'by' before the end of the query.";
    if (has(T.CUSTOMFIELD)) return 'Expecting a field name at the end of the query.';
    if (has(T.EMPTY)) return 'Expecting either a value, list or function before the end of the query.';
    if (has(T.RPAREN)) return "Expecting ')' before the end of the query.";
    if (has(T.RBRACKET)) return "Expecting ']' before the end of the query.";
    if (has(T.POSNUMBER)) return 'Expecting a custom field id (a positive number) before the end of the query.';
    return 'The query ended unexpectedly.';
  }

  const lexical = describeLexicalError(token, jql, at);
  if (lexical) return lexical;

  const got = token.text ?? '';
  if (has(T.EQUALS)) return `Expecting operator but got '${got}'. ${VALID_OPERATORS} ${at}`;
  if (has(T.IN) && !has(T.EMPTY)) return `Expecting 'IN' but got '${got}'. ${at}`;
  if (has(T.BY)) return `Expecting 'by' but got '${got}'. ${at}`;
  if (has(T.CUSTOMFIELD)) {
    if (token.type === T.LBRACKET) return `Expecting a field name but got '['. Did you mean 'cf['? ${at}`;
    return `Expecting a field name but got '${got}'. You must surround '${got}' in quotation marks to use it as a field name. ${at}`;
  }
  if (has(T.EMPTY) && has(T.STRING)) {
    return `Expecting either a value, list or function but got '${got}'. You must surround '${got}' in quotation marks to use it as a value. ${at}`;
  }
  if (has(T.EMPTY)) return `Expecting 'EMPTY' but got '${got}'. ${at}`;
  if (has(T.RPAREN)) {
    return has(T.COMMA) ? `Expecting ')' or ',' but got '${got}'. ${at}` : `Expecting ')' but got '${got}'. ${at}`;
  }
  if (has(T.RBRACKET)) return `Expecting ']' but got '${got}'. ${at}`;
  if (has(T.POSNUMBER)) return `Expecting a custom field id (a positive number) but got '${got}'. ${at}`;
  if (has(EOF) && !has(T.ORDER)) {
    // Inside ORDER BY: after a direction only a comma may follow.
    const previous = error.previous?.type;
    if (previous === T.ASC || previous === T.DESC) return `Expecting ',' but got '${got}'. ${at}`;
    return `Expecting either 'ASC' or 'DESC' but got '${got}'. ${at}`;
  }
  return `Expecting either 'OR' or 'AND' but got '${got}'. ${at}`;
}

/** Tokens the lexer made out of text Jira refuses before parsing at all. */
function describeLexicalError(token: LexedToken, jql: string, at: string): string | undefined {
  const text = token.text ?? '';
  switch (token.type) {
    case T.RESERVED_WORD:
      return `'${text}' is a reserved JQL word. You must surround it in quotation marks to use it in a query. ${at}`;
    case T.ERROR_RESERVED:
      return `The character '${text}' is a reserved JQL character. You must enclose it in a string or use the escape '${unicodeEscape(text)}' instead. ${at}`;
    case T.ERRORCHAR:
      return illegalCharacter(jql.charAt(token.startIndex), token.line, token.charPositionInLine);
    case T.UNCLOSED_QUOTE_STRING:
    case T.UNCLOSED_SQUOTE_STRING: {
      const content = text.slice(1).replace(/[\r\n]/g, ' ');
      return content === ''
        ? `The quoted string has not been completed. ${at}`
        : `The quoted string '${content}' has not been completed. ${at}`;
    }
    case T.INVALID_QUOTE_STRING:
    case T.INVALID_SQUOTE_STRING: {
      // The token stops where the lexer gave up: at a backslash that starts an
      // unknown escape, or at a control character that must be escaped.
      const stop = token.startIndex + text.length;
      const last = text.charAt(text.length - 1);
      const offset = token.charPositionInLine + text.length - 1;
      if (last === '\\') {
        const sequence = `\\${jql.charAt(stop)}`;
        return `'${sequence}' is an illegal JQL escape sequence. The valid escape sequences are \\', \\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX. ${positionText(token.line, offset)}`;
      }
      const bad = jql.charAt(stop);
      return illegalCharacter(bad, token.line, token.charPositionInLine + text.length);
    }
    default:
      return undefined;
  }
}

function illegalCharacter(char: string, line: number, column: number): string {
  const code = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `The character 'U+${code}' on line ${line} at position ${column + 1} must be escaped. Use the escape '\\u${code.toLowerCase()}' instead. ${positionText(line, column)}`;
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
