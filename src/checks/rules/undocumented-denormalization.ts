import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified } from "../naming.js";
import { defineRule } from "../types.js";
import { noteStating } from "./_intent.js";
import { designTables, wordParts } from "./_shared.js";
import { on } from "../subject.js";
import {
  findTable,
  foreignKeyColumns,
  foreignKeys,
  ident,
  isBookkeepingColumn,
  isUniqueAlone,
  listWords,
  literal,
  mentions,
  pluralName,
  primaryKeyColumns,
  singularName,
  snakeName,
  tableForStem,
  tableSql,
  triggerFunctions,
} from "./_modelling.js";

/** Last words of columns that say they hold a stored copy. */
const COPY_WORDS = new Set(["snapshot", "cache", "cached"]);

interface Source {
  table: Table;
  column: Column;
  constraint: string;
}

/** Booleans and timestamps record the row's own state and events (is_active, completed_at) far more often than a copy. */
const OWN_VALUE_TYPES = new Set(["B", "D"]);
/** Documents (settings, options) on a parent and a child are defaults and overrides, not copies. */
const DOCUMENT_TYPES = new Set(["json", "jsonb", "xml"]);

/**
 * Whether the foreign key is the row's owning reference, named after the table it points to
 * (customer_id → customers, jobId → background_jobs), rather than a role (support_rep_id → employees,
 * manager_id): a role points at a peer whose own attributes merely share names with this row's.
 */
function namesItsTable(columns: string[], table: Table, referencedTable: string): boolean {
  const referenced = wordParts(referencedTable);
  const referencedForms = new Set([referenced.join("_"), singularName(referenced.join("_"))]);
  return columns.some((name) => {
    if (table.columns.find((c) => c.name === name) === undefined) return false;
    const parts = wordParts(name);
    const stem = (parts.at(-1) === "id" || parts.at(-1) === "code" || parts.at(-1) === "key" ? parts.slice(0, -1) : parts).join("_");
    if (!stem) return false;
    return [...referencedForms].some((form) => form === stem || form.endsWith(`_${stem}`) || stem.endsWith(`_${form}`));
  });
}

/** What a note says when it documents a copy: snapshot or cache, where it comes from, what keeps it current. */
const COPY_NOTE: readonly RegExp[] = [
  /\b(snapshot|cache[sd]?|caching|cop(y|ied|ies)|denormali[sz]\w*|duplicat\w*|mirror\w*)\b/i,
  /\b(in sync|synced|synchroni[sz]\w*|kept (current|up to date)|maintained by|updated by|refreshed|recomputed|trigger)\b/i,
  /\b(never (changes|updated|change)|frozen|as of|at the time of|at (checkout|purchase|order time|sale))\b/i,
];

/**
 * A column is documented by a COMMENT ON (any text: the author chose to explain it), or by the SQL comment next to
 * its definition when that says it is a snapshot or a cache and what keeps it current ("-- also products.price" does not).
 */
const documented = (col: Column) => (col.comment ?? "").trim().length > 0 || (col.provenance.note !== undefined && noteStating([{ comment: null, provenance: col.provenance }], COPY_NOTE) !== undefined);

/** A reference by name (customer_id, organisationId): copying it gives a second path to the thing, not a copied value. */
function isReferenceName(name: string): boolean {
  const parts = wordParts(name);
  return parts.length > 1 && parts.at(-1) === "id";
}

/** status_message, state_reason: the row's own state, not its parent's, whatever the names share. */
const OWN_STATE_WORDS = new Set(["status", "state"]);
/** vendor_type, account_kind: a classification, fixed when the parent is created; children copy it to filter by it. */
const CLASSIFICATION_WORDS = new Set(["type", "kind", "category"]);
/** Names of a content hash: a value derived from the content, so it changes only as a new object. */
const CONTENT_HASH_WORDS = new Set(["digest", "hash", "checksum", "sha", "sha1", "sha256", "md5"]);
const QUANTITY_WORDS = new Set(["quantity", "qty"]);

/**
 * A line of an order or invoice (it has a quantity) records a sale: a price or amount copied from the product is the
 * price at the time of the sale, a snapshot by definition, which every reader of such a schema expects.
 */
function isSaleLineAmount(table: Table, col: Column): boolean {
  return col.typeCategory === "N" && table.columns.some((c) => c !== col && wordParts(c.name).some((w) => QUANTITY_WORDS.has(w)));
}

/**
 * A content-addressed parent (a NOT NULL content hash in one of its unique keys: blobs, artifacts, packages by digest)
 * never changes the content it stands for: what a child copies of it cannot drift.
 */
function isContentAddressed(table: Table): boolean {
  const hashed = (name: string) => {
    const column = table.columns.find((c) => c.name === name);
    return column !== undefined && column.notNull && CONTENT_HASH_WORDS.has(wordParts(name).at(-1) ?? "");
  };
  return table.indexes.some((index) => index.unique && index.valid && index.predicate === null && index.keys.some((k) => k.column !== null && hashed(k.column)));
}

