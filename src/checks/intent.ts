import type { Column, Table } from "../catalog/model.js";

/**
 * What the author said about a column: its COMMENT ON and the SQL comment written beside its
 * definition, then the table's. A rule whose guess such a text answers stays quiet.
 */
export function statedIntent(table: Table, column?: Column): string[] {
  const texts = column ? [column.comment, column.provenance.note] : [];
  return [...texts, table.comment, table.provenance.note].filter((text): text is string => Boolean(text?.trim()));
}

/** True when the column's (or table's) comments speak to `topic`. */
export function explains(table: Table, column: Column | undefined, topic: RegExp): boolean {
  return statedIntent(table, column).some((text) => topic.test(text));
}
