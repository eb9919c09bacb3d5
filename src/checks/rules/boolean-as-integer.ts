import { z } from "zod";
import type { Column, Constraint } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { checksOn, defaultString, describeType, distinctValues, INTEGER_TYPES, resolveType, type ResolvedType, viewNote } from "./_types.js";
import { on } from "../subject.js";

/** Word parts that make an is_/has_/can_ name a count, level or code rather than a yes/no flag. */
const NOT_A_FLAG = new Set([
  "count", "counts", "num", "number", "level", "mode", "type", "kind", "state", "status", "flags", "mask", "bits",
  "version", "order", "priority", "score", "rank", "id", "index", "code",
]);

const TRUE_STRINGS = ["1", "t", "T", "y", "Y"];

type Storage = "integer" | "character" | "bit";

/** How the flag is stored, or undefined when the type is not a two-state stand-in for boolean. */
function storage(resolved: ResolvedType): Storage | undefined {
  if (INTEGER_TYPES.has(resolved.base)) return "integer";
  if (resolved.base === "char") return "character";
  if (resolved.base === "bpchar" && resolved.formatted === "character(1)") return "character";
  if (resolved.base === "varchar" && resolved.formatted === "character varying(1)") return "character";
  if (resolved.base === "bit" && resolved.formatted === "bit(1)") return "bit";
  return undefined;
}

/** A CHECK on this column alone that allows more than two values: a tri-state or a level, not a flag. */
function allowsMoreThanTwo(check: Constraint, kind: Storage): boolean {
  const expression = check.checkExpression ?? "";
  if (kind === "integer") {
    const numbers = [...expression.replace(/"[^"]*"|'[^']*'|\b[a-z_][\w$]*/gi, " ").matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0]));
    return numbers.some((n) => n !== 0 && n !== 1);
  }
  const literals = new Set([...expression.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]));
  return literals.size > 2;
}

/** The boolean a default stands for, or undefined when it is not a plain 0/1, 'y'/'n' style constant. */
function defaultBoolean(column: Column, kind: Storage): boolean | undefined {
  const text = column.default?.trim();
  if (!text) return undefined;
  if (kind === "integer") {
    const number = /^\(?'?(-?\d+)'?\)?(?:::[\w\s]+)?$/.exec(text)?.[1];
    return number === undefined ? undefined : Number(number) !== 0;
  }
  if (kind === "bit") {
    const bit = /^B'([01])'/.exec(text)?.[1] ?? defaultString(column);
    return bit === "1" ? true : bit === "0" ? false : undefined;
  }
  const value = defaultString(column)?.toLowerCase();
  if (value === undefined) return undefined;
  if (["1", "t", "y", "true", "yes"].includes(value)) return true;
  if (["0", "f", "n", "false", "no"].includes(value)) return false;
  return undefined;
}

export default defineRule({
  meta: {
    id: "boolean-as-integer",
    category: "types",
    severity: "warning",
    summary: "Store yes/no flags (is_*, has_*, can_*) as boolean, not as numbers or one-character codes.",
    rationale:
      "A flag kept in an integer or a char(1) accepts 2, -1, 'x' or a lower-case 'y' unless a CHECK says otherwise, and the code around it drifts: one query tests = 1, another <> 0, a third = 'Y', and each treats the odd values differently. boolean holds exactly true, false or NULL, reads naturally in WHERE clauses and partial indexes (WHERE is_active), and maps to the client language's boolean. It is usually a leftover from MySQL or Oracle, which lacked a real boolean. Ignore the rule when the column is really a small count or level despite its name, or when a legacy client insists on 0/1.",
    badExample: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  is_active smallint NOT NULL DEFAULT 1\n);",
    goodExample: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  is_active boolean NOT NULL DEFAULT true\n);",
    fix: "Convert the column with ALTER COLUMN ... TYPE boolean USING (col <> 0) (or col IN ('1', 't', 'y') for character codes), dropping and re-setting the default around it.",
  },
  options: z
    .object({
      prefixes: z.array(z.string().min(1)).default(["is", "has", "can"]).describe("Name prefixes of yes/no flags, as the first word of the name (is_active, isActive)."),
    })
    .strict(),
  check({ model, options, report }) {
    const prefixes = new Set(options.prefixes.map((p) => p.toLowerCase().replace(/_+$/, "")));
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.isArray || column.generated || column.identity || column.isSerial) continue;
        const parts = wordParts(column.name);
        if (parts.length < 2 || !prefixes.has(parts[0]!) || parts.some((part) => NOT_A_FLAG.has(part))) continue;
        const resolved = resolveType(model, column);
        const kind = storage(resolved);
        if (!kind) continue;
        const checks = checksOn(table, column);
        const ownChecks = checks.filter((c) => c.columns.length === 1);
        if (ownChecks.some((c) => allowsMoreThanTwo(c, kind))) continue;
        if (table.constraints.some((c) => c.type === "foreign-key" && c.columns.includes(column.name))) continue;
        const distinct = distinctValues(table, column);
        if (distinct !== undefined && distinct > 2) continue;

        const name = quoteIdent(column.name);
        const target = qualified(table.schema, table.name);
        const using =
          kind === "integer" ? `${name} <> 0` : kind === "bit" ? `${name} = B'1'` : `${name} IN (${TRUE_STRINGS.map((s) => `'${s}'`).join(", ")})`;
        const views = viewNote(model, table, column);
        const steps: string[] = [];
        if (column.default !== null) steps.push(`ALTER TABLE ${target} ALTER COLUMN ${name} DROP DEFAULT;`);
        for (const check of ownChecks) steps.push(`ALTER TABLE ${target} DROP CONSTRAINT ${quoteIdent(check.name)};`);
        steps.push(`ALTER TABLE ${target} ALTER COLUMN ${name} TYPE boolean USING (${using});`);
        const mapped = defaultBoolean(column, kind);
        if (column.default !== null && mapped !== undefined) steps.push(`ALTER TABLE ${target} ALTER COLUMN ${name} SET DEFAULT ${mapped};`);
        const shared = checks.length - ownChecks.length;
        const notes = [
          ownChecks.length > 0 ? "its CHECKs on the old values are dropped (boolean needs none)" : "",
          shared > 0 ? "CHECKs that combine it with other columns must be rewritten for boolean first" : "",
          column.default !== null && mapped === undefined ? `set a new default by hand (the old one, ${column.default}, has no boolean meaning)` : "",
          "queries and partial indexes comparing it with numbers or letters must change with it",
        ].filter(Boolean);
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} looks like a yes/no flag (guessed from the "${parts[0]}" prefix) but is ${describeType(resolved, column)}: it accepts values other than yes and no, and every query has to agree on which values mean true.`,
          fix: {
            description: `Convert to boolean (a table rewrite under an ACCESS EXCLUSIVE lock): ${kind === "integer" ? "0 becomes false, anything else true" : kind === "bit" ? "B'1' becomes true" : `${TRUE_STRINGS.join("/")} become true, anything else false`}; ${notes.join("; ")}.${views.note}`,
            sql: views.sql + steps.join("\n"),
          },
        });
      }
    }
  },
});
