/**
 * Splits a SQL file into statements the way psql does: quotes, dollar quotes, nested
 * comments and parentheses hide semicolons; SQL-standard function bodies (BEGIN ATOMIC … END)
 * keep theirs; psql meta-commands and COPY … FROM stdin data blocks are cut out and reported.
 * Each statement is then parsed on its own by the real Postgres parser (see parse.ts), so one
 * bad statement never hides the rest of the file.
 */

export interface RawStatement {
  /** Offset of the first token (leading comments and whitespace excluded). */
  start: number;
  /** Offset just past the statement's last character (the semicolon excluded). */
  end: number;
}

export interface RawComment {
  start: number;
  end: number;
  text: string;
}

export interface CutRegion {
  start: number;
  end: number;
  kind: "meta-command" | "copy-data";
  /** First line of the region, e.g. `\connect chinook` or the COPY statement. */
  summary: string;
  /** Data rows in a COPY block. */
  rows?: number;
}

/**
 * A psql variable interpolation outside quotes, dollar quotes and comments: `:name`,
 * `:'name'` (as a literal) or `:"name"` (as an identifier). `::` casts are never one.
 */
export interface PsqlVariableRef {
  start: number;
  end: number;
  name: string;
  quote: "" | "'" | '"';
  /** Inside `[…]`, where `a[lo:hi]` is an array slice rather than a variable unless one is set. */
  inBrackets: boolean;
}

export interface SplitResult {
  statements: RawStatement[];
  comments: RawComment[];
  cut: CutRegion[];
  psqlVariables: PsqlVariableRef[];
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
/** psql's own lexer: `:name`, `:'name'`, `:"name"` (names start with a letter or `_` here, so `a[1:2]` never counts). */
const PSQL_VARIABLE = /^:(?:([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)|'([A-Za-z0-9_\u0080-\uffff]+)'|"([A-Za-z0-9_\u0080-\uffff]+)")/;

export function splitSql(text: string): SplitResult {
  return new Splitter(text).run();
}

class Splitter {
  private pos = 0;
  private statementStart = -1;
  private parenDepth = 0;
  private bracketDepth = 0;
  /** BEGIN … END nesting inside CREATE FUNCTION/PROCEDURE bodies written in SQL. */
  private blockDepth = 0;
  private words: string[] = [];
  private readonly statements: RawStatement[] = [];
  private readonly comments: RawComment[] = [];
  private readonly cut: CutRegion[] = [];
  private readonly psqlVariables: PsqlVariableRef[] = [];

  constructor(private readonly text: string) {}

  run(): SplitResult {
    const { text } = this;
    while (this.pos < text.length) {
      const ch = text[this.pos]!;
      const next = text[this.pos + 1];
      if (ch === "-" && next === "-") this.lineComment();
      else if (ch === "/" && next === "*") this.blockComment();
      else if (ch === "\\" && this.atLineStart()) this.metaCommand();
      else if (ch === "'") this.quoted("'", this.isEscapeString());
      else if (ch === '"') this.quoted('"', false);
      else if (ch === "$" && this.dollarQuote()) continue;
      else if (ch === ";") this.semicolon();
      else if (/\s/.test(ch)) this.pos++;
      else this.token(ch);
    }
    this.finishStatement(text.length);
    return { statements: this.statements, comments: this.comments, cut: this.cut, psqlVariables: this.psqlVariables };
  }

  private markStart(): void {
    if (this.statementStart < 0) this.statementStart = this.pos;
  }

  private atLineStart(): boolean {
    for (let i = this.pos - 1; i >= 0; i--) {
      const c = this.text[i]!;
      if (c === "\n") return true;
      if (c !== " " && c !== "\t" && c !== "\r") return false;
    }
    return true;
  }

  private lineComment(): void {
    const end = this.lineEnd(this.pos);
    this.comments.push({ start: this.pos, end, text: this.text.slice(this.pos, end) });
    this.pos = end;
  }

  private blockComment(): void {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      if (this.text.startsWith("/*", this.pos)) {
        depth++;
        this.pos += 2;
      } else if (this.text.startsWith("*/", this.pos)) {
        depth--;
        this.pos += 2;
        if (depth === 0) break;
      } else this.pos++;
    }
    this.comments.push({ start, end: this.pos, text: this.text.slice(start, this.pos) });
  }

  private metaCommand(): void {
    const start = this.pos;
    const end = this.lineEnd(start);
    this.cut.push({ start, end, kind: "meta-command", summary: this.text.slice(start, end).trim() });
    this.pos = end;
  }

  private isEscapeString(): boolean {
    const prev = this.text[this.pos - 1];
    const before = this.text[this.pos - 2];
    return (prev === "E" || prev === "e") && (before === undefined || !IDENT_CHAR.test(before));
  }

  private quoted(quote: string, backslashEscapes: boolean): void {
    this.markStart();
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (backslashEscapes && c === "\\") this.pos += 2;
      else if (c === quote && this.text[this.pos + 1] === quote) this.pos += 2;
      else if (c === quote) {
        this.pos++;
        return;
      } else this.pos++;
    }
  }

