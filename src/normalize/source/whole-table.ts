/**
 * Whole-table checks for a sampled table, as aggregate queries Postgres runs: the profile of a
 * sample says which dependencies to look at, these say which really hold, so memory use follows
 * the sample and not the table.
 */
import { qualified, quoteIdent } from "../../checks/naming.js";
import type { Engine } from "../../engine/types.js";
import type { GroupStats } from "../profile.js";
import type { TableColumn, TableName } from "./table.js";
import type { WholeTable } from "./types.js";

export function wholeTable(engine: Engine, name: TableName, columns: TableColumn[], totalRows: number, nullEqualsNull: boolean): WholeTable {
  const from = qualified(name.schema, name.table);
  const col = (c: number) => quoteIdent(columns[c]!.name);
  const notNull = (cs: number[]) => (cs.length ? cs.map((c) => `${col(c)} IS NOT NULL`).join(" AND ") : "true");
  let queries = 0;
  const query = async <Row>(sql: string) => {
    queries++;
    return engine.query<Row>(sql);
  };
  return {
    totalRows,
    get queries() {
      return queries;
    },
    async dependencyError(lhs, rhs) {
      // Per determinant value, the rows that keep its most common dependent value; g3 = the rest.
      // With NULL ≠ NULL, rows with a NULL determinant agree with no other row and each NULL dependent differs.
      const group = lhs.map(col).join(", ");
      const keep = nullEqualsNull ? "max(c)" : `max(CASE WHEN ${col(rhs)} IS NULL THEN 1 ELSE c END)`;
      const grouped = lhs.length ? `GROUP BY ${group}` : "";
      const where = nullEqualsNull ? "" : `WHERE ${notNull(lhs)}`;
      const sql = `SELECT coalesce(sum(kept), 0) AS kept FROM (SELECT ${keep} AS kept FROM (SELECT ${[...lhs.map(col), col(rhs)].join(", ")}, count(*) AS c FROM ${from} ${where} GROUP BY ${[...lhs.map(col), col(rhs)].join(", ")}) AS g ${grouped}) AS k`;
      const [row] = await query<{ kept: unknown }>(sql);
      const nullLhs = nullEqualsNull ? 0 : totalRows - (await countWhere(notNull(lhs)));
      return totalRows === 0 ? 0 : (totalRows - Number(row!.kept) - nullLhs) / totalRows;
    },
    async isUnique(cs) {
      const where = nullEqualsNull ? "" : `WHERE ${notNull(cs)}`;
      const [row] = await query<{ repeated: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${from} ${where} GROUP BY ${cs.map(col).join(", ")} HAVING count(*) > 1) AS repeated`);
      return !row!.repeated;
    },
    async nullCounts() {
      const [row] = await query<Record<string, unknown>>(`SELECT ${columns.map((_, c) => `count(*) - count(${col(c)}) AS n${c}`).join(", ")} FROM ${from}`);
      return columns.map((_, c) => Number(row![`n${c}`]));
    },
    async groupStats(cs): Promise<GroupStats> {
      const sql = `SELECT coalesce(sum(c), 0) AS rows, count(*) AS distinct, coalesce(sum(c) FILTER (WHERE c > 1), 0) AS repeated, coalesce(max(c), 0) AS largest
        FROM (SELECT count(*) AS c FROM ${from} WHERE ${notNull(cs)} GROUP BY ${cs.map(col).join(", ")}) AS g`;
      const [row] = await query<{ rows: unknown; distinct: unknown; repeated: unknown; largest: unknown }>(sql);
      return { rows: Number(row!.rows), distinct: Number(row!.distinct), rowsInRepeatedGroups: Number(row!.repeated), largestGroup: Number(row!.largest), largestGroupRows: [] };
    },
  };

  async function countWhere(condition: string): Promise<number> {
    const [row] = await query<{ n: unknown }>(`SELECT count(*) AS n FROM ${from} WHERE ${condition}`);
    return Number(row!.n);
  }
}
