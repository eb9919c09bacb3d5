/**
 * Wraps a line of SQL at `width` columns without changing what it means: it breaks only at
 * spaces outside quoted text ('…', "…", $tag$…$tag$), and a `--` comment goes on as a comment.
 * A word longer than a line stays whole.
 */
export function wrapSqlLine(line: string, width: number, continuation = "  "): string[] {
  if ([...line].length <= width) return [line];
  const lead = /^\s*/.exec(line)![0];
  const { code, comment } = splitComment(line.slice(lead.length));
  const lines = code ? fill(words(code), width - lead.length, continuation).map((l) => lead + l) : [];
  if (comment !== undefined) {
    const last = lines.at(-1);
    if (last !== undefined && [...`${last} -- ${comment}`].length <= width) lines[lines.length - 1] = `${last} -- ${comment}`;
    else lines.push(...fill(comment.split(/\s+/).filter(Boolean), width - lead.length - 3, "").map((l) => `${lead}-- ${l}`));
  }
  return lines;
}

/** Greedy fill: as many words per line as fit; lines after the first start with `continuation`. */
function fill(parts: string[], width: number, continuation: string): string[] {
  const lines: string[] = [];
  let current = "";
  for (const part of parts) {
    const candidate = current === "" ? part : `${current} ${part}`;
    if (current !== "" && [...candidate].length > width) {
      lines.push(current);
      current = continuation + part;
    } else current = candidate;
  }
  if (current !== "") lines.push(current);
  return lines;
}

/** The code split at spaces that are outside quoted text. */
function words(code: string): string[] {
  const parts: string[] = [];
  let current = "";
  scan(code, (ch, quoted) => {
    if (!quoted && /\s/.test(ch)) {
      if (current) parts.push(current);
      current = "";
    } else current += ch;
    return true;
  });
  if (current) parts.push(current);
  return parts;
}

/** The code before a `--` comment outside quoted text, and the comment's text. */
function splitComment(text: string): { code: string; comment?: string } {
  let at = -1;
  let index = 0;
  scan(text, (ch, quoted) => {
    if (!quoted && ch === "-" && text[index + 1] === "-") {
      at = index;
      return false;
    }
    index++;
    return true;
  });
  if (at < 0) return { code: text };
  return { code: text.slice(0, at).trimEnd(), comment: text.slice(at + 2).trim() };
}

/** Calls `visit` with each character and whether it lies inside (or delimits) quoted text; stops when it returns false. */
function scan(text: string, visit: (ch: string, quoted: boolean) => boolean): void {
  let close: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (close === undefined) {
      const dollar = ch === "$" ? /^\$[A-Za-z_]*\$/.exec(text.slice(i))?.[0] : undefined;
      if (ch === "'" || ch === '"' || dollar) {
        close = dollar ?? ch;
        for (const c of close) visit(c, true);
        i += close.length - 1;
        continue;
      }
      if (!visit(ch, false)) return;
    } else {
      if (text.startsWith(close, i)) {
        for (const c of close) visit(c, true);
        i += close.length - 1;
        close = undefined;
        continue;
      }
      visit(ch, true);
    }
  }
}
