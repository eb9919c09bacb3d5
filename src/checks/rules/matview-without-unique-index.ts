import { z } from "zod";
import type { Index, View } from "../../catalog/model.js";
import { libraryOwning } from "../conventions/library-tables.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { identifier } from "./_shared.js";
import { on } from "../subject.js";

/** What REFRESH MATERIALIZED VIEW CONCURRENTLY accepts: unique, valid, on plain columns only, covering every row. */
function allowsConcurrentRefresh(index: Index): boolean {
  return index.unique && index.valid && index.predicate === null && index.keys.every((key) => key.column !== null);
}

/** Splits a list on the commas outside parentheses. */
function topLevelItems(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      items.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items;
}

const PLAIN_COLUMN = /^(?:[A-Za-z_][\w$]*\.)?("?)([^"().]+)\1$/;

/** Strips the parentheses pg_get_viewdef puts around a GROUP BY expression. */
function unwrap(expression: string): string {
  const trimmed = expression.trim();
  return trimmed.startsWith("(") && trimmed.endsWith(")") && topLevelItems(trimmed.slice(1, -1)).length === 1 ? trimmed.slice(1, -1).trim() : trimmed;
}

/** The output column each selected expression is named as: "date_trunc(...) AS day" and "o.status" (as status). */
function outputNames(selectList: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of topLevelItems(selectList)) {
    const [, expression, , alias] = /^(.*) AS ("?)([^"]+)\2$/.exec(item) ?? [];
    const name = expression !== undefined ? alias : PLAIN_COLUMN.exec(item)?.[2];
    if (name) names.set(expression !== undefined ? unwrap(expression) : item, name);
  }
  return names;
}

/**
 * The output columns that identify a row, when the view's query is one SELECT ending in a GROUP BY
 * whose every item it also selects: one row per group, so they are the key the index needs.
 * Undefined when the key cannot be read from the query (then the fix names no columns).
 */
function groupKey(view: View): string[] | undefined {
  const definition = view.definition.replace(/\s+/g, " ").trim();
  if ((definition.match(/\b(SELECT|GROUP BY)\b/gi)?.length ?? 0) !== 2 || /\b(GROUPING SETS|ROLLUP|CUBE|UNION|INTERSECT|EXCEPT)\b/i.test(definition)) return undefined;
  const query = /^SELECT (?:ALL )?(.*?) FROM .*? GROUP BY (.*?)(?: HAVING | ORDER BY | LIMIT | OFFSET | WINDOW |;|$)/i.exec(definition);
  const [, selectList, groupList] = query ?? [];
  if (selectList === undefined || groupList === undefined) return undefined;
  const outputs = outputNames(selectList);
  const key = topLevelItems(groupList).map((item) => outputs.get(unwrap(item)) ?? PLAIN_COLUMN.exec(unwrap(item))?.[2]);
  const columns = new Set(view.columns.map((c) => c.name));
  return key.every((name): name is string => name !== undefined && columns.has(name)) ? key : undefined;
}

export default defineRule({
  meta: {
    id: "matview-without-unique-index",
    category: "indexes",
    severity: "warning",
    summary: "A materialized view needs a unique index on plain columns to be refreshed without blocking its readers.",
    rationale:
      "A plain REFRESH MATERIALIZED VIEW takes an ACCESS EXCLUSIVE lock: every query reading the view waits until the whole query behind it has run again, which grows with the data. REFRESH ... CONCURRENTLY lets readers go on with the old contents while the new ones are computed, but PostgreSQL accepts it only when the view has a unique index on column names (no expression, no WHERE) that covers every row. Without one, the only refresh the view allows is the blocking one, and the choice is between stale data and stalled readers.",
    badExample:
      "CREATE TABLE orders (id bigint PRIMARY KEY, order_date date NOT NULL, total numeric(12,2) NOT NULL);\nCREATE MATERIALIZED VIEW daily_sales AS\n  SELECT order_date, sum(total) AS revenue\n  FROM orders\n  GROUP BY order_date;",
    goodExample:
      "CREATE TABLE orders (id bigint PRIMARY KEY, order_date date NOT NULL, total numeric(12,2) NOT NULL);\nCREATE MATERIALIZED VIEW daily_sales AS\n  SELECT order_date, sum(total) AS revenue\n  FROM orders\n  GROUP BY order_date;\nCREATE UNIQUE INDEX daily_sales_key ON daily_sales (order_date);",
    fix: "Create a unique index on the columns that identify a row of the view (its GROUP BY keys), then refresh it with REFRESH MATERIALIZED VIEW CONCURRENTLY.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const view of model.views) {
      if (!view.materialized || libraryOwning(view.schema, view.name, view.columns.map((c) => c.name))) continue;
      if (view.indexes.some(allowsConcurrentRefresh)) continue;
      const key = groupKey(view);
      // A plain index already on exactly the key: the unique one takes its place.
      const replaced = key && view.indexes.find((i) => !i.unique && i.predicate === null && i.keys.length === key.length && i.keys.every((k) => k.column !== null && key.includes(k.column)));
      const target = qualified(view.schema, view.name);
      const partial = view.indexes.filter((i) => i.unique).map((i) => i.name);
      const near = partial.length > 0 ? ` Its unique ${partial.length > 1 ? "indexes" : "index"} ${partial.join(", ")} ${partial.length > 1 ? "do" : "does"} not count: CONCURRENTLY needs one on plain columns, with no WHERE clause.` : "";
      report({
        on: on.view(view),
        message: `Materialized view ${view.name} has no unique index on plain columns, so it can only be refreshed with a blocking REFRESH: every query reading it waits until the refresh has recomputed it.${near}`,
        fix: {
          description: key
            ? `Create a unique index on its GROUP BY columns (${key.join(", ")})${replaced ? ` in place of the plain index ${replaced.name}` : ""} and refresh with REFRESH MATERIALIZED VIEW CONCURRENTLY (\`schemawise pattern materialized-view\` writes the view, the index and a refresh function).`
            : `Create a unique index on the columns that identify a row of ${view.name} and refresh with REFRESH MATERIALIZED VIEW CONCURRENTLY (\`schemawise pattern materialized-view\` writes the view, the index and a refresh function).`,
          ...(key
            ? {
                sql:
                  `CREATE UNIQUE INDEX ${quoteIdent(identifier(`${view.name}_key`))} ON ${target} (${key.map(quoteIdent).join(", ")});\n` +
                  (replaced ? `DROP INDEX ${qualified(view.schema, replaced.name)};\n` : "") +
                  `REFRESH MATERIALIZED VIEW CONCURRENTLY ${target};`,
              }
            : {}),
        },
      });
    }
  },
});
