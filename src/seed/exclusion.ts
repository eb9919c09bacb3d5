import type { Constraint, Table } from "../catalog/model.js";

/** An exclusion constraint read as "periods of the same key must not overlap". */
export interface PeriodExclusion {
  constraint: Constraint;
  /** Columns compared with `=`. */
  keys: string[];
  /** A range column, or the two columns a range is built from (tstzrange(starts_at, ends_at)). */
  period: { column: string } | { start: string; end: string };
}

/** Reads `EXCLUDE USING gist (room_id WITH =, during WITH &&)` and the two-column form; undefined for other shapes. */
export function periodExclusion(table: Table, constraint: Constraint): PeriodExclusion | undefined {
  const body = /\((.*)\)/s.exec(constraint.definition.replace(/\sWHERE\s.*$/is, ""))?.[1];
  if (!body) return undefined;
  const keys: string[] = [];
  let period: PeriodExclusion["period"] | undefined;
  for (const element of splitTopLevel(body)) {
    const match = /^(.*)\s+WITH\s+(\S+)$/is.exec(element.trim());
    if (!match) return undefined;
    const [expression, op] = [match[1]!.trim(), match[2]!];
    if (op === "=") {
      const column = columnName(expression, table);
      if (!column) return undefined;
      keys.push(column);
    } else if (op === "&&") {
      const column = columnName(expression, table);
      const built = /^\w+\(\s*("?[\w]+"?)\s*,\s*("?[\w]+"?)\s*(,.*)?\)$/s.exec(expression);
      if (column) period = { column };
      else if (built && columnName(built[1]!, table) && columnName(built[2]!, table)) period = { start: columnName(built[1]!, table)!, end: columnName(built[2]!, table)! };
      else return undefined;
    } else return undefined;
  }
  return period ? { constraint, keys, period } : undefined;
}

function columnName(expression: string, table: Table): string | undefined {
  const name = expression.replace(/^"(.*)"$/, "$1");
  return table.columns.some((c) => c.name === name) ? name : undefined;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
