import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier, wordParts } from "./_shared.js";
import { constraintCovers, mentions, periodColumns, periodLabel, rangeSql, tablePeriods, uniqueAlone, type Period } from "./_temporal.js";
import { on } from "../subject.js";

/** The key whose versions the period separates, and how it was found. */
interface VersionKey {
  columns: string[];
  evidence: string;
  guessed: boolean;
}

/** EXCLUDE … WITH && over the period, or a PostgreSQL 18 temporal key (… WITHOUT OVERLAPS). */
function isProtected(table: Table, period: Period): boolean {
  return table.constraints.some(
    (c) =>
      ((c.type === "exclusion" && c.definition.includes("&&")) || /\bWITHOUT OVERLAPS\b/i.test(c.definition)) &&
      constraintCovers(c, period),
  );
}

/** Plain-column keys of the table: primary key, unique constraints and unique indexes, with their predicate. */
function uniqueKeys(table: Table): { name: string; columns: string[]; predicate: string | null }[] {
  return table.indexes
    .filter((i) => i.unique && i.valid && i.keys.every((k) => k.column !== null))
    .map((i) => ({ name: i.constraintName ?? i.name, columns: i.keys.map((k) => k.column!), predicate: i.predicate }));
}

function versionKey(table: Table, period: Period, validityWords: string[]): VersionKey | undefined {
  const own = new Set(periodColumns(period).map((c) => c.name));
  const anchor = period.kind === "pair" ? period.start.name : period.column.name;
  // Identity and serial columns get a new value per row, so they never repeat (a partitioned table's key must include the partition column).
  const generatedPerRow = (name: string) => table.columns.some((c) => c.name === name && (c.identity !== null || c.isSerial));
  const repeats = (columns: string[]) =>
    columns.length > 0 && !(columns.length === 1 && uniqueAlone(table, columns[0]!)) && !columns.some(generatedPerRow);
  const keys = uniqueKeys(table);
  // 1. A key made of some columns plus the period start: each key value has one row per start time.
  for (const key of keys) {
    if (key.predicate !== null || !key.columns.includes(anchor)) continue;
    const rest = key.columns.filter((c) => !own.has(c));
    if (repeats(rest)) return { columns: rest, evidence: `${key.name} is unique on (${key.columns.join(", ")})`, guessed: false };
  }
  // 2. "One current row per key": a unique index on the key limited to rows whose period is open.
  if (period.kind === "pair") {
    for (const key of keys) {
      if (key.predicate === null || !isNullTest(key.predicate, period.end.name)) continue;
      const rest = key.columns.filter((c) => !own.has(c));
      if (repeats(rest)) return { columns: rest, evidence: `${key.name} keeps one open row per (${rest.join(", ")})`, guessed: false };
    }
  }
  // 3. A period named as validity on a table with exactly one repeating reference: guess that reference is the key.
  const validity = period.kind === "range" || period.words.some((w) => validityWords.includes(w));
  if (!validity) return undefined;
  const primary = table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
  // A row with its own natural key (a token, a code) is an entity with a lifetime, not one version of something.
  const aboutPeriod = (k: { columns: string[]; predicate: string | null }) =>
    k.columns.some((c) => own.has(c)) || (k.predicate !== null && [...own].some((c) => mentions(k.predicate!, c)));
  const isPrimary = (k: { columns: string[] }) => k.columns.length === primary.length && k.columns.every((c) => primary.includes(c));
  if (keys.some((k) => !isPrimary(k) && !aboutPeriod(k))) {
    return undefined;
  }
  const fkColumns = new Set(table.constraints.filter((c) => c.type === "foreign-key" && c.columns.length === 1).map((c) => c.columns[0]!));
  const isCandidate = (c: Column) => !own.has(c.name) && !primary.includes(c.name) && !uniqueAlone(table, c.name) && (fkColumns.has(c.name) || isIdName(c.name));
  const candidates = table.columns.filter(isCandidate);
  if (candidates.length !== 1) return undefined;
  const only = candidates[0]!;
  return {
    columns: [only.name],
    evidence: `key guessed from the ${fkColumns.has(only.name) ? "foreign key" : "column name"} ${only.name}, the only column that can repeat`,
    guessed: true,
  };
}

/** `column IS NULL` in a predicate as pg_get_expr prints it. */
function isNullTest(predicate: string, column: string): boolean {
  const name = quoteIdent(column).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w$"])${name} IS NULL`).test(predicate);
}

