import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import type { Report } from "../types.js";
import { defineRule } from "../types.js";
import { columnPath, designTables, wordParts } from "./_shared.js";
import { isPluralWord, pluralize, singulars, SNAKE_CASE, withLastWord } from "../words.js";

const toSnake = (name: string) => wordParts(name).join("_");

const part = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.literal("off")]);

export default defineRule({
  meta: {
    id: "naming-convention",
    category: "naming",
    severity: "info",
    summary: "Tables, columns and keys follow one predictable naming convention.",
    rationale:
      "When every table is a plural snake_case noun, every key is id and every reference is <thing>_id, people and tools can write joins without looking up the schema, and mixed-case names stop needing double quotes in every query. Inconsistent names cause quoting bugs, wrong joins and ORM mapping surprises. The parts are heuristics based on names (plurals are guessed); turn off the ones that clash with a convention your team already follows consistently.",
    badExample:
      'CREATE TABLE "UserAccount" (\n  user_account_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  "createdOn" timestamptz NOT NULL,\n  active boolean NOT NULL\n);',
    goodExample:
      "CREATE TABLE user_accounts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamptz NOT NULL,\n  is_active boolean NOT NULL\n);",
    fix: "Rename the object to the convention (and update the code that names it), or configure or turn off the part of the convention that does not fit.",
  },
  options: z
    .object({
      tables: part(z.literal("plural_snake_case")).default("plural_snake_case"),
      /** Table names (or last words) accepted as they are, e.g. "audit_log". */
      allowSingular: z.array(z.string()).default([]),
      columns: part(z.literal("snake_case")).default("snake_case"),
      primaryKey: part(z.literal("id")).default("id"),
      foreignKeys: part(z.literal("singular_id")).default("singular_id"),
      /** Prefixes a boolean column must start with. */
      booleans: part(z.array(z.string().min(1)).min(1)).default(["is_", "has_", "can_"]),
      timestamps: part(z.literal("_at")).default("_at"),
    })
    .strict(),
  check({ model, options, report }) {
    for (const table of designTables(model)) {
      const target = qualified(table.schema, table.name);
      const taken = new Set(table.columns.map((c) => c.name));
      const rename = (column: Column, to: string | null) =>
        to && to !== column.name && !taken.has(to) ? { sql: `ALTER TABLE ${target} RENAME COLUMN ${quoteIdent(column.name)} TO ${quoteIdent(to)};` } : {};
      const columnReport = (column: Column, discriminator: string, message: string, to: string | null): Report => ({
        object: { kind: "column", path: columnPath(table, column) },
        discriminator,
        message,
        location: column.provenance.location,
        statements: column.provenance.statements,
        fix: { description: to ? `Rename ${column.name} to ${to}.` : "Rename the column to the convention.", ...rename(column, to) },
      });

      if (options.tables !== "off") checkTable(table);

      for (const column of table.columns) {
        const snake = toSnake(column.name);
        if (options.columns !== "off" && !SNAKE_CASE.test(column.name)) {
          report(columnReport(column, "columns", `Column ${table.name}.${column.name} is not snake_case; expected ${snake}.`, snake));
        }
        if (options.booleans !== "off" && column.baseTypeName === "bool") {
          const prefixes = options.booleans;
          if (!prefixes.some((p) => snake.startsWith(p))) {
            const to = `${prefixes[0]}${snake}`;
            report(columnReport(column, "booleans", `Boolean column ${table.name}.${column.name} should start with ${prefixes.join(", ")} (e.g. ${to}).`, to));
          }
        }
        if (options.timestamps !== "off" && (column.baseTypeName === "timestamptz" || column.baseTypeName === "timestamp") && !snake.endsWith("_at")) {
          const to = /_(on|time|date|datetime|timestamp|ts|dt)$/.test(snake) ? snake.replace(/_[a-z]+$/, "_at") : `${snake}_at`;
          report(columnReport(column, "timestamps", `Timestamp column ${table.name}.${column.name} should end with _at (e.g. ${to}).`, to));
        }
      }

      const singleColumnFks = table.constraints.filter((c) => c.type === "foreign-key" && c.foreignKey && c.columns.length === 1);
      const primary = table.constraints.find((c) => c.type === "primary-key");
      const pkColumn = primary?.columns.length === 1 ? table.columns.find((c) => c.name === primary.columns[0]) : undefined;
      // A key that is also a foreign key (one-to-one extension tables) is named after what it references.
      if (options.primaryKey !== "off" && pkColumn && pkColumn.name !== "id" && !singleColumnFks.some((c) => c.columns[0] === pkColumn.name)) {
        report(columnReport(pkColumn, "primaryKey", `Primary key column ${table.name}.${pkColumn.name} should be named id.`, "id"));
      }

      if (options.foreignKeys !== "off") {
        for (const constraint of singleColumnFks) {
          const fk = constraint.foreignKey!;
          const column = table.columns.find((c) => c.name === constraint.columns[0]);
          const referencedColumn = fk.referencedColumns[0];
          if (!column || !referencedColumn) continue;
          const selfReference = fk.referencedSchema === table.schema && fk.referencedTable === table.name;
          const referenced = toSnake(fk.referencedTable);
          const candidates = singulars(referenced.split("_").pop() ?? "").map((s) => withLastWord(referenced, () => s));
          const suffix = `_${referencedColumn}`;
          const stem = column.name.endsWith(suffix) ? column.name.slice(0, -suffix.length) : null;
          if (referencedColumn !== "id" && column.name === referencedColumn) continue;
          if (stem && candidates.some((s) => stem === s || stem.endsWith(`_${s}`))) continue;
          if (stem === "parent" && selfReference) continue;
          const expected = `${candidates[0]}${suffix}`;
          const sameTarget = singleColumnFks.filter((c) => c.foreignKey!.referencedTable === fk.referencedTable && c.foreignKey!.referencedSchema === fk.referencedSchema).length;
          const role = stem && stem !== referenced ? stem : null;
          const to = taken.has(expected) || sameTarget > 1 ? (role ? `${role}_${expected}` : null) : expected;
          const alternative = role ? ` (or keep the role: ${role}_${expected})` : "";
          report({
            ...columnReport(column, "foreignKeys", `Foreign key column ${table.name}.${column.name} references ${fk.referencedTable}: expected ${expected}${alternative}, guessed from the singular of "${fk.referencedTable}".`, to),
            location: column.provenance.location ?? constraint.provenance.location,
          });
        }
      }
    }

    function checkTable(table: Table) {
      const snake = toSnake(table.name);
      const lastWord = snake.split("_").pop() ?? "";
      const allowed = options.allowSingular.includes(table.name) || options.allowSingular.includes(lastWord);
      const plural = allowed || isPluralWord(lastWord);
      if (SNAKE_CASE.test(table.name) && plural) return;
      const expected = plural ? snake : withLastWord(snake, pluralize);
      const problems = [...(SNAKE_CASE.test(table.name) ? [] : ["snake_case"]), ...(plural ? [] : [`plural (the last word "${lastWord}" looks singular)`])];
      report({
        object: { kind: "table", path: `${table.schema}.${table.name}` },
        discriminator: "tables",
        message: `Table ${table.schema}.${table.name} should be ${problems.join(" and ")}; expected ${expected}.`,
        location: table.provenance.location,
        statements: table.provenance.statements,
        fix: {
          description: `Rename the table to ${expected}${plural ? "" : ", or list it in allowSingular if the singular is intended"}.`,
          ...(expected !== table.name ? { sql: `ALTER TABLE ${qualified(table.schema, table.name)} RENAME TO ${quoteIdent(expected)};` } : {}),
        },
      });
    }
  },
});
