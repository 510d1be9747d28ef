import type { Comment } from './lexer';

// Output text that keeps the Groovy source's lines: code for a node written
// at source line N lands on output line N whenever nothing before it needed
// more lines, so an error in the translated script points near the line the
// admin knows. Source comments are carried over on their lines; each new line
// starts with the source line's own indentation.

export interface WriterMark {
  chunks: number;
  line: number;
  consumed: number;
  nextComment: number;
  lineComment: boolean;
}

export class Writer {
  private readonly chunks: string[] = [];
  /** The output line being written, 1-based. */
  private line = 1;
  private readonly consumed: number[] = [];
  private readonly isConsumed = new Set<number>();
  private nextComment = 0;
  /** The current line ends in a `//` comment: nothing more may go on it. */
  private lineComment = false;

  constructor(
    private readonly sourceLines: readonly string[],
    private readonly comments: readonly Comment[],
  ) {}

  /** Moves to source line `line`, carrying over comments and indentation; never moves back. */
  moveTo(line: number): void {
    while (this.line < line) {
      this.flushComments(this.line);
      this.newline();
    }
  }

  write(text: string): void {
    if (!text) return;
    if (this.lineComment) this.newline();
    this.chunks.push(text);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.line++;
  }

  /** A `//` comment of the translation's own, ending the line. */
  lineNote(text: string): void {
    this.write(this.lastChar() === '' || this.lastChar() === '\n' || /\s$/.test(this.lastChunk()) ? `// ${text}` : ` // ${text}`);
    this.lineComment = true;
  }

  /** Comments inside [start, end) are part of text quoted elsewhere: they are not carried over again. */
  consumeComments(start: number, end: number): void {
    this.comments.forEach((c, i) => {
      if (c.start >= start && c.end <= end && !this.isConsumed.has(i)) {
        this.isConsumed.add(i);
        this.consumed.push(i);
      }
    });
  }

  mark(): WriterMark {
    return { chunks: this.chunks.length, line: this.line, consumed: this.consumed.length, nextComment: this.nextComment, lineComment: this.lineComment };
  }

  reset(mark: WriterMark): void {
    this.chunks.length = mark.chunks;
    this.line = mark.line;
    this.lineComment = mark.lineComment;
    this.nextComment = mark.nextComment;
    while (this.consumed.length > mark.consumed) this.isConsumed.delete(this.consumed.pop()!);
  }

  finish(): string {
    this.flushComments(Number.MAX_SAFE_INTEGER);
    return this.chunks.join('');
  }

  private newline(): void {
    this.chunks.push('\n');
    this.line++;
    this.lineComment = false;
    const indent = /^[ \t]*/.exec(this.sourceLines[this.line - 1] ?? '')![0];
    if (indent) this.chunks.push(indent);
  }

  /** Writes the source comments that start on or before `line` and have not been written. */
  private flushComments(line: number): void {
    while (this.nextComment < this.comments.length && this.comments[this.nextComment]!.line <= line) {
      const index = this.nextComment++;
      if (this.isConsumed.has(index)) continue;
      const comment = this.comments[index]!;
      const text = comment.text;
      const last = this.lastChunk();
      if (this.lineComment) this.newline();
      this.chunks.push(last === '' || /[\s]$/.test(last) ? text : ` ${text}`);
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.line++;
      if (text.startsWith('//')) this.lineComment = true;
    }
  }

  private lastChunk(): string {
    return this.chunks[this.chunks.length - 1] ?? '';
  }

  private lastChar(): string {
    return this.lastChunk().slice(-1);
  }
}
