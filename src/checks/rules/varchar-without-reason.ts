import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { holds } from "../conventions/tally.js";
import { reportEachOrPolicy } from "../policy.js";
import { authorNotes } from "./_intent.js";
import { defineRule, type Report } from "../types.js";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { isClosedCode } from "./_codes.js";
import { singleColumnPrimaryKey, snake, tableNamesFor } from "./_keys.js";
import { designTables } from "./_shared.js";
import { addCheckSql, columnMatcher, constraintName, STRING_TYPES, viewNote } from "./_types.js";
import { on } from "../subject.js";

/** A column comment that talks about the limit (its number, or words like length, limit, varchar) is the stated reason for it. */
function explainsLimit(comment: string | null, length: string): boolean {
  return comment !== null && (new RegExp(`(?<!\\d)${length}(?!\\d)`).test(comment) || /\b(varchar|length|limit|characters?|chars)\b/i.test(comment));
}

/**
 * RFC 5321 caps an address at 254 characters: varchar(254) or more on an email column is the standard's own limit, a
 * contract that never has to change, while a smaller cap rejects valid addresses.
 */
const EMAIL_MAX = 254;
const isEmail = (column: Column) => /(^|_)e_?mail(_address)?$/.test(snake(column.name));

/**
 * The table and key a string column holds ids of, when that key is not a string (orders.user_id varchar(255) beside
 * users.id uuid): the name part before _id or _uuid names exactly one table, whose one-column primary key is id or the
 * column's own name. There the type, not the limit, is what is wrong.
 */
function referencedKey(model: SchemaModel, table: Table, column: Column): { target: Table; key: Column } | undefined {
  const name = snake(column.name);
  const stem = /^(.+)_(id|uuid)$/.exec(name)?.[1];
  if (!stem) return undefined;
  const names = tableNamesFor(stem);
  const matches = designTables(model).filter((t) => t !== table && names.includes(snake(t.name)));
  const local = matches.filter((t) => t.schema === table.schema);
  const candidates = local.length > 0 ? local : matches;
  if (candidates.length !== 1) return undefined;
  const target = candidates[0]!;
  const key = singleColumnPrimaryKey(target);
  if (!key || !["id", "uuid", name].includes(snake(key.name)) || STRING_TYPES.has(key.baseTypeName)) return undefined;
  return { target, key };
}

