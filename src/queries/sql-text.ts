import { scanSync } from "libpg-query";
import { locations, nodeAs, walkNodes } from "../sources/ast.js";

interface Token {
  start: number;
  end: number;
  text: string;
}

/**
 * Cuts the source text of AST nodes out of a statement. The parser gives only start positions
 * (in UTF-8 bytes), so a node's end is found from the tokens: the end of its last located
 * token, extended over the closing parentheses it opened.
 */
export class SqlText {
  private readonly bytes: Buffer;
  private readonly tokens: Token[];

  constructor(readonly sql: string) {
    this.bytes = Buffer.from(sql, "utf8");
    this.tokens = scanSync(sql).tokens.map((t) => ({ start: t.start, end: t.end, text: t.text }));
  }

  /** The node's text; with `unqualify`, `o.user_id` becomes `user_id` (for index definitions). */
  of(node: unknown, options: { unqualify?: boolean } = {}): string {
    const span = this.span(node);
    if (!span) return "";
    const cuts = options.unqualify ? this.qualifierCuts(node, span) : [];
    let text = "";
    let at = span.start;
    for (const cut of cuts) {
      text += this.bytes.subarray(at, cut.start).toString("utf8");
      at = cut.end;
    }
    return (text + this.bytes.subarray(at, span.end).toString("utf8")).trim();
  }

  /** Byte range [start, end) of a node. */
  span(node: unknown): { start: number; end: number } | undefined {
    // A qualified column reference spans more tokens than its first (`o . user_id`).
    const located = locations(node).map((l) => ({ location: l.location, extraTokens: 2 * (l.nameParts - 1) }));
    if (located.length === 0) return undefined;
    const start = Math.min(...located.map((l) => l.location));
    const last = located.reduce((a, b) => (b.location > a.location || (b.location === a.location && b.extraTokens > a.extraTokens) ? b : a));
    let index = this.tokens.findIndex((t) => t.start <= last.location && last.location < t.end);
    if (index < 0) return undefined;
    index = Math.min(this.tokens.length - 1, index + last.extraTokens);
    let depth = 0;
    for (const token of this.tokens) {
      if (token.start < start || token.start > this.tokens[index]!.start) continue;
      depth += token.text === "(" ? 1 : token.text === ")" ? -1 : 0;
    }
    // A call whose arguments hold no located node (count(*), now()) ends at its name.
    if (depth === 0 && this.tokens[index + 1]?.text === "(" && nodeAs(node, "FuncCall")) depth = 0.5;
    while (depth > 0 && index + 1 < this.tokens.length) {
      index++;
      const text = this.tokens[index]!.text;
      depth += text === "(" ? (depth === 0.5 ? 0.5 : 1) : text === ")" ? -1 : 0;
    }
    if (nodeAs(node, "NullTest")) index = this.afterNullTest(index);
    return { start, end: this.tokens[index]!.end };
  }

  /** Byte range of a keyword outside any parentheses (e.g. the query's own ORDER or OFFSET). */
  topLevel(word: string): { start: number; end: number } | undefined {
    let depth = 0;
    for (const token of this.tokens) {
      depth += token.text === "(" ? 1 : token.text === ")" ? -1 : 0;
      if (depth === 0 && token.text.toLowerCase() === word) return { start: token.start, end: token.end };
    }
    return undefined;
  }

  /** Text of a byte range. */
  slice(start: number, end = this.bytes.length): string {
    return this.bytes.subarray(start, end).toString("utf8");
  }

  /** A NullTest is located at IS: its text runs on over [NOT] NULL. */
  private afterNullTest(index: number): number {
    let i = index;
    while (i + 1 < this.tokens.length && /^(is|not|null)$/i.test(this.tokens[i + 1]!.text)) i++;
    return i;
  }

  private qualifierCuts(node: unknown, span: { start: number; end: number }): { start: number; end: number }[] {
    const cuts: { start: number; end: number }[] = [];
    walkNodes(node, (child) => {
      if (child.kind !== "ColumnRef") return;
      const ref = child.body;
      if (!ref.fields || ref.fields.length < 2 || ref.location === undefined) return;
      const first = this.tokens.findIndex((t) => t.start === ref.location);
      const dot = this.tokens[first + 2 * (ref.fields.length - 1) - 1];
      if (first >= 0 && dot?.text === "." && dot.end <= span.end) cuts.push({ start: ref.location, end: dot.end });
    });
    return cuts.sort((a, b) => a.start - b.start);
  }
}