  /** `$tag$ … $tag$`; returns false for `$1` parameters and `$` inside identifiers. */
  private dollarQuote(): boolean {
    const prev = this.text[this.pos - 1];
    if (prev !== undefined && IDENT_CHAR.test(prev)) return false;
    const match = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!match) return false;
    this.markStart();
    const tag = match[0];
    const close = this.text.indexOf(tag, this.pos + tag.length);
    this.pos = close < 0 ? this.text.length : close + tag.length;
    return true;
  }

  private token(ch: string): void {
    this.markStart();
    if (ch === "(") this.parenDepth++;
    else if (ch === ")") this.parenDepth = Math.max(0, this.parenDepth - 1);
    else if (ch === "[") this.bracketDepth++;
    else if (ch === "]") this.bracketDepth = Math.max(0, this.bracketDepth - 1);
    else if (ch === ":" && this.psqlVariable()) return;
    if (!IDENT_START.test(ch)) {
      this.pos++;
      return;
    }
    const start = this.pos;
    while (this.pos < this.text.length && IDENT_CHAR.test(this.text[this.pos]!)) this.pos++;
    this.trackWord(this.text.slice(start, this.pos).toUpperCase());
  }

  /** At a `:`: skips a `::` cast whole, records a psql variable; false when neither. */
  private psqlVariable(): boolean {
    if (this.text[this.pos + 1] === ":") {
      this.pos += 2;
      return true;
    }
    const match = PSQL_VARIABLE.exec(this.text.slice(this.pos, this.pos + 256));
    if (!match) return false;
    const quote = match[1] !== undefined ? "" : match[2] !== undefined ? "'" : '"';
    const name = (match[1] ?? match[2] ?? match[3])!;
    const start = this.pos;
    this.pos += match[0].length;
    this.psqlVariables.push({ start, end: this.pos, name, quote, inBrackets: this.bracketDepth > 0 });
    return true;
  }

  private trackWord(word: string): void {
    if (this.words.length < 4) this.words.push(word);
    if (!this.isSqlBodyRoutine()) return;
    if (word === "BEGIN" || word === "CASE") this.blockDepth++;
    else if (word === "END" && this.blockDepth > 0) this.blockDepth--;
  }

  private isSqlBodyRoutine(): boolean {
    const [first, second, third, fourth] = this.words;
    if (first !== "CREATE") return false;
    const kind = second === "OR" && third === "REPLACE" ? fourth : second;
    return kind === "FUNCTION" || kind === "PROCEDURE";
  }

  private semicolon(): void {
    if (this.parenDepth > 0 || this.blockDepth > 0) {
      this.markStart();
      this.pos++;
      return;
    }
    const end = this.pos;
    this.pos++;
    const statement = this.finishStatement(end);
    if (statement && this.isCopyFromStdin(statement)) this.copyData(statement);
  }

  private finishStatement(end: number): RawStatement | undefined {
    const start = this.statementStart;
    this.statementStart = -1;
    this.parenDepth = 0;
    this.bracketDepth = 0;
    this.blockDepth = 0;
    this.words = [];
    if (start < 0) return undefined;
    const statement = { start, end };
    this.statements.push(statement);
    return statement;
  }

  private isCopyFromStdin(statement: RawStatement): boolean {
    const sql = this.text.slice(statement.start, statement.end);
    return /^copy\b/i.test(sql) && /\bfrom\s+stdin\b/i.test(sql);
  }

  /** Cuts the COPY statement and its data rows up to the `\.` line. */
  private copyData(statement: RawStatement): void {
    this.statements.pop();
    const dataStart = this.lineEnd(this.pos) + 1;
    let lineStart = dataStart;
    let rows = 0;
    let end = this.text.length;
    while (lineStart < this.text.length) {
      const lineEnd = this.lineEnd(lineStart);
      const line = this.text.slice(lineStart, lineEnd).replace(/\r$/, "");
      if (line === "\\.") {
        end = lineEnd;
        break;
      }
      rows++;
      lineStart = lineEnd + 1;
    }
    const summary = this.text.slice(statement.start, statement.end).replace(/\s+/g, " ").trim();
    this.cut.push({ start: statement.start, end, kind: "copy-data", summary, rows });
    this.pos = Math.min(end, this.text.length);
  }

  private lineEnd(from: number): number {
    const nl = this.text.indexOf("\n", from);
    return nl < 0 ? this.text.length : nl;
  }
}
