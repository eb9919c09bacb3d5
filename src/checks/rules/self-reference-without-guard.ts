import { z } from "zod";
import type { Column, Constraint, SchemaModel, Table } from "../../catalog/model.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { foreignKeys, ident, listWords, literal, mentions, newIdent, tableSql, triggerFunctions } from "./_modelling.js";
import { on } from "../subject.js";

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The CHECK expression without its "not my own parent" comparisons (parent_id <> id,
 * id <> parent_id, parent_id IS DISTINCT FROM id): what is left is whatever else the CHECK states.
 */
function withoutSelfInequality(expression: string, column: string, referenced: string): string {
  const c = `"?${escape(column)}"?`;
  const r = `"?${escape(referenced)}"?`;
  return expression
    .replace(new RegExp(`\\(?${c}\\s*(<>|!=|IS DISTINCT FROM)\\s*${r}\\)?`, "gi"), "TRUE")
    .replace(new RegExp(`\\(?${r}\\s*(<>|!=|IS DISTINCT FROM)\\s*${c}\\)?`, "gi"), "TRUE");
}

interface Guard {
  /** The check only keeps a row from being its own parent. */
  selfOnly: Constraint | undefined;
  guarded: boolean;
}

/** What stops `column` (pointing at `referenced` in the same table) from closing a loop. */
function guards(model: SchemaModel, table: Table, column: string, referenced: string, depthWords: Set<string>): Guard {
  let selfOnly: Constraint | undefined;
  for (const check of table.constraints) {
    if (check.type !== "check" || !check.checkExpression || !check.columns.includes(column)) continue;
    const rest = withoutSelfInequality(check.checkExpression, column, referenced);
    // parent_id < id (parents are older), or a rule tying the parent to depth/level/path: a real bound.
    if (mentions(rest, column) && check.columns.some((other) => other !== column && mentions(rest, other))) return { selfOnly, guarded: true };
    if (rest !== check.checkExpression) selfOnly ??= check;
  }
  // A trigger whose function reads the column: a cycle check, a frozen parent, or a maintained depth.
  if (triggerFunctions(model, table).some((f) => mentions(f.body, column))) return { selfOnly, guarded: true };
  // A depth/level column with a CHECK bounds how far a chain can go; next to a CHECK that a row is not its own
  // parent, a depth kept as parent's depth + 1 cannot close a loop either (it would have to grow all the way round).
  const depth = table.columns.filter((c) => c.typeCategory === "N" && wordParts(c.name).some((w) => depthWords.has(w)));
  if (depth.some((d) => table.constraints.some((c) => c.type === "check" && c.columns.includes(d.name)))) return { selfOnly, guarded: true };
  if (selfOnly && depth.length > 0) return { selfOnly, guarded: true };
  // An ltree path, a materialized path (ancestry, traversal_ids) or nested-set bounds (lft/rgt): the tree's shape
  // lives in them, and a move has to rewrite them, which is where the application sees a loop.
  if (table.columns.some((c) => c.baseTypeName === "ltree" || isMaterializedPath(c))) return { selfOnly, guarded: true };
  if (hasNestedSet(table)) return { selfOnly, guarded: true };
  return { selfOnly, guarded: false };
}

/** Words that name a materialized path column on their own (ancestry, ancestor_ids, lineage, traversal_ids). */
const PATH_WORDS = new Set(["ancestry", "ancestors", "ancestor", "lineage", "traversal"]);
/** Words that may surround "path" in a tree path's name (tree_path, materialized_path, path_ids); photo_path or url_path are not. */
const PATH_QUALIFIERS = new Set(["path", "tree", "materialized", "node", "hierarchy", "parent", "parents", "id", "ids"]);

function isMaterializedPath(column: Column): boolean {
  if (column.typeCategory !== "S" && !column.isArray) return false;
  const parts = wordParts(column.name);
  if (parts.some((w) => PATH_WORDS.has(w))) return true;
  return parts.includes("path") && parts.every((w) => PATH_QUALIFIERS.has(w));
}

/** Nested-set bounds: a numeric lft/rgt (or left/right) pair. */
function hasNestedSet(table: Table): boolean {
  const numeric = table.columns.filter((c) => c.typeCategory === "N").map((c) => wordParts(c.name));
  const has = (word: string) => numeric.some((parts) => parts.includes(word) && parts.length <= 2);
  return (has("lft") && has("rgt")) || (has("left") && has("right"));
}

