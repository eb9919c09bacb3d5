import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { findTable, ident, isBookkeepingColumn, literal, newIdent, primaryKeyColumns, singularName, tableSql } from "./_modelling.js";
import { on } from "../subject.js";

/** Pairs per jsonb_build_object call: a function takes at most 100 arguments. */
const PAIRS_PER_CALL = 40;

/** A function takes at most 100 arguments: long argument lists are split. */
function chunks<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** Columns named by a constraint or an index carry the table's rules and access paths: they stay where they are. */
function constrainedColumns(table: Table): Set<string> {
  const names = new Set<string>();
  for (const c of table.constraints) if (c.type !== "not-null" && c.type !== "check") c.columns.forEach((n) => names.add(n));
  for (const i of table.indexes) {
    for (const k of i.keys) if (k.column) names.add(k.column);
    i.include.forEach((n) => names.add(n));
  }
  return names;
}

/** Leading words that say how a column is used, not what it describes: they do not make a group. */
const NOT_A_SUBJECT = new Set(["is", "has", "can", "should", "allow", "last", "first", "max", "min", "total", "num", "count", "date", "time", "default", "old", "new", "raw", "extra", "custom", "created", "updated", "deleted", "modified"]);
/** Fewest optional columns sharing a leading word that make a group describing another thing (billing_street, billing_city, billing_country). */
const GROUP_SIZE = 3;

interface Group {
  word: string;
  columns: Column[];
}

/**
 * Optional columns that describe another thing than the row (billing_*, bank_*): nullable, not indexed or keyed
 * (an indexed column is an access path of the main row), and not tied to one another by a CHECK.
 */
function optionalGroups(table: Table, nullable: Column[]): Group[] {
  const constrained = constrainedColumns(table);
  const byWord = new Map<string, Column[]>();
  for (const column of nullable) {
    const words = wordParts(column.name);
    const word = words[0];
    // attr_1, attr_2… are numbered slots of one value (a repeating group), not fields of another thing.
    if (!word || words.length < 2 || words.slice(1).every((w) => /^\d+$/.test(w))) continue;
    if (NOT_A_SUBJECT.has(word) || constrained.has(column.name) || isBookkeepingColumn(column)) continue;
    byWord.set(word, [...(byWord.get(word) ?? []), column]);
  }
  const checks = table.constraints.filter((c) => c.type === "check");
  // email_confirmed_at, email_change_token beside an email column: the workflow of the row's own value, not another thing.
  const own = new Set(table.columns.map((c) => wordParts(c.name).join("_")));
  return [...byWord]
    .filter(([word]) => !own.has(word))
    .filter(([, columns]) => columns.length >= GROUP_SIZE)
    .filter(([, columns]) => !checks.some((check) => columns.filter((c) => check.columns.includes(c.name)).length >= 2))
    .map(([word, columns]) => ({ word, columns }));
}

