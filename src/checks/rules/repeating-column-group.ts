import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { ident, newIdent, pluralName, primaryKeyColumns, singularName, snakeName, tableSql } from "./_modelling.js";
import { on } from "../subject.js";

interface Numbered {
  column: Column;
  base: string;
  number: number;
}

/** "phone2" → phone/2, "tag_10" → tag/10, "addressLine1" → address_line/1; null without a trailing number or a word before it. */
function numbered(column: Column): Numbered | null {
  const match = /^(.*?[a-z])_?(\d+)$/.exec(snakeName(column.name));
  if (!match || !/[a-z]{2}/.test(match[1]!)) return null;
  return { column, base: match[1]!, number: Number(match[2]) };
}

/** Longest runs of consecutive numbers, each as the columns in number order. */
function consecutiveRuns(members: Numbered[]): Numbered[][] {
  const byNumber = [...new Map(members.map((m) => [m.number, m])).values()].sort((a, b) => a.number - b.number);
  const runs: Numbered[][] = [];
  for (const member of byNumber) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.number + 1 === member.number) run.push(member);
    else runs.push([member]);
  }
  return runs;
}

export default defineRule({
  meta: {
    id: "repeating-column-group",
    category: "modelling",
    severity: "warning",
    summary: "Numbered columns of one kind (phone1, phone2, phone3) are a repeating group that belongs in a child table.",
    rationale:
      "A family of numbered columns fixes how many values an entity may have: the fourth phone number needs a migration, finding a value means OR-ing every column (each with its own index), uniqueness across the family cannot be declared, and most rows carry NULLs in the higher-numbered slots. This breaks first normal form; a child table with one row per value and a position column keeps any number of them, indexes one column, and can constrain them. It is fine when the slots have distinct fixed meanings that the numbers only abbreviate, as with the two lines of a postal address, or for a fixed-width layout imported as is and never queried per slot. The rule leaves out generated columns (typed projections of a document, such as pre-allocated search-attribute slots read from a JSON column) and families whose every column is NOT NULL: each row then holds exactly that many values (a limit per tier), a fixed-size tuple rather than a list that grows.",
    badExample: "CREATE TABLE contacts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  phone1 text,\n  phone2 text,\n  phone3 text\n);",
    goodExample:
      "CREATE TABLE contacts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE contact_phones (\n  contact_id bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,\n  position smallint NOT NULL CHECK (position > 0),\n  phone text NOT NULL,\n  PRIMARY KEY (contact_id, position)\n);",
    fix: "Create a child table keyed by the parent's key and a position, copy the non-NULL slots into it, then drop the numbered columns.",
  },
  options: z
    .object({
      minColumns: z.number().int().min(2).default(3).describe("Fewest consecutive numbered columns that make a family."),
      allow: z
        .array(z.string().min(1))
        .default(["address_line"])
        .describe("Base names (snake_case, without the number) whose numbered columns are accepted, e.g. address_line for address_line_1/2."),
    })
    .strict(),
  check({ model, options, report }) {
    const allowed = new Set(options.allow.map(snakeName));
    for (const table of designTables(model)) {
      const families = new Map<string, Numbered[]>();
      for (const column of table.columns) {
        // A generated column is a typed projection of other data (a JSON document's fixed slots), not where values are kept.
        if (column.generated) continue;
        const member = numbered(column);
        if (!member || allowed.has(member.base)) continue;
        // One family per base name and type: phone1..3 text and phone1_verified booleans never mix.
        const key = `${member.base}\u0000${column.baseTypeName}`;
        families.set(key, [...(families.get(key) ?? []), member]);
      }
      for (const members of families.values()) {
        for (const run of consecutiveRuns(members)) {
          if (run.length < options.minColumns) continue;
          // Every slot required: each row holds exactly this many values (limits per tier, a fixed-size tuple), not a list
          // that grows and leaves its higher slots empty.
          if (run.every((m) => m.column.notNull)) continue;
          const first = run[0]!;
          const names = run.map((m) => m.column.name);
          report({
            on: on.column(table, first.column).also(...run.map((m) => m.column)),
            discriminator: first.base,
            message: `Columns ${names.join(", ")} of ${table.schema}.${table.name} look like a repeating group of ${first.base} (${run.length} consecutively numbered ${first.column.type} columns, judged from their names): one more ${first.base} value needs a migration, and every search has to check each column.`,
            fix: {
              description: `Move the ${first.base} values into a child table of ${table.name} with one row per value and its position, then drop ${names.join(", ")}.`,
              sql: childTableSql(table, run),
            },
          });
        }
      }
    }
  },
});

function childTableSql(table: Table, run: Numbered[]): string {
  const base = run[0]!.base;
  const type = run[0]!.column.type;
  const key = primaryKeyColumns(table);
  const owner = singularName(table.name);
  const child = `${owner}_${pluralName(base)}`;
  const childName = table.schema === "public" ? newIdent(child) : `${ident(table.schema)}.${newIdent(child)}`;
  const valueColumn = newIdent(base === "position" ? `${base}_value` : base);
  const keyColumns = key.map((c) => ({ column: c, name: newIdent(key.length === 1 ? `${owner}_${c.name}` : c.name) }));
  const lines: string[] = [];
  if (keyColumns.length === 0) {
    lines.push(`-- ${table.name} has no primary key: add one first, then reference it from the child table.`);
    keyColumns.push({ column: { ...run[0]!.column, type: "bigint" }, name: newIdent(`${owner}_id`) });
  }
  lines.push(
    `CREATE TABLE ${childName} (`,
    ...keyColumns.map((k) => `  ${k.name} ${k.column.type} NOT NULL,`),
    `  position ${run.at(-1)!.number > 32767 ? "integer" : "smallint"} NOT NULL CHECK (position >= 0),`,
    `  ${valueColumn} ${type} NOT NULL,`,
    `  PRIMARY KEY (${[...keyColumns.map((k) => k.name), "position"].join(", ")})${key.length > 0 ? "," : ""}`,
  );
  if (key.length > 0) {
    lines.push(`  FOREIGN KEY (${keyColumns.map((k) => k.name).join(", ")}) REFERENCES ${tableSql(table)} (${key.map((c) => ident(c.name)).join(", ")}) ON DELETE CASCADE`);
  }
  lines.push(`);`);
  if (key.length > 0) {
    const slots = run.map((m) => `(${m.number}, t.${ident(m.column.name)})`).join(", ");
    lines.push(
      `INSERT INTO ${childName} (${[...keyColumns.map((k) => k.name), "position", valueColumn].join(", ")})`,
      `SELECT ${key.map((c) => `t.${ident(c.name)}`).join(", ")}, s.position, s.value`,
      `FROM ${tableSql(table)} AS t CROSS JOIN LATERAL (VALUES ${slots}) AS s(position, value)`,
      `WHERE s.value IS NOT NULL;`,
      `-- once the application uses ${child}:`,
      `-- ALTER TABLE ${tableSql(table)} ${run.map((m) => `DROP COLUMN ${ident(m.column.name)}`).join(", ")};`,
    );
  }
  return lines.join("\n");
}