/** A RAISE that stops the statement: EXCEPTION (the default level), not NOTICE, INFO, WARNING, LOG or DEBUG. */
const RAISES_ERROR = /\bRAISE\b(?!\s+(NOTICE|INFO|WARNING|LOG|DEBUG)\b)/i;

/**
 * Trigger functions of the schema that reject rows (RAISE EXCEPTION): the team enforces rules of its
 * data in the database. Without any, rules such as "no cycles" live in the application by the
 * project's design (ORM services, DAOs), and a trigger for this one would be the odd one out.
 */
function validationTriggers(model: SchemaModel): string[] {
  const names = designTables(model).flatMap((table) => triggerFunctions(model, table).filter((f) => RAISES_ERROR.test(f.body)).map((f) => f.name));
  return [...new Set(names)].sort();
}

/** Views and functions that walk the self-reference with WITH RECURSIVE: what a loop would hurt first. */
function recursiveWalkers(model: SchemaModel, table: Table, column: string): string[] {
  // The statement that starts WITH RECURSIVE (up to its semicolon) must read both the table and the column.
  const walks = (text: string) =>
    [...text.matchAll(/\bWITH\s+RECURSIVE\b[^;]*/gi)].some((m) => mentions(m[0], table.name) && mentions(m[0], column));
  return [
    ...model.views.filter((v) => walks(v.definition)).map((v) => `${v.materialized ? "materialized view" : "view"} ${v.name}`),
    ...model.functions.filter((f) => walks(f.body)).map((f) => `function ${f.name}`),
  ];
}

