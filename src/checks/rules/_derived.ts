import type { FunctionInfo, SchemaModel, Table } from "../../catalog/model.js";
import { quoteIdentAlways } from "../../sql/text.js";
import { designTables } from "./_shared.js";
import { stripComments, triggerFunction } from "./_temporal.js";

/**
 * Tables whose rows are written by the triggers of other tables: archives, shadow copies, counters and
 * closure tables. Their shape and times follow from the table that feeds them, which the rules judge instead.
 */

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A name as SQL may spell it: quoted exactly, or bare in any case when it is a plain lower-case identifier. */
function spelled(name: string): string {
  const quoted = escape(quoteIdentAlways(name));
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? `(?:${quoted}|${escape(name)})` : quoted;
}

/**
 * Whether the function writes rows into the table: INSERT INTO, UPDATE or MERGE INTO naming it, schema-qualified
 * or bare (a bare name only when the function lives in the table's schema or the table is in public).
 */
export function writesInto(fn: FunctionInfo, table: Table): boolean {
  const body = stripComments(fn.body);
  const schema = `${spelled(table.schema)}\\s*\\.\\s*`;
  const bareAllowed = fn.schema === table.schema || table.schema === "public";
  const name = `(?:${schema}${bareAllowed ? "|" : ""})${spelled(table.name)}`;
  return new RegExp(`(?<![\\w$])(?:INSERT\\s+INTO|UPDATE(?:\\s+ONLY)?|MERGE\\s+INTO)\\s+${name}(?![\\w$])`, "i").test(body);
}

/** The other tables whose enabled row-level triggers write rows into this one. */
export function feedingTables(model: SchemaModel, table: Table): Table[] {
  return designTables(model).filter(
    (other) =>
      other !== table &&
      other.triggers.some((trigger) => {
        if (!trigger.enabled || trigger.level !== "row") return false;
        const fn = triggerFunction(model, trigger);
        return fn !== undefined && writesInto(fn, table);
      }),
  );
}

/**
 * The table this one is a same-shape copy of: a table whose row triggers write into it, every column of which
 * (two or more) this one holds under the same name and type. An archive or history table keeps the values the
 * source rows had, so those columns are the source's to judge, not the copy's.
 */
export function copySource(model: SchemaModel, table: Table): Table | undefined {
  return feedingTables(model, table).find(
    (source) => source.columns.length >= 2 && source.columns.every((c) => table.columns.some((own) => own.name === c.name && own.type === c.type)),
  );
}

/**
 * The table whose derived state this one holds: its primary key is made of foreign keys to one table (a closure
 * table's ancestor and descendant), or of one foreign key to it and an integer slot (a sharded counter), and the
 * triggers of another table keep its rows. Its rows are recomputed, not edited by anyone, so creation and change
 * times say nothing that the table it derives from does not.
 */
export function derivedFrom(model: SchemaModel, table: Table): Table | undefined {
  const key = table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
  if (key.length < 2) return undefined;
  const references = table.constraints.filter((c) => c.type === "foreign-key" && c.foreignKey && c.columns.every((col) => key.includes(col)));
  const parents = new Set(references.map((c) => `${c.foreignKey!.referencedSchema}.${c.foreignKey!.referencedTable}`));
  if (parents.size !== 1) return undefined;
  const referenced = new Set(references.flatMap((c) => c.columns));
  const rest = key.filter((col) => !referenced.has(col));
  const slot = rest.length === 1 && table.columns.find((c) => c.name === rest[0])?.typeName.startsWith("int");
  if (rest.length > 1 || (rest.length === 1 && !slot)) return undefined;
  if (feedingTables(model, table).length === 0) return undefined;
  const [parent] = [...parents];
  return designTables(model).find((t) => `${t.schema}.${t.name}` === parent);
}