export default defineRule({
  meta: {
    id: "wide-sparse-table",
    category: "modelling",
    severity: "info",
    summary: "A very wide table whose columns are mostly nullable (or, on a live database, mostly NULL) mixes several kinds of rows or rarely used attributes.",
    rationale:
      "When a table has dozens of columns and most of them are optional, it usually stores several kinds of things at once (each using its own subset of columns) or a long tail of attributes few rows have. Every query and index then drags the whole row along, constraints cannot say which columns belong together, and each new variant adds more NULL columns. Splitting the rarely used attributes into a one-to-one satellite table, or into a jsonb column with a shape CHECK, keeps the hot row narrow and makes the groups explicit. Declared nullability alone is not sparseness, so on a schema without statistics the rule reports a wide, mostly nullable table only when its optional columns form at least two groups that describe other things than the row (billing_*, bank_*: three or more nullable, unindexed columns sharing a leading word, not numbered slots, not tied together by a CHECK, and not named after a column of the row itself, as email_confirmed_at and email_change are about the row's own email); on a live database it uses the null fractions from pg_stats. Generated columns are projections of other data and are not counted. It is fine to keep a wide table that is a deliberate denormalized read model or a staging table loaded from a wide file.",
    badExample:
      "CREATE TABLE customers (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  email text NOT NULL,\n  fax text, twitter_handle text, referral_code text, notes text,\n  company_name text, company_vat_id text, company_size integer, company_industry text, company_website text,\n  billing_street text, billing_city text, billing_postcode text, billing_country text, billing_email text,\n  shipping_street text, shipping_city text, shipping_postcode text, shipping_country text, shipping_phone text,\n  bank_iban text, bank_bic text, bank_account_holder text,\n  marketing_source text, marketing_campaign text, marketing_opt_in_at timestamptz,\n  last_login_at timestamptz, last_order_at timestamptz, deleted_at timestamptz\n);",
    goodExample:
      "CREATE TABLE customers (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL\n);\nCREATE TABLE customer_companies (\n  customer_id bigint PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,\n  vat_id text NOT NULL,\n  company_size integer NOT NULL CHECK (company_size > 0)\n);",
    fix: "Move groups of optional columns into one-to-one satellite tables keyed by the parent's primary key (or rarely used ones into a jsonb column with a CHECK), then drop them from the wide table.",
  },
  options: z
    .object({
      maxColumns: z.number().int().min(1).default(30).describe("Tables with more columns than this are checked."),
      nullableShare: z.number().min(0).max(1).default(0.7).describe("Share of the columns that must be nullable (or, with statistics, mostly NULL) to report."),
      mostlyNull: z.number().min(0).max(1).default(0.5).describe("With statistics: the null fraction from which a column counts as mostly NULL."),
    })
    .strict(),
  check({ model, options, report }) {
    for (const table of designTables(model)) {
      // Generated columns are projections of other columns (a JSON document's slots): they hold no data of their own.
      const columns = table.columns.filter((c) => !c.generated);
      if (columns.length <= options.maxColumns) continue;
      const withStats = columns.every((c) => c.stats !== undefined);
      const sparse = withStats ? columns.filter((c) => c.stats!.nullFraction >= options.mostlyNull) : columns.filter((c) => !c.notNull);
      const share = sparse.length / columns.length;
      if (share < options.nullableShare) continue;
      const stored = columns.length === table.columns.length ? "" : " stored";
      let message: string;
      if (withStats) {
        message = `Table ${table.schema}.${table.name} has ${columns.length}${stored} columns and ${sparse.length} of them (${Math.round(share * 100)}%) are mostly NULL (null fraction at least ${Math.round(options.mostlyNull * 100)}% in pg_stats): it mixes several kinds of rows or keeps rarely used attributes in the main row.`;
      } else {
        // Declared nullability is not sparseness. Without statistics, report only what the schema shows: several groups
        // of optional columns that describe other things than the row, which nothing ties together.
        const groups = optionalGroups(table, sparse);
        if (groups.length < 2) continue;
        const listed = groups.map((g) => `${g.word}_* (${g.columns.length})`).join(", ");
        message = `Table ${table.schema}.${table.name} has ${columns.length}${stored} columns, ${sparse.length} of them (${Math.round(share * 100)}%) nullable, and its optional columns fall into groups by their leading word, each a candidate for a table of its own: ${listed}; no constraint says which of them belong together. Judged from the declared schema; on the live database (--url) the null fractions show how sparse the rows are.`;
      }
      const constrained = constrainedColumns(table);
      const movable = sparse.filter((c) => !constrained.has(c.name) && !c.generated && c.identity === null);
      report({
        on: on.table(table),
        message,
        fix: {
          description: movable.length
            ? `Group the optional columns by what they describe and move each group into a one-to-one satellite table (the SQL moves all ${movable.length} unconstrained ones as a starting point), or keep rarely used attributes in a jsonb column.`
            : "Group the optional columns by what they describe and move each group into a one-to-one satellite table, or keep rarely used attributes in a jsonb column.",
          ...(movable.length ? { sql: fixSql(table, movable) } : {}),
        },
      });
    }

    function fixSql(table: Table, moved: Column[]): string {
      const target = tableSql(table);
      const names = moved.map((c) => ident(c.name));
      const drop = `-- ALTER TABLE ${target} ${names.map((n) => `DROP COLUMN ${n}`).join(", ")};`;
      const key = primaryKeyColumns(table);
      if (key.length !== 1) {
        const objects = chunks(moved, PAIRS_PER_CALL).map((part) => `jsonb_build_object(${part.map((c) => `${literal(c.name)}, ${ident(c.name)}`).join(", ")})`);
        return [
          `ALTER TABLE ${target} ADD COLUMN extra_attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(extra_attributes) = 'object');`,
          `UPDATE ${target} SET extra_attributes = jsonb_strip_nulls(${objects.join("\n  || ")});`,
          `-- once the application reads extra_attributes:`,
          drop,
        ].join("\n");
      }
      const pk = key[0]!;
      let satellite = `${singularName(table.name)}_details`;
      if (findTable(model, table.schema, satellite)) satellite = `${singularName(table.name)}_extra_details`;
      const name = table.schema === "public" ? newIdent(satellite) : `${ident(table.schema)}.${newIdent(satellite)}`;
      return [
        `CREATE TABLE ${name} (`,
        `  ${ident(pk.name)} ${pk.type} PRIMARY KEY REFERENCES ${target} (${ident(pk.name)}) ON DELETE CASCADE,`,
        moved.map((c) => `  ${ident(c.name)} ${c.type}`).join(",\n"),
        `);`,
        `INSERT INTO ${name} (${[ident(pk.name), ...names].join(", ")})`,
        `SELECT ${[ident(pk.name), ...names].join(", ")} FROM ${target}`,
        `WHERE ${chunks(names, 90).map((part) => `num_nonnulls(${part.join(", ")})`).join(" + ")} > 0;`,
        `-- once the application reads ${satellite}:`,
        drop,
      ].join("\n");
    }
  },
});
