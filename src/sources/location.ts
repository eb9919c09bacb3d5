import type { SourceLocation, Statement } from "./types.js";

/** Turns character offsets of one file into 1-based line:column positions. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low]! + 1 };
  }

  location(start: number, end: number): SourceLocation {
    const from = this.position(start);
    const to = this.position(Math.max(start, end));
    return { file: this.file, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }
}

/** Converts a byte offset inside `text` (UTF-8, as libpg-query reports) to a character offset. */
export function byteToCharOffset(text: string, byteOffset: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    if (bytes >= byteOffset) return i;
    const code = text.codePointAt(i)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (code >= 0x10000) i++;
  }
  return text.length;
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** The location of a character offset inside a statement's text. */
export function locationWithin(statement: Statement, offset: number): SourceLocation {
  const before = statement.sql.slice(0, offset);
  const newlines = before.split("\n").length - 1;
  const line = statement.location.line + newlines;
  const column = newlines === 0 ? statement.location.column + offset : offset - before.lastIndexOf("\n");
  return { file: statement.location.file, line, column, endLine: line, endColumn: column };
}

/** A statement's first line, shortened for messages. */
export function firstLine(sql: string): string {
  const line = sql.split("\n")[0] ?? "";
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}
