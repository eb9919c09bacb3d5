/**
 * The lock each planned statement takes, as the migration rules' lock model says (for the target
 * major, on the current schema): shown under each statement in the text and Markdown plans.
 */
import type { SchemaModel } from "../catalog/model.js";
import { analyzeStatement, sqlLockMode, type RelationRef } from "../migrations/locks.js";
import type { ProvenNotNull } from "./steps.js";
import { lookupFromModel } from "../migrations/rules/_context.js";
import { parseFile } from "../sources/parse.js";

/** "-- locks: orders ACCESS EXCLUSIVE (blocks reads and writes; brief)", or "" when it takes no lock worth naming. */
export function lockNote(model: SchemaModel, pgVersion: number, proven: ProvenNotNull[] = []): (sql: string) => string {
  const base = lookupFromModel(model);
  // The plan validates a CHECK (col IS NOT NULL) before each SET NOT NULL (its typed steps say which): the model of the current schema does not know it.
  const planned = (table: RelationRef, column: string) => proven.some((p) => p.table === table.name && p.schema === (table.schema ?? "public") && p.column === column);
  const lookup = { ...base, notNullProven: (table: RelationRef, column: string) => base.notNullProven?.(table, column) === true || planned(table, column) };
  return (sql) => {
    const [statement] = parseFile({ path: "plan.sql", text: sql }, 0).statements;
    if (!statement?.ast) return "";
    const effect = analyzeStatement(statement, { pgVersion, lookup });
    const locks = effect.locks.filter((l) => !l.created && l.mode !== "AccessShareLock");
    if (locks.length === 0) return "";
    const work = effect.rewrite !== "no" ? "rewrites the table" : effect.scan ? "reads every row" : "brief";
    const blocks = effect.blocks === "nothing" ? "" : ` (blocks ${effect.blocks}; ${work})`;
    const name = (l: (typeof locks)[number]) => (l.relation.schema && l.relation.schema !== "public" ? `${l.relation.schema}.${l.relation.name}` : l.relation.name);
    return `-- locks: ${locks.map((l) => `${name(l)} ${sqlLockMode(l.mode)}`).join(", ")}${blocks}`;
  };
}