export default defineRule({
  meta: {
    id: "self-reference-without-guard",
    category: "modelling",
    severity: "info",
    summary: "A foreign key from a table to itself (parent_id) with nothing that prevents cycles or bounds the depth.",
    rationale:
      "An adjacency list (parent_id REFERENCES the same table) accepts any graph the application writes, including A → B → A. A single bad move makes recursive queries loop until they hit a limit or run out of memory, breadcrumbs and subtree totals go wrong, and nothing flags it. A CHECK (parent_id <> id) only stops a row from being its own parent; longer loops need a trigger that walks the ancestors (or a rule such as parent_id < id with immutable keys), a bounded depth column kept by trigger, or a different tree encoding (ltree paths, a closure table). The rule counts as guards: a trigger that reads the column, a CHECK that ties the parent to another column (parent_id < id), a depth or level column with a CHECK or next to a CHECK (parent_id <> id), an ltree or materialized path column (path, ancestry, traversal_ids) and nested-set bounds (lft/rgt). When a view or function of the schema walks the reference with WITH RECURSIVE, the finding names it. The rule needs the project to enforce rules of its data in the database: it fires only when some trigger of the schema rejects rows (RAISE EXCEPTION). A schema without one keeps such rules in the application (an ORM service checks that a folder is not moved into its own subtree, DAOs set lineage parents), where a lone cycle trigger would be out of place; a sample database's org chart is in the same position. Concurrent moves can still race a trigger, so run them serializably or lock the tree. Fine to ignore for chains that are only ever appended to by the database itself, such as a version history whose parent is always an older row written in the same transaction.",
    badExample: "-- the schema already refuses bad rows in triggers, e.g. an append-only log\nCREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;\nCREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, action text NOT NULL);\nCREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log\n  FOR EACH ROW EXECUTE FUNCTION refuse_change();\nCREATE TABLE folders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  parent_id bigint REFERENCES folders (id),\n  name text NOT NULL\n);",
    goodExample:
      "CREATE TABLE folders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  parent_id bigint REFERENCES folders (id),\n  name text NOT NULL\n);\nCREATE FUNCTION folders_refuse_cycle() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF EXISTS (WITH RECURSIVE ancestors(id) AS (\n      SELECT NEW.parent_id UNION SELECT f.parent_id FROM folders f JOIN ancestors a ON f.id = a.id)\n    SELECT 1 FROM ancestors WHERE id = NEW.id) THEN\n    RAISE EXCEPTION 'folder % would be its own ancestor', NEW.id;\n  END IF;\n  RETURN NEW;\nEND $$;\nCREATE TRIGGER folders_refuse_cycle BEFORE INSERT OR UPDATE OF parent_id ON folders\n  FOR EACH ROW EXECUTE FUNCTION folders_refuse_cycle();",
    fix: "Add a trigger that rejects a parent which is the row itself or one of its descendants (recursive CTE over the ancestors), or store the tree as ltree paths or a closure table.",
  },
  options: z
    .object({
      depthWords: z
        .array(z.string().min(1))
        .default(["depth", "level"])
        .describe("Words that make a numeric column a depth column: a CHECK on it counts as bounding the tree."),
    })
    .strict(),
  check({ model, options, report }) {
    const depthWords = new Set(options.depthWords.map((w) => w.toLowerCase()));
    // The premise holds only where the team guards its data with triggers; elsewhere the application owns tree rules.
    const guarding = validationTriggers(model);
    if (guarding.length === 0) return;
    const practice = ` The schema already rejects bad rows in triggers (${listWords(guarding.slice(0, 3))}${guarding.length > 3 ? ` and ${guarding.length - 3} more` : ""}), so a cycle guard fits its practice.`;
    for (const table of designTables(model)) {
      for (const fk of foreignKeys(table)) {
        const info = fk.foreignKey!;
        if (info.referencedSchema !== table.schema || info.referencedTable !== table.name) continue;
        // The moving column: the FK column that is not also the referenced one (tenant_id in (tenant_id, parent_id) stays put).
        const pairs = fk.columns.map((name, i) => ({ column: name, referenced: info.referencedColumns[i]! })).filter((p) => p.column !== p.referenced);
        if (pairs.length !== 1) continue;
        const { column, referenced } = pairs[0]!;
        const found = guards(model, table, column, referenced, depthWords);
        if (found.guarded) continue;
        const selfNote = found.selfOnly
          ? ` The CHECK ${found.selfOnly.name} (${found.selfOnly.checkExpression}) only stops a row from being its own parent; a loop through two or more rows is still accepted.`
          : "";
        const walkers = recursiveWalkers(model, table, column);
        const walkNote = walkers.length ? ` ${listWords(walkers)} ${walkers.length === 1 ? "walks" : "walk"} it with WITH RECURSIVE.` : "";
        report({
          on: on.constraint(table, fk),
          message: `Self-reference ${table.name}.${column} → ${table.name}.${referenced} has no guard against cycles: no trigger checks ${column}, and no depth column, materialized path (ltree, ancestry) or nested set bounds the tree.${selfNote}${walkNote}${practice}`,
          fix: {
            description: `Reject a ${column} that is the row itself or one of its descendants with a BEFORE INSERT OR UPDATE OF ${column} trigger that walks the ancestors; or model the tree with ltree paths or a closure table.`,
            sql: fk.columns.length === 1 ? triggerSql(table, column, referenced) : undefined,
          },
        });
      }
    }
  },
});

function triggerSql(table: Table, column: string, referenced: string): string {
  const target = tableSql(table);
  const fn = `${table.name}_prevent_${column}_cycle`;
  const fnName = table.schema === "public" ? newIdent(fn) : `${ident(table.schema)}.${newIdent(fn)}`;
  const c = ident(column);
  const r = ident(referenced);
  return [
    `CREATE FUNCTION ${fnName}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    `BEGIN`,
    `  IF NEW.${c} IS NOT NULL AND (NEW.${c} = NEW.${r} OR EXISTS (`,
    `       WITH RECURSIVE ancestors (${r}, ${c}) AS (`,
    `         SELECT t.${r}, t.${c} FROM ${target} AS t WHERE t.${r} = NEW.${c}`,
    `         UNION`,
    `         SELECT t.${r}, t.${c} FROM ${target} AS t JOIN ancestors AS a ON t.${r} = a.${c})`,
    `       SELECT 1 FROM ancestors WHERE ancestors.${r} = NEW.${r})) THEN`,
    `    RAISE EXCEPTION ${literal(`${table.name} %: ${column} % would create a cycle`)}, NEW.${r}, NEW.${c}`,
    `      USING ERRCODE = 'check_violation';`,
    `  END IF;`,
    `  RETURN NEW;`,
    `END $$;`,
    `CREATE TRIGGER ${newIdent(fn)} BEFORE INSERT OR UPDATE OF ${c} ON ${target}`,
    `  FOR EACH ROW EXECUTE FUNCTION ${fnName}();`,
  ].join("\n");
}
