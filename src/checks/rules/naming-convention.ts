import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import type { Report } from "../types.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { copySource } from "./_derived.js";
import { isPluralWord, pluralize, singulars, withLastWord } from "../words.js";
import { casesOf } from "../conventions/infer.js";
import { holds } from "../conventions/tally.js";
import type { Convention, NameCase } from "../conventions/types.js";
import { on } from "../subject.js";

const toSnake = (name: string) => wordParts(name).join("_");

/** A name respelled in a naming case: "user_accounts" → "userAccounts" / "UserAccounts". */
function inCase(name: string, to: NameCase): string {
  const words = wordParts(name);
  const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  if (to === "camelCase") return words.map((w, i) => (i === 0 ? w : capital(w))).join("");
  if (to === "PascalCase") return words.map(capital).join("");
  if (to === "UPPER_CASE") return words.join("_").toUpperCase();
  return words.join("_");
}

/** The case a setting asks for: the project's own (when it has one), the discipline's, or none. */
function expectedCase(setting: string, convention: Convention<NameCase>, discipline: NameCase): NameCase | null {
  if (setting === "off") return null;
  if (setting !== "project") return discipline;
  return holds(convention) ? convention.value : null;
}

/** A convention held to name by name: a new schema's defaults, or one the team pinned. */
const firmly = (convention: Convention<unknown>) => convention.source === "default" || convention.source === "pinned";

const part = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.literal("project"), z.literal("off")]);