/** customer_id, customerId: a reference by naming convention (but not the table's own id). */
function isIdName(name: string): boolean {
  const words = wordParts(name);
  return words.length > 1 && words[words.length - 1] === "id";
}

export default defineRule({
  meta: {
    id: "temporal-overlap-unprotected",
    category: "constraints",
    severity: "warning",
    summary: "Versioned rows with validity periods need an EXCLUDE constraint so periods of the same key cannot overlap.",
    rationale:
      "A table that keeps the history of something (a price, a salary, an assignment) as one row per period only answers \"what was true at time T\" if the periods of one key never overlap. A unique key on (key, valid_from) does not prevent that, and application checks race: two concurrent writers both see no overlap and both insert. Then lookups return two rows, joins double amounts and reports disagree. An EXCLUDE USING gist constraint (key WITH =, period WITH &&) makes the database refuse overlaps; on PostgreSQL 18 a PRIMARY KEY or UNIQUE (key, period WITHOUT OVERLAPS) does the same. The rule only fires when the table looks versioned (a unique key includes the period start, or a validity period belongs to exactly one reference column). Fine to ignore when overlaps are legitimate, such as several concurrent memberships or bookings that may double up.",
    badExample:
      "CREATE TABLE employees (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE employee_salaries (\n  employee_id bigint NOT NULL REFERENCES employees (id),\n  amount numeric(12,2) NOT NULL,\n  valid_from timestamptz NOT NULL,\n  valid_to timestamptz,\n  PRIMARY KEY (employee_id, valid_from)\n);",
    goodExample:
      "CREATE EXTENSION IF NOT EXISTS btree_gist;\nCREATE TABLE employees (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE employee_salaries (\n  employee_id bigint NOT NULL REFERENCES employees (id),\n  amount numeric(12,2) NOT NULL,\n  valid_from timestamptz NOT NULL,\n  valid_to timestamptz,\n  PRIMARY KEY (employee_id, valid_from),\n  EXCLUDE USING gist (employee_id WITH =, tstzrange(valid_from, valid_to, '[)') WITH &&)\n);",
    fix: "Add EXCLUDE USING gist (<key> WITH =, <range of the period> WITH &&), with the btree_gist extension for the equality part; remove existing overlaps first or the constraint cannot be added.",
  },
  options: z
    .object({
      validityWords: z
        .array(z.string().min(1))
        .default(["valid", "validity", "effective", "active"])
        .describe(
          "Name words that mark a pair of columns as a validity period (valid_from/valid_to, effective_start/effective_end); such a period on a table with exactly one repeating reference is reported with that reference guessed as the key. Set [] to report only tables whose unique keys show they are versioned (range columns are still guessed).",
        ),
    })
    .strict(),
  check({ model, options, report }) {
    const words = options.validityWords.map((w) => w.toLowerCase());
    for (const table of designTables(model)) {
      for (const period of tablePeriods(table)) {
        if (isProtected(table, period)) continue;
        const key = versionKey(table, period, words);
        if (!key) continue;
        const anchor = period.kind === "pair" ? period.start : period.column;
        const target = qualified(table.schema, table.name);
        const label = period.kind === "range" ? period.column.name : period.words.join("_") || "period";
        const name = quoteIdent(identifier(`${table.name}_${label}_no_overlap`));
        const inclusive = period.kind === "pair" && period.rangeType === "daterange" ? " If the end date is the last day of the period (inclusive), use '[]' instead of '[)'." : "";
        report({
          on: on.column(table, anchor),
          message: `Period ${periodLabel(period)}${period.kind === "pair" ? " (paired by name)" : ""} of ${table.schema}.${table.name} has no EXCLUDE constraint, so two rows for the same (${key.columns.join(", ")}) can cover overlapping times (${key.evidence}).`,
          discriminator: periodLabel(period),
          fix: {
            description: `Refuse overlapping periods per (${key.columns.join(", ")}) with an exclusion constraint (btree_gist provides = for the key in a GiST index). Adding it fails while overlapping rows exist; find and fix them first. \`schemawise pattern valid-time\` writes the whole pattern (constraint, current view, closing of the previous version).${key.guessed ? " The key was guessed from the column names; adjust the WITH = columns if the versions belong to something else." : ""}${inclusive}`,
            sql: `CREATE EXTENSION IF NOT EXISTS btree_gist;\nALTER TABLE ${target} ADD CONSTRAINT ${name}\n  EXCLUDE USING gist (${key.columns.map((c) => `${quoteIdent(c)} WITH =`).join(", ")}, ${rangeSql(period)} WITH &&);`,
          },
        });
      }
    }
  },
});