export default defineRule({
  meta: {
    id: "varchar-without-reason",
    category: "types",
    severity: "info",
    summary: "Prefer text (with a CHECK on the length when one matters) over varchar(n).",
    rationale:
      "In PostgreSQL varchar(n) and text share one storage format and perform the same; the (n) is only a length check welded into the column type. Changing it later means ALTER COLUMN TYPE: an ACCESS EXCLUSIVE lock on the table, a rewrite of every row when the limit shrinks, and an outright error while a view depends on the column. A CHECK (char_length(col) <= n) states the same limit, and a new one can be added NOT VALID and validated without blocking reads and writes. Numbers like 255 are often inherited from other databases or ORM defaults rather than chosen. Not reported: a code column (a status, state, type, kind or role drawn from a short list of values, which never comes near its limit; whether its values are enforced is status-without-constraint's question), and an email column bounded at 254 characters or more, the limit of the address standard (RFC 5321) itself. A string column that holds the ids of a table keyed by uuid or an integer (refresh_tokens.user_id varchar(255) beside users.id uuid) is reported for its type instead: it should be the key's type. Ignore the rule when the length mirrors a contract with another system that must not drift, or when an ORM owns the schema and would put varchar(n) back: list such columns in allowColumns, or state the reason in a column comment that mentions the limit, which the rule accepts.",
    badExample: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  display_name varchar(50) NOT NULL\n);",
    goodExample:
      "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  display_name text NOT NULL CONSTRAINT users_display_name_length CHECK (char_length(display_name) <= 50)\n);",
    fix: "Convert the column to text (no table rewrite: the two types are binary-compatible) and, if the limit matters, keep it as a CHECK on char_length.",
  },
  options: z
    .object({
      allowColumns: z.array(z.string().min(1)).default([]).describe("Columns allowed to stay varchar(n): \"country_code\", \"*_iso\", \"users.email\" or \"public.users.email\" (`*` within a name part)."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const allowed = columnMatcher(options.allowColumns);
    const found: Report[] = [];
    let eligible = 0;
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.typeName === "text" || (column.typeName === "varchar" && !column.isArray)) eligible++;
        // Plain varchar only: a domain over varchar(n) is a named type whose definition is the place to change it,
        // and an unbounded varchar is already text in all but name.
        if (column.typeName !== "varchar" || column.isArray || column.generated) continue;
        const length = /^character varying\((\d+)\)$/.exec(column.type)?.[1];
        if (!length || allowed(table, column) || authorNotes(column).some((text) => explainsLimit(text, length))) continue;
        // A code from a short list (a status, a type, a role) never comes near its limit: the cap is not what a change would be about.
        if (isClosedCode(table, column, conventions.dialect.value)) continue;
        if (isEmail(column) && Number(length) >= EMAIL_MAX) continue;
        const name = quoteIdent(column.name);
        const target = qualified(table.schema, table.name);
        const reference = referencedKey(model, table, column);
        // Reported on its own even in a varchar house style: the type is wrong, not the habit.
        if (reference) {
          report(wrongTypeFinding(table, column, reference.target, reference.key));
          continue;
        }
        const check = constraintName(table, column, "length");
        const views = viewNote(model, table, column);
        found.push({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} is ${column.type}: PostgreSQL stores it exactly like text, and the ${length}-character limit is part of the type, so changing it needs ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock (a table rewrite to shrink it, an error while a view uses the column), where a CHECK on char_length could be swapped without blocking writes.`,
          fix: {
            description: `Convert to text (binary-compatible, so no rewrite) and keep the ${length}-character limit as a CHECK, validated without blocking writes.${views.note}`,
            sql: `${views.sql}ALTER TABLE ${target} ALTER COLUMN ${name} TYPE text;\n${addCheckSql(table, check, `char_length(${name}) <= ${length}`)}`,
          },
        });
      }
    }
    // Bounded varchar on most string columns is the habit of the ORM or of the team (Hibernate, Prisma's @db.VarChar,
    // ports from other databases, a house style of varchar(255)): one finding. "Most" is a majority, not the 80 %
    // that makes a convention binding: reporting every column of the majority style would report the style itself.
    const stringType = conventions.stringType;
    const houseStyle = stringType.value === "varchar" && (holds(stringType) || stringType.follows * 2 > stringType.of);
    reportEachOrPolicy(report, found, {
      eligible,
      asPolicy: houseStyle && found.length > 1,
      policy: {
        message: "The schema bounds its strings with varchar(n) by habit: each limit is welded into the column type, so raising or lowering one later is an ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock (a rewrite when it shrinks), where a CHECK on char_length could be replaced without blocking writes",
        fix: {
          description:
            "Keep varchar(n) where the limit is a contract that must not drift, and list those in allowColumns; use text with a CHECK (char_length(col) <= n) for new columns, and convert existing ones when a limit next has to change (text is binary-compatible with varchar: no rewrite).",
        },
      },
    });
  },
});

/** A string column that holds the ids of a table keyed by another type: store it as that type. */
function wrongTypeFinding(table: Table, column: Column, target: Table, key: Column): Report {
  const name = quoteIdent(column.name);
  return {
    on: on.column(table, column),
    message: `Column ${table.name}.${column.name} is ${column.type} but holds ${target.name}.${key.name} values, which are ${key.type}: stored as a string, each id takes more space, any malformed text is accepted, comparisons with ${target.name}.${key.name} need a cast, and no foreign key can be declared.`,
    fix: {
      description: `Store it as ${key.type}, the type of ${target.name}.${key.name} (the conversion rewrites the table and fails on any value that is not a valid ${key.type}: find those first), then declare the foreign key if every value has its row.`,
      sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${name} TYPE ${key.type} USING ${name}::${key.type};`,
    },
  };
}