export default defineRule({
  meta: {
    id: "naming-convention",
    category: "naming",
    severity: "info",
    summary: "Tables, columns and keys follow the naming convention the rest of the schema follows.",
    rationale:
      "When names follow one predictable scheme, people and tools write joins without looking up the schema, and a name that breaks the scheme causes quoting bugs, wrong joins and ORM mapping surprises. The rule first learns the scheme the schema itself follows (snake_case or camelCase, plural or singular tables, id or <table>_id keys, the boolean prefixes and timestamp suffix in use; see `schemawise conventions`) and reports only the names that break it: a Prisma schema of PascalCase models or a pagila-style schema of singular tables is consistent, not wrong. Parts where the schema has no dominant scheme are not judged. A copy named after the table whose trigger fills it (orders_archive) takes its plurality from that name, and a key is not asked to take a name another column already holds (the archive's copy of id). A new schema of a few tables is held to the discipline's defaults: plural snake_case tables, id keys, <thing>_id references, is_/has_/can_ booleans and _at timestamps.",
    badExample:
      'CREATE TABLE user_accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL);\nCREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL);\nCREATE TABLE "InvoiceLine" (\n  invoice_line_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  "createdOn" timestamptz NOT NULL\n);',
    goodExample:
      "CREATE TABLE user_accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL);\nCREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL);\nCREATE TABLE invoice_lines (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamptz NOT NULL\n);",
    fix: "Rename the object to the schema's convention (and update the code that names it), pin the convention in the config's `conventions` section, or turn off the part that does not fit.",
  },
  options: z
    .object({
      tables: part(z.literal("plural_snake_case")).default("project").describe('"project": the case and plurality most tables use; "plural_snake_case": always that; "off".'),
      /** Table names (or last words) accepted as they are, e.g. "audit_log". */
      allowSingular: z.array(z.string()).default([]),
      columns: part(z.literal("snake_case")).default("project"),
      primaryKey: part(z.literal("id")).default("project"),
      foreignKeys: part(z.literal("singular_id")).default("project"),
      /** Prefixes a boolean column must start with; "project": the prefixes the schema uses, if it uses them. */
      booleans: part(z.array(z.string().min(1)).min(1)).default("project"),
      timestamps: part(z.literal("_at")).default("project"),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const tableCase = expectedCase(options.tables, conventions.tableCase, "snake_case");
    // In an established schema a plural guess on a compound name (…_queue, …_published_by) is unreliable and a rename costly:
    // plurality is held to only in a new schema, or when pinned or configured.
    const plurality = options.tables === "off" ? null : options.tables !== "project" ? "plural" : firmly(conventions.tablePlurality) ? conventions.tablePlurality.value : null;
    const columnCase = expectedCase(options.columns, conventions.columnCase, "snake_case");
    const booleanPrefixes = options.booleans === "off" ? [] : options.booleans !== "project" ? options.booleans : holds(conventions.booleanPrefixes) ? conventions.booleanPrefixes.value : [];
    // Likewise a timestamp named after what happened (authored_date, expires, last_retry) reads well; a suffix is asked for only in a new schema, or when pinned or configured.
    const timestampSuffix = options.timestamps === "off" ? null : options.timestamps !== "project" ? "_at" : firmly(conventions.timestampSuffix) ? conventions.timestampSuffix.value : null;
    // Renaming the key of an established table breaks every query, API and ORM mapping that names it: held to only in a new schema, or when pinned or configured.
    const keyNaming = options.primaryKey === "off" ? null : options.primaryKey !== "project" ? "id" : firmly(conventions.primaryKeyNaming) ? conventions.primaryKeyNaming.value : null;
    const referenceNaming = options.foreignKeys === "off" ? null : options.foreignKeys !== "project" ? "<singular>_id" : holds(conventions.referenceNaming) ? conventions.referenceNaming.value : null;
    /** Why a name is expected: the schema's own habit, or the default for a schema too new to have one. */
    const basis = (convention: Convention<unknown>, setting: unknown, what: string) =>
      setting !== "project" || convention.source === "default" ? "the default convention" : `like the schema's other ${what}`;
    const spell = (name: string) => (columnCase ? inCase(name, columnCase) : name);

    for (const table of designTables(model)) {
      const target = qualified(table.schema, table.name);
      const taken = new Set(table.columns.map((c) => c.name));
      const rename = (column: Column, to: string | null) =>
        to && to !== column.name && !taken.has(to) ? { sql: `ALTER TABLE ${target} RENAME COLUMN ${quoteIdent(column.name)} TO ${quoteIdent(to)};` } : {};
      const columnReport = (column: Column, discriminator: string, message: string, to: string | null): Report => ({
        on: on.column(table, column),
        discriminator,
        message,
        fix: { description: to ? `Rename ${column.name} to ${to}.` : "Rename the column to the convention.", ...rename(column, to) },
      });

      checkTable(table);

      for (const column of table.columns) {
        // A leading underscore marks an internal column on purpose (_version, _event_type); the rest of the name is what follows the case.
        if (columnCase && !casesOf(column.name.replace(/^_+/, "")).includes(columnCase)) {
          const to = inCase(column.name, columnCase);
          report(columnReport(column, "columns", `Column ${table.name}.${column.name} is not ${columnCase} (${basis(conventions.columnCase, options.columns, "columns")}); expected ${to}.`, to));
        }
        const words = wordParts(column.name);
        if (booleanPrefixes.length > 0 && column.baseTypeName === "bool" && !booleanPrefixes.some((p) => toSnake(column.name).startsWith(toSnake(p) + "_") || column.name.startsWith(p))) {
          const to = spell(`${toSnake(booleanPrefixes[0]!)}_${toSnake(column.name)}`);
          report(columnReport(column, "booleans", `Boolean column ${table.name}.${column.name} should start with ${booleanPrefixes.join(", ")} (${basis(conventions.booleanPrefixes, options.booleans, "booleans")}), e.g. ${to}.`, to));
        }
        if (timestampSuffix && (column.baseTypeName === "timestamptz" || column.baseTypeName === "timestamp") && !column.name.endsWith(timestampSuffix) && !toSnake(column.name).endsWith(toSnake(timestampSuffix) ? `_${toSnake(timestampSuffix)}` : timestampSuffix)) {
          const suffixWord = toSnake(timestampSuffix);
          const stem = /^(on|time|date|datetime|timestamp|ts|dt|at)$/.test(words.at(-1) ?? "") && words.length > 1 ? words.slice(0, -1) : words;
          const to = spell(`${stem.join("_")}_${suffixWord}`);
          report(columnReport(column, "timestamps", `Timestamp column ${table.name}.${column.name} should end with ${timestampSuffix} (${basis(conventions.timestampSuffix, options.timestamps, "timestamps")}), e.g. ${to}.`, to));
        }
      }

      const singleColumnFks = table.constraints.filter((c) => c.type === "foreign-key" && c.foreignKey && c.columns.length === 1);
      const primary = table.constraints.find((c) => c.type === "primary-key");
      const pkColumn = primary?.columns.length === 1 ? table.columns.find((c) => c.name === primary.columns[0]) : undefined;
      // A key that is also a foreign key (one-to-one extension tables) is named after what it references.
      // Only surrogate keys are held to the naming: a natural key (version, code) or a key named after another table's id (an extension table) is named for what it is.
      const surrogate = pkColumn && (pkColumn.identity !== null || pkColumn.isSerial || /nextval\(|gen_random_uuid|uuid_generate|uuidv[47]/.test(pkColumn.default ?? ""));
      const referenceLike = pkColumn && /(_id|Id|ID)$/.test(pkColumn.name) && keyNaming !== "id";
      if (keyNaming && pkColumn && surrogate && !referenceLike && !singleColumnFks.some((c) => c.columns[0] === pkColumn.name)) {
        const expected = keyName(table, keyNaming);
        // The expected name taken by another column (an archive's copy of the source's id) cannot be given to the key.
        if (expected && pkColumn.name !== expected && !taken.has(expected)) {
          report(columnReport(pkColumn, "primaryKey", `Primary key column ${table.name}.${pkColumn.name} should be named ${expected} (${basis(conventions.primaryKeyNaming, options.primaryKey, "primary keys")}: ${keyNaming}).`, expected));
        }
      }

      if (referenceNaming && referenceNaming !== "<referenced column>") {
        const suffix = referenceNaming === "<singular>_id" ? "_id" : referenceNaming === "<singular>Id" ? "Id" : "ID";
        for (const constraint of singleColumnFks) {
          const fk = constraint.foreignKey!;
          const column = table.columns.find((c) => c.name === constraint.columns[0]);
          const referencedColumn = fk.referencedColumns[0];
          if (!column || !referencedColumn || column.name === referencedColumn) continue;
          const referenced = toSnake(fk.referencedTable);
          const singular = withLastWord(referenced, (w) => singulars(w)[0] ?? w);
          // Role names (author_id → users) are good names; only a reference that drops the suffix, or names the table in the plural, breaks the scheme.
          const suffixRequired = options.foreignKeys !== "project" || firmly(conventions.referenceNaming);
          // "settings", "news", "analytics" read as singular nouns in names: the plural guess is held to only where the convention is firm.
          const pluralStem = suffixRequired && isPluralWord(referenced.split("_").pop() ?? "") && singular !== referenced && toSnake(column.name) === `${referenced}_id`;
          // A reference named for its role without the suffix (published_by, reports_to) is read the same way; only in a new schema is the suffix asked for.
          if (!pluralStem && (column.name.endsWith(suffix) || !suffixRequired)) continue;
          const expected = spell(pluralStem ? `${singular}_id` : `${toSnake(column.name)}_id`);
          const to = taken.has(expected) ? null : expected;
          report({
            ...columnReport(column, "foreignKeys", `Foreign key column ${table.name}.${column.name} references ${fk.referencedTable}: expected ${expected} (${basis(conventions.referenceNaming, options.foreignKeys, "references")}: ${referenceNaming}).`, to),
            on: on.column(table, column).near(constraint),
          });
        }
      }
    }

    function keyName(table: Table, naming: string): string | null {
      const singular = withLastWord(toSnake(table.name), (w) => singulars(w)[0] ?? w);
      switch (naming) {
        case "id":
          return "id";
        case "<table>_id":
          return `${toSnake(table.name)}_id`;
        case "<singular>_id":
          return `${singular}_id`;
        case "<table>Id":
          return inCase(`${toSnake(table.name)}_id`, "camelCase");
        case "<singular>Id":
          return inCase(`${singular}_id`, "camelCase");
        default:
          return null;
      }
    }

    function checkTable(table: Table) {
      const snake = toSnake(table.name);
      const lastWord = snake.split("_").pop() ?? "";
      // A copy named after its source (orders_archive, filled by orders' trigger) takes its plural from the source's name.
      const source = copySource(model, table);
      const copyName = source !== undefined && snake.startsWith(`${toSnake(source.name)}_`);
      const allowed = options.allowSingular.includes(table.name) || options.allowSingular.includes(lastWord) || copyName;
      const isPlural = isPluralWord(lastWord);
      const pluralOk = plurality === null || allowed || (plurality === "plural" ? isPlural : !isPlural || singulars(lastWord)[0] === lastWord);
      const caseOk = tableCase === null || casesOf(table.name).includes(tableCase);
      if (caseOk && pluralOk) return;
      const respelled = pluralOk ? snake : withLastWord(snake, (w) => (plurality === "plural" ? pluralize(w) : (singulars(w)[0] ?? w)));
      const expected = tableCase ? inCase(respelled, tableCase) : respelled;
      const problems = [...(caseOk ? [] : [tableCase!]), ...(pluralOk ? [] : [`${plurality} (the last word "${lastWord}" looks ${isPlural ? "plural" : "singular"})`])];
      report({
        on: on.table(table),
        discriminator: "tables",
        message: `Table ${table.schema}.${table.name} should be ${problems.join(" and ")} (${basis(conventions.tableCase, options.tables, "tables")}); expected ${expected}.`,
        fix: {
          description: `Rename the table to ${expected}${pluralOk ? "" : ", or list it in allowSingular if the name is intended"}.`,
          ...(expected !== table.name ? { sql: `ALTER TABLE ${qualified(table.schema, table.name)} RENAME TO ${quoteIdent(expected)};` } : {}),
        },
      });
    }
  },
});
