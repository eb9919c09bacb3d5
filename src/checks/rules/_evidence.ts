/**
 * What counts as the project's own evidence for a rule whose premise some teams legitimately
 * reject (CHECKs on JSON shape or ranges, inet for addresses…): a schema that already does the
 * thing somewhere shows it is the team's practice, and a schema too new to show anything gets the
 * design discipline's default.
 */
import type { SchemaModel, Table } from "../../catalog/model.js";
import { SMALL_SCHEMA_TABLES } from "../conventions/infer.js";
import type { Conventions } from "../conventions/types.js";
import { designTables } from "./_shared.js";

/** Fewer design tables than this: the schema has no habits of its own yet, so the rules' defaults apply. */
export function isNewSchema(model: SchemaModel): boolean {
  return designTables(model).length < SMALL_SCHEMA_TABLES;
}

/** "table.column" for a message, with the schema when it is not public. */
export function columnLabel(table: Table, column: string): string {
  return `${table.schema === "public" ? "" : `${table.schema}.`}${table.name}.${column}`;
}

/** "a.b, c.d and 3 more": a short list of examples for a message. */
export function examples(labels: string[], max = 2): string {
  const shown = labels.slice(0, max);
  const rest = labels.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(" and ");
}

/**
 * The schema declares (almost) none of its references as foreign keys: it leaves them to the application on purpose
 * (Rails' dependent:, loose foreign keys across databases, sharding, several engines), as the team knows.
 */
export function leavesReferencesToApplication(conventions: Conventions): boolean {
  return conventions.declaresForeignKeys.source !== "mixed" && conventions.declaresForeignKeys.value === false;
}
