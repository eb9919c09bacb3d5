import type { SchemaModel, Table } from "../catalog/model.js";
import { postgresError, type Engine } from "../engine/types.js";
import { dropKeySource, keySource, parentIndex } from "./keys.js";
import { foreignKeys, type ForeignKey } from "./order.js";
import { Random } from "./random.js";
import { ident, num, qualified, tablePath } from "./sql.js";
import type { ColumnDistribution, SeedProblem } from "./types.js";

/**
 * Fills a foreign key that was inserted as NULL because it closes a cycle: one UPDATE numbering
 * the rows in physical order (deterministic for freshly inserted rows).
 */
export async function fillDeferred(engine: Engine, fk: ForeignKey, seed: number, spec: ColumnDistribution | undefined, problems: SeedProblem[]): Promise<void> {
  const { table, constraint, parent } = fk;
  const referenced = constraint.foreignKey!.referencedColumns;
  const source = await keySource(engine, parent, referenced);
  if (source.count === 0) {
    await dropKeySource(engine, source);
    return;
  }
  const random = new Random(seed, "sw_n.sw_g", `${tablePath(table)}#deferred:${constraint.name}`);
  const index = parentIndex(random, source.count, spec, false);
  const nulls = spec?.nullFraction ?? 0.1;
  const keep = (value: string) => (nulls > 0 ? `CASE WHEN ${random.unit("null")} < ${num(nulls)} THEN NULL ELSE ${value} END` : value);
  const values =
    source.kind === "range" ? [`${num(source.lo)} + ${index}`] : referenced.map((c) => `(SELECT ${ident(c)} FROM ${source.name} WHERE sw_i = ${index})`);
  const assignments = constraint.columns.map((c, i) => `${ident(c)} = ${keep(values[i]!)}`).join(", ");
  try {
    await engine.exec(
      `UPDATE ${qualified(table)} AS sw_t SET ${assignments}
       FROM (SELECT ctid AS sw_ctid, row_number() OVER (ORDER BY ctid) AS sw_g FROM ${qualified(table)}) sw_n
       WHERE sw_t.ctid = sw_n.sw_ctid`,
    );
  } catch (error) {
    problems.push({ table: tablePath(table), subject: constraint.name, message: `foreign key closing a cycle left NULL: ${postgresError(error).message}` });
  } finally {
    await dropKeySource(engine, source);
  }
}

/**
 * With triggers off (session_replication_role = replica) Postgres does not check foreign keys on
 * insert, so every foreign key of the filled tables is checked here with one anti-join; rows that
 * would violate it are removed and reported, so the data always satisfies the schema.
 */
export async function validateForeignKeys(engine: Engine, tables: Table[], model: SchemaModel, problems: SeedProblem[]): Promise<void> {
  for (const table of tables) {
    for (const fk of foreignKeys(table, model)) {
      const child = fk.constraint.columns;
      const parent = fk.constraint.foreignKey!.referencedColumns;
      const joined = child.map((c, i) => `sw_p.${ident(parent[i]!)} = sw_c.${ident(c)}`).join(" AND ");
      const present = child.map((c) => `sw_c.${ident(c)} IS NOT NULL`).join(" AND ");
      const orphan = `${present} AND NOT EXISTS (SELECT 1 FROM ${qualified(fk.parent)} sw_p WHERE ${joined})`;
      const [row] = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${qualified(table)} sw_c WHERE ${orphan}`);
      if (!row?.n) continue;
      await engine.exec(`DELETE FROM ${qualified(table)} sw_c WHERE ${orphan}`);
      problems.push({ table: tablePath(table), subject: fk.constraint.name, message: `${row.n} generated rows pointed to no ${tablePath(fk.parent)} row and were removed` });
    }
  }
}

/**
 * Triggers (audit logs, derived columns, guards) are application logic, not constraints: they stay
 * off while seeding. As a superuser one setting turns off them and the per-row foreign key checks;
 * otherwise the user triggers of each table are disabled and re-enabled.
 */
export async function suspendTriggers(engine: Engine, tables: Table[]): Promise<{ replica: boolean; restore: () => Promise<void> }> {
  try {
    await engine.exec("SET session_replication_role = replica");
    return { replica: true, restore: () => engine.exec("SET session_replication_role = origin") };
  } catch {
    const withTriggers = tables.filter((t) => t.triggers.length > 0);
    for (const t of withTriggers) await engine.exec(`ALTER TABLE ${qualified(t)} DISABLE TRIGGER USER`);
    return {
      replica: false,
      restore: async () => {
        for (const t of withTriggers) await engine.exec(`ALTER TABLE ${qualified(t)} ENABLE TRIGGER USER`);
      },
    };
  }
}
