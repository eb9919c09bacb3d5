import { z } from "zod";
import type { Column, SchemaModel } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnPath, designTables } from "./_shared.js";

/** The column's type with a domain replaced by its base type, so a domain over bigint matches bigint. */
function effectiveType(model: SchemaModel, column: Column): string {
  if (column.typeName === column.baseTypeName) return column.type;
  const domain = model.domains.find((d) => d.schema === column.typeSchema && d.name === column.typeName);
  return domain?.baseType ?? column.type;
}

export default defineRule({
  meta: {
    id: "foreign-key-type-mismatch",
    category: "relationships",
    severity: "error",
    summary: "A foreign key column should have exactly the type of the column it references.",
    rationale:
      "A reference holds the same value as the key it points to, so a different type is nearly always an oversight that surfaces later: an integer column pointing at a bigint key starts rejecting inserts once the parent's ids pass two billion, and a varchar(50) pointing at text rejects longer keys. Some type pairs also force a cast during joins and referential checks, which can keep the planner away from the index on one side. Domains are compared by their base type; there is hardly ever a good reason to keep a mismatch.",
    badExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id integer NOT NULL REFERENCES users (id)\n);",
    goodExample:
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id)\n);",
    fix: "Change the referencing column to the referenced column's type (this rewrites the table, so plan it on a large one).",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const constraint of table.constraints) {
        const fk = constraint.foreignKey;
        if (constraint.type !== "foreign-key" || !fk) continue;
        const parent = model.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
        if (!parent) continue;
        constraint.columns.forEach((name, i) => {
          const column = table.columns.find((c) => c.name === name);
          const referenced = parent.columns.find((c) => c.name === fk.referencedColumns[i]);
          if (!column || !referenced) return;
          if (effectiveType(model, column) === effectiveType(model, referenced)) return;
          report({
            object: { kind: "column", path: columnPath(table, column) },
            discriminator: constraint.name,
            message: `Column ${table.name}.${column.name} is ${column.type} but its foreign key ${constraint.name} references ${parent.name}.${referenced.name}, which is ${referenced.type}.`,
            location: column.provenance.location ?? constraint.provenance.location,
            statements: [...new Set([...column.provenance.statements, ...constraint.provenance.statements])],
            fix: {
              description: `Change ${table.name}.${column.name} to ${referenced.type}, the type of the referenced column.`,
              sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${quoteIdent(column.name)} TYPE ${referenced.type};`,
            },
          });
        });
      }
    }
  },
});