/**
 * A unique key on the reference and the column: two children of one parent never share the value, so it cannot
 * be a copy of the parent's (a user's several MFA factors, each with its own phone).
 */
function uniquePerParent(table: Table, fkColumns: string[], col: Column): boolean {
  const wanted = new Set([...fkColumns, col.name]);
  return table.indexes.some((index) => {
    if (!index.unique || !index.valid) return false;
    const keys = index.keys.map((k) => k.column);
    return keys.length === wanted.size && keys.every((k) => k !== null && wanted.has(k));
  });
}

/**
 * Whether a trigger keeps the copy honest: one on this table whose function reads the source table and
 * names the column, or one on the source table whose function names this table and the column.
 */
function maintainedByTrigger(model: SchemaModel, table: Table, col: Column, sources: Table[]): boolean {
  if (triggerFunctions(model, table).some((f) => mentions(f.body, col.name) && sources.some((s) => mentions(f.body, s.name)))) return true;
  return sources.some((s) => triggerFunctions(model, s).some((f) => mentions(f.body, col.name) && mentions(f.body, table.name)));
}

export default defineRule({
  meta: {
    id: "undocumented-denormalization",
    category: "modelling",
    severity: "info",
    summary: "A column that copies a value from a referenced table (or is named *_snapshot, *_cache, *_count) has no comment saying why and what keeps it in sync.",
    rationale:
      "A copied value is either a snapshot that must never change (the price on an invoice line) or a cache that must follow the original (a customer's email on an order, a comment count). The schema cannot tell which, so sooner or later someone 'fixes' a snapshot by syncing it, or forgets to refresh a cache and readers see stale data. A column comment that says which it is, and what keeps it current (a trigger, a job, the application at write time), keeps that decision visible where the next person looks. The rule matches columns by exact name and type on a table a foreign key points to (generic names and bookkeeping columns are skipped, see ignoreColumns), and by names that announce a copy of something the schema holds (a *_cache of data fetched from elsewhere copies nothing of it); a trigger that reads the source table and names the column counts as the sync mechanism, and so does a SQL comment next to the column that says it is a snapshot or a cache. Copied references (customer_id on both: a second path to the same thing), the row's own state (status_message), classifications (vendor_type: fixed when the parent is created, copied to filter by it), the price or amount on a sale line that has a quantity (the price at the time of the sale, a snapshot by definition), copies from a content-addressed parent (one keyed by its digest, whose content never changes), values unique per parent (a factor's phone, unique with user_id) and tables a library owns are left alone. Ignore it when the matching name is a coincidence: the value is the row's own.",
    badExample:
      "CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, unit_price numeric(12,2) NOT NULL);\nCREATE TABLE order_items (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  product_id bigint NOT NULL REFERENCES products (id),\n  unit_price numeric(12,2) NOT NULL -- also products.unit_price\n);",
    goodExample:
      "CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, unit_price numeric(12,2) NOT NULL);\nCREATE TABLE order_items (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  product_id bigint NOT NULL REFERENCES products (id),\n  unit_price numeric(12,2) NOT NULL\n);\nCOMMENT ON COLUMN order_items.unit_price IS 'Snapshot of products.unit_price at checkout; never updated afterwards.';",
    fix: "Add a COMMENT ON COLUMN that says whether the value is a frozen snapshot or a cache, where it comes from and what keeps it in sync (or drop the copy and join).",
  },
  options: z
    .object({
      ignoreColumns: z
        .array(z.string().min(1))
        .default([
          "created_at", "updated_at", "deleted_at", "created_by", "updated_by", "deleted_by",
          "name", "title", "description", "body", "content", "notes", "comment", "slug", "label",
          "status", "state", "type", "kind", "position", "sort_order", "version", "metadata", "data", "settings", "options",
        ])
        .describe("Column names never taken for copies: bookkeeping columns and generic names that most tables have for their own rows."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const ignored = new Set(options.ignoreColumns.map(snakeName));
    // A library's tables (an auth adapter's Account) are the library's design, including what it copies.
    for (const table of designTables(model).filter((t) => !conventions.libraryTables.has(`${t.schema}.${t.name}`))) {
      const referencing = foreignKeyColumns(table);
      const keys = new Set(primaryKeyColumns(table).map((c) => c.name));
      const fks = foreignKeys(table).filter((fk) => {
        const info = fk.foreignKey!;
        return !(info.referencedSchema === table.schema && info.referencedTable === table.name);
      });
      for (const col of table.columns) {
        if (documented(col) || referencing.has(col.name) || keys.has(col.name) || col.generated || col.identity || col.isSerial) continue;
        const snake = snakeName(col.name);

        const named = namedCopy(table, col);
        if (named) {
          // A counter kept by a trigger on the child table is maintained in the database itself.
          if (named.source && maintainedByTrigger(model, table, col, [named.source])) continue;
          report({
            on: on.column(table, col),
            discriminator: "named",
            message: `Column ${table.name}.${col.name} ${named.reason}, but has no comment saying what it copies and what keeps it in sync.`,
            fix: commentFix(table, col, []),
          });
          continue;
        }

        if (ignored.has(snake) || isBookkeepingColumn(col) || OWN_VALUE_TYPES.has(col.typeCategory) || DOCUMENT_TYPES.has(col.baseTypeName)) continue;
        if (OWN_STATE_WORDS.has(wordParts(col.name)[0] ?? "") || CLASSIFICATION_WORDS.has(wordParts(col.name).at(-1) ?? "") || isReferenceName(col.name)) continue;
        if (isSaleLineAmount(table, col)) continue;
        // A DEFAULT fills the column from the row itself, and a unique value cannot repeat a parent's for many children.
        if (col.default !== null || isUniqueAlone(table, col.name)) continue;
        const sources: Source[] = [];
        for (const fk of fks) {
          const info = fk.foreignKey!;
          const parent = findTable(model, info.referencedSchema, info.referencedTable);
          if (!parent || isContentAddressed(parent)) continue;
          // Without a parent there is nothing to copy from: a NOT NULL value next to an optional reference is the row's own.
          if (col.notNull && fk.columns.some((name) => !table.columns.find((c) => c.name === name)?.notNull)) continue;
          if (!namesItsTable(fk.columns, table, info.referencedTable)) continue;
          if (uniquePerParent(table, fk.columns, col)) continue;
          const match = parent.columns.find((c) => c.name === col.name && c.typeName === col.typeName);
          if (!match || primaryKeyColumns(parent).some((k) => k.name === match.name) || info.referencedColumns.includes(match.name)) continue;
          // A copied reference (user_id on both) is a second path to a third table, not a copied value: the actor of an audit row and the owner of its subject share the name.
          if (foreignKeyColumns(parent).has(match.name)) continue;
          sources.push({ table: parent, column: match, constraint: fk.name });
        }
        if (sources.length === 0) continue;
        if (maintainedByTrigger(model, table, col, sources.map((s) => s.table))) continue;
        const from = listWords(sources.map((s) => `${qualified(s.table.schema, s.table.name)}.${s.column.name} (via ${s.constraint})`));
        report({
          on: on.column(table, col),
          discriminator: "copy",
          message: `Column ${table.name}.${col.name} looks like a copy of ${from}: same name and type on a table this one references (a guess from names), but it has no comment saying whether it is a snapshot or a cache and what keeps it in sync.`,
          fix: commentFix(table, col, sources),
        });
      }
    }

    /**
     * Whether the schema holds what a *_cache / *_snapshot column is named after: a column of that name (body_html_cached
     * from body, the stem starting with a column's name), a table's column (author_name from authors.name), or a table.
     */
    function holdsSource(table: Table, col: Column, stem: string): boolean {
      if (tableForStem(model, table.schema, stem)) return true;
      return model.tables.some((t) =>
        t.columns.some((c) => {
          if (t === table && c === col) return false;
          const name = snakeName(c.name);
          const qualifiedName = `${singularName(snakeName(t.name))}_${name}`;
          return [name, qualifiedName].some((n) => stem === n || stem.startsWith(`${n}_`));
        }),
      );
    }

    /** Why a column's name says it holds a copy (and, for a counter cache, the table counted), or null. */
    function namedCopy(table: Table, col: Column): { reason: string; source?: Table } | null {
      const parts = wordParts(col.name);
      const last = parts.at(-1) ?? "";
      // A cache of something the schema does not hold (a certificate fetched from a provider) copies nothing of it.
      if (parts.length > 1 && COPY_WORDS.has(last) && holdsSource(table, col, parts.slice(0, -1).join("_"))) return { reason: `is named as a stored copy (*_${last})` };
      if (parts.length > 1 && last === "count" && col.typeCategory === "N") {
        // A counter cache: <children>_count on a table the children reference.
        const stem = parts.slice(0, -1).join("_");
        const children = model.tables.find(
          (t) =>
            t !== table &&
            (t.name === stem || t.name === pluralName(stem)) &&
            foreignKeys(t).some((fk) => fk.foreignKey!.referencedSchema === table.schema && fk.foreignKey!.referencedTable === table.name),
        );
        if (children) {
          return {
            reason: `looks like a counter cache of ${qualified(children.schema, children.name)} rows (guessed from its name: ${children.name} references ${table.name})`,
            source: children,
          };
        }
      }
      return null;
    }
  },
});

function commentFix(table: Table, col: Column, sources: Source[]) {
  const origin = sources.length ? sources.map((s) => `${s.table.name}.${s.column.name}`).join(" / ") : "<source>";
  const text = `Copy of ${origin}: <snapshot taken when …, never updated | cache kept in sync by …>.`;
  return {
    description: `Say in a column comment whether ${col.name} is a frozen snapshot or a cache, where it comes from and what keeps it in sync; or drop it and join.`,
    sql: `COMMENT ON COLUMN ${tableSql(table)}.${ident(col.name)} IS ${literal(text)};`,
  };
}
