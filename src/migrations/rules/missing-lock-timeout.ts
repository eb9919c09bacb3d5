import { z } from "zod";
import type { Statement } from "../../sources/types.js";
import type { TransactionBlock } from "../transactions.js";
import { defineMigrationRule } from "../types.js";
import { conflicts, sqlLockMode } from "../locks.js";
import { nameList, nodeAs, statementAs } from "../../sources/ast.js";
import { changesOfKind } from "../changes.js";
import { type Ctx, display, existingLocks, fileContexts, lookup, stringConstants, terminated } from "./_shared.js";

/** How a statement changes lock_timeout: on/off, for the session or the transaction; undefined if it does not. */
function timeoutChange(s: Statement): { on: boolean; local: boolean } | undefined {
  const set = statementAs(s, "VariableSetStmt");
  if (set) {
    if (set.kind === "VAR_RESET_ALL") return { on: false, local: false };
    if (set.name !== "lock_timeout") return undefined;
    const a = nodeAs(set.args?.[0], "A_Const");
    const value = a ? (a.sval?.sval ?? String(a.ival?.ival ?? 0)) : "0";
    const on = set.kind === "VAR_SET_VALUE" && !/^\s*0+\s*(ms|s|min)?\s*$/i.test(value);
    return { on, local: set.is_local === true };
  }
  const select = statementAs(s, "SelectStmt");
  if (select) {
    const call = (select.targetList ?? []).map((t) => nodeAs(nodeAs(t, "ResTarget")?.val, "FuncCall")).find((f) => f && nameList(f.funcname).pop() === "set_config");
    const args = stringConstants(call?.args);
    if (!call || args[0] !== "lock_timeout") return undefined;
    return { on: !/^\s*0+\s*(ms|s|min)?\s*$/i.test(args[1] ?? "0"), local: JSON.stringify(call.args).includes('"boolval":true') };
  }
  return undefined;
}

/**
 * Locks on existing tables (not indexes) that make other sessions queue while the statement waits
 * for them: every mode that conflicts with ROW EXCLUSIVE (SHARE, SHARE ROW EXCLUSIVE, EXCLUSIVE,
 * ACCESS EXCLUSIVE). A waiting request blocks every later request that conflicts with it, so
 * writes queue behind a waiting CREATE INDEX or ADD FOREIGN KEY, and every query behind a waiting
 * ACCESS EXCLUSIVE. Unless the statement cannot wait (LOCK TABLE … NOWAIT).
 */
function queueingLocks(ctx: Ctx) {
  if (changesOfKind(ctx.changes, "lock-table")[0]?.nowait) return [];
  return existingLocks(ctx).filter((l) => conflicts(l.mode, "RowExclusiveLock") && !lookup(ctx).indexTable?.(l.relation));
}

export default defineMigrationRule({
  meta: {
    id: "missing-lock-timeout",
    category: "locking",
    severity: "warning",
    summary: "A statement taking a lock that blocks writes (or reads and writes) on an existing table runs without a lock_timeout set before it.",
    rationale:
      "Even an instant ALTER TABLE must first get its ACCESS EXCLUSIVE lock, and it waits behind every query already running on the table; meanwhile every new query on the table queues behind it, because PostgreSQL does not let a request jump ahead of a conflicting one that is waiting. One slow report can turn a millisecond change into minutes of downtime. The same holds, for writes only, for the locks that block writes but not reads: SHARE (CREATE INDEX), SHARE ROW EXCLUSIVE (ADD FOREIGN KEY, even NOT VALID, on both tables; CREATE TABLE … REFERENCES on the referenced table; CREATE TRIGGER) and EXCLUSIVE. While such a statement waits behind one long transaction that wrote to the table, every INSERT, UPDATE and DELETE on it waits too. With lock_timeout set, the statement gives up after a few seconds instead, the migration fails cleanly and can be retried. Table size does not matter here: a small, hot table is the worst case. One finding per file (the first unprotected statement).",
    badExample: "ALTER TABLE orders ADD COLUMN note text;",
    goodExample: "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
    fix: "Start the migration with SET lock_timeout (SET LOCAL inside a transaction) and retry on timeout.",
  },
  options: z.object({ timeout: z.string().default("5s") }).strict(),
  check(ctx) {
    const file = fileContexts(ctx);
    const at = file.findIndex((c) => c.statement === ctx.statement);
    if (at < 0 || !queueingLocks(ctx).length) return;
    let session = false;
    let local: TransactionBlock | undefined;
    let alreadyReported = false;
    for (const c of file.slice(0, at)) {
      const protectedNow = session || local === c.block;
      if (!protectedNow && queueingLocks(c).length) alreadyReported = true;
      const change = timeoutChange(c.statement);
      if (!change) continue;
      if (change.local) local = change.on && c.block.inTransaction ? c.block : local === c.block ? undefined : local;
      else session = change.on;
      if (change.on) alreadyReported = false;
    }
    if (session || local === ctx.block || alreadyReported) return;
    const locks = queueingLocks(ctx);
    const modes = [...new Set(locks.map((l) => l.mode))];
    const held = modes
      .map((mode) => {
        const tables = locks.filter((l) => l.mode === mode).map((l) => display(l.relation));
        return `${sqlLockMode(mode)} on existing ${tables.length > 1 ? "tables" : "table"} ${tables.join(", ")}`;
      })
      .join(" and ");
    const everything = modes.includes("AccessExclusiveLock");
    const them = locks.length > 1 ? "them" : "it";
    const set = `SET ${ctx.block.inTransaction ? "LOCAL " : ""}lock_timeout = '${ctx.options.timeout}';`;
    ctx.report({
      message: everything
        ? `${held} without a lock_timeout: while it waits behind running queries, every other query on ${them} waits too.`
        : `${held} without a lock_timeout: while it waits behind running transactions that wrote to ${them}, every new write on ${them} waits too (reads go on).`,
      fix: {
        description: `Set lock_timeout before the first locking statement of the file${ctx.block.inTransaction ? " (SET LOCAL inside the transaction)" : ""}, and retry the migration when it times out.`,
        sql: `${set}\n${terminated(ctx.statement.sql)}`,
      },
    });
  },
});
