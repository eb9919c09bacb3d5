import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import type { Node } from "@pgsql/types";
import type { Change } from "../changes.js";
import { nameList, nodeAs, walkNodes, type AnyNode } from "../../sources/ast.js";
import { batchedUpdateSql, type Ctx, display, formatRows, isExisting, lookup, sizeText, smallSeverity, sqlName, whereText, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

function mentions(value: Node | undefined, test: (node: AnyNode) => boolean): boolean {
  let found = false;
  walkNodes(value, (node) => {
    found ||= test(node);
  });
  return found;
}

/** The UPDATE or DELETE the statement is (both have the table and the WHERE clause). */
function rowChange(ctx: Ctx) {
  return ctx.changes.find((c) => c.kind === "update" || c.kind === "delete") as Extract<Change, { kind: "update" | "delete" }> | undefined;
}

/** The WHERE clause limits the statement to one batch (a LIMIT subquery, ctid ranges, a cursor). */
function batchedWhere(where: Node | undefined): boolean {
  return mentions(
    where,
    (n) =>
      (n.kind === "SelectStmt" && n.body.limitCount !== undefined) ||
      (n.kind === "ColumnRef" && nameList(n.body.fields).includes("ctid")) ||
      n.kind === "CurrentOfExpr",
  );
}

/** Rows a statement this small touches at most is a targeted fix, not a backfill. */
const FEW_ROWS = 1_000;

/** The conditions the WHERE clause ANDs together. */
function conjuncts(where: Node | undefined): Node[] {
  const bool = nodeAs(where, "BoolExpr");
  if (bool?.boolop === "AND_EXPR") return (bool.args ?? []).flatMap(conjuncts);
  return where ? [where] : [];
}

function isConstant(node: Node | undefined): boolean {
  const cast = nodeAs(node, "TypeCast");
  if (cast) return isConstant(cast.arg);
  return nodeAs(node, "A_Const") !== undefined || nodeAs(node, "ParamRef") !== undefined;
}

/** The column a `col = constant` or `col IN (constants…)` condition pins, and to how many values. */
function pinned(condition: Node): { column: string; values: number } | undefined {
  const expr = nodeAs(condition, "A_Expr");
  if (!expr) return undefined;
  const column = (node: Node | undefined) => {
    const ref = nodeAs(node, "ColumnRef");
    return ref ? nameList(ref.fields).at(-1) : undefined;
  };
  const operator = nameList(expr.name).at(-1);
  if (expr.kind === "AEXPR_OP" && operator === "=") {
    const [left, right] = [column(expr.lexpr), column(expr.rexpr)];
    if (left && isConstant(expr.rexpr)) return { column: left, values: 1 };
    if (right && isConstant(expr.lexpr)) return { column: right, values: 1 };
    return undefined;
  }
  const list = nodeAs(expr.rexpr, "List")?.items ?? [];
  const left = column(expr.lexpr);
  if (expr.kind === "AEXPR_IN" && operator === "=" && left && list.length > 0 && list.every(isConstant)) return { column: left, values: list.length };
  return undefined;
}

/** At most how many rows the WHERE clause reaches when it pins every primary-key column to constants; undefined otherwise. */
function rowsByKey(where: Node | undefined, key: string[] | undefined): number | undefined {
  if (!key?.length) return undefined;
  const values = new Map<string, number>();
  for (const condition of conjuncts(where)) {
    const pin = pinned(condition);
    if (pin) values.set(pin.column, Math.min(values.get(pin.column) ?? Infinity, pin.values));
  }
  if (!key.every((column) => values.has(column))) return undefined;
  return key.reduce((rows, column) => rows * values.get(column)!, 1);
}

export default defineMigrationRule({
  meta: {
    id: "unbatched-update-or-delete",
    category: "locking",
    severity: "warning",
    summary: "UPDATE or DELETE of a whole (or large) existing table in one statement.",
    rationale:
      "One UPDATE or DELETE over a big table runs as one long transaction: it row-locks everything it touches until commit (blocking concurrent writers of those rows), writes a burst of WAL that replicas must replay, leaves as many dead rows for VACUUM, and cannot be stopped halfway without losing all the work. Doing it in batches of about 1,000 rows, each committed on its own, keeps locks short and lets autovacuum and replicas keep up. Small tables are fine, and so is a fix to known rows: a WHERE clause that pins every primary-key column to constants (`id = 42`, `id IN (…)` with up to 1,000 values) is not reported. " + SIZE_EVIDENCE,
    badExample: "UPDATE orders SET currency = 'EUR';",
    goodExample:
      "-- outside a transaction block: 1,000 rows per batch, one commit each\nDO $$ DECLARE _last bigint; _upto bigint; BEGIN\n  LOOP\n    SELECT max(id) INTO _upto FROM (SELECT id FROM orders WHERE _last IS NULL OR id > _last ORDER BY id LIMIT 1000) b;\n    EXIT WHEN _upto IS NULL;\n    UPDATE orders SET currency = 'EUR' WHERE (_last IS NULL OR id > _last) AND id <= _upto;\n    _last := _upto;\n    COMMIT;\n  END LOOP;\nEND $$;",
    fix: "Process the rows in batches of 1,000 by key range (or ctid for deletes), committing after each batch, outside a transaction block.",
  },
  options: z
    .object({
      /** With a WHERE clause, report only tables with at least this many rows (declared or measured). */
      largeTableRows: z.number().int().positive().default(100_000),
    })
    .strict(),
  safeForm(ctx) {
    const change = rowChange(ctx);
    const t = change?.table;
    return !!change && !!t && isExisting(ctx, t) && batchedWhere(change.where);
  },
  check(ctx) {
    const change = rowChange(ctx);
    if (!change) return;
    const kind = change.kind === "update" ? "UPDATE" : "DELETE";
    const t = change.table;
    if (!t || !isExisting(ctx, t)) return;
    const where = change.where;
    const rows = ctx.rows(t);
    if (where !== undefined) {
      if (rows === undefined || rows < ctx.options.largeTableRows) return;
      if (batchedWhere(where)) return;
      // `WHERE id = 42`: a fix to known rows, found through the key, whatever the table's size.
      if ((rowsByKey(where, lookup(ctx).primaryKey?.(t)) ?? Infinity) <= FEW_ROWS) return;
    }
    const table = sqlName(t);
    const alias = change.alias;
    const simpleDelete = change.kind === "delete" && !change.using;
    const condition = whereText(ctx.statement.sql);
    const sql = simpleDelete
      ? `-- repeat until it deletes 0 rows, each batch in its own transaction\nDELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table}${condition ? ` WHERE ${condition}` : ""} LIMIT 1000));`
      : batchedUpdateSql(ctx, t, ctx.statement.sql, alias);
    ctx.report(
      withSeverity(
        {
          message:
            where === undefined
              ? `${kind} without WHERE touches every row of existing table ${display(t)} (${sizeText(ctx, t)}) in one transaction.`
              : `${kind} on large table ${display(t)} (~${formatRows(rows!)} rows) in one statement: the WHERE clause may touch many rows in one transaction.`,
          fix: { description: "Batch it: 1,000 rows at a time, each batch committed on its own, outside a transaction block.", sql },
        },
        smallSeverity(ctx, [t]),
      ),
    );
  },
});
