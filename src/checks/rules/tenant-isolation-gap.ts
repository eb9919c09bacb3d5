import { z } from "zod";
import type { Constraint, Index, Table } from "../../catalog/model.js";
import { ESTABLISHED_SHARE, MIN_OBJECTS } from "../conventions/types.js";
import { defineRule, type Report } from "../types.js";
import { plainKeyColumns } from "./_keys.js";
import { ident, newIdent, tableSql } from "./_modelling.js";
import { designTables, wordParts } from "./_shared.js";
import { on } from "../subject.js";

/** What a tenant key is usually named after (tenant_id, organization_id…): preferred when two columns are equally common. */
const TENANT_WORDS = new Set(["tenant", "organization", "organisation", "org", "workspace", "account", "company"]);

function tenantNamed(column: string): boolean {
  const words = wordParts(column);
  return words.at(-1) === "id" && TENANT_WORDS.has(words.slice(0, -1).join("_"));
}

interface Tenancy {
  /** The table every tenant-scoped row points at. */
  tenants: Table;
  /** The column that points at it, the same name on most tables. */
  column: string;
  /** The tables that carry it. */
  keyed: Set<Table>;
}

const tableId = (schema: string, name: string) => `${schema}.${name}`;

/** A single-column foreign key on the column, to the tenants table. */
function tenantReference(table: Table, tenancy: Pick<Tenancy, "tenants" | "column">): Constraint | undefined {
  return table.constraints.find(
    (c) =>
      c.type === "foreign-key" &&
      c.columns.length === 1 &&
      c.columns[0] === tenancy.column &&
      tableId(c.foreignKey!.referencedSchema, c.foreignKey!.referencedTable) === tableId(tenancy.tenants.schema, tenancy.tenants.name),
  );
}

/**
 * The schema's tenancy, read from the catalog: one column, under the same name, that is a foreign key to the same
 * table on at least half of the other tables (and on MIN_OBJECTS of them): tenant_id, organization_id, or kratos'
 * nid to networks. Without one, the schema is not multi-tenant.
 */
function tenancyOf(tables: Table[], all: Table[]): Tenancy | undefined {
  const counts = new Map<string, { tenants: Table; column: string; keyed: Set<Table> }>();
  for (const table of tables) {
    for (const c of table.constraints) {
      if (c.type !== "foreign-key" || !c.foreignKey || c.columns.length !== 1) continue;
      const tenants = all.find((t) => t.schema === c.foreignKey!.referencedSchema && t.name === c.foreignKey!.referencedTable);
      if (!tenants || tenants === table) continue;
      const key = `${tableId(tenants.schema, tenants.name)}:${c.columns[0]}`;
      const entry = counts.get(key) ?? { tenants, column: c.columns[0]!, keyed: new Set<Table>() };
      entry.keyed.add(table);
      counts.set(key, entry);
    }
  }
  const best = [...counts.values()].sort((a, b) => b.keyed.size - a.keyed.size || Number(tenantNamed(b.column)) - Number(tenantNamed(a.column)))[0];
  if (!best || best.keyed.size < MIN_OBJECTS || best.keyed.size < (tables.length - 1) / 2) return undefined;
  return best;
}

/** Foreign keys of the table to tenant-scoped tables, by the table they reference. */
function scopedReferences(table: Table, tenancy: Tenancy, tables: Table[]): { constraint: Constraint; parent: Table }[] {
  return table.constraints.flatMap((c) => {
    if (c.type !== "foreign-key" || !c.foreignKey) return [];
    const parent = tables.find((t) => t.schema === c.foreignKey!.referencedSchema && t.name === c.foreignKey!.referencedTable);
    return parent && parent !== table && tenancy.keyed.has(parent) ? [{ constraint: c, parent }] : [];
  });
}

/** Unique keys other than the primary key: constraints and unique indexes, with their plain columns. */
function uniqueKeys(table: Table): { index: Index; columns: string[] }[] {
  return table.indexes.flatMap((index) => {
    if (!index.unique || index.primary) return [];
    const columns = plainKeyColumns(index);
    return columns ? [{ index, columns }] : [];
  });
}

/** A key that is unique across all tenants by construction: one uuid column (a token, an external id). */
function globallyUnique(table: Table, columns: string[]): boolean {
  return columns.length === 1 && table.columns.find((c) => c.name === columns[0])?.baseTypeName === "uuid";
}

/** Whether most of the cases (MIN_OBJECTS or more, or two when there are few) follow the habit. */
function habit(followed: number, of: number, min = MIN_OBJECTS): boolean {
  return of >= min && followed / of >= ESTABLISHED_SHARE;
}

export default defineRule({
  meta: {
    id: "tenant-isolation-gap",
    category: "modelling",
    severity: "info",
    summary: "In a multi-tenant schema, tenant rows carry the tenant key, and their unique keys and references include it, as the schema's other tables do.",
    rationale:
      "When most tables carry a tenant key (tenant_id, organization_id, account_id… a foreign key to the same table), isolation rests on every query and policy filtering by it. A child table that holds tenant data without the column can only be filtered through a join, which row-level security policies and hand-written queries forget; a unique key without the tenant column makes one tenant's value block another's (and tells them it exists); a reference that does not include the tenant column lets a row point at another tenant's parent. The rule reads the tenancy from the catalog (in each schema, one column that is a foreign key to the same table on at least half of its tables) and reports only where a table breaks the schema's own habit: a child of tenant-scoped tables without the column where 80 % of such children have it, a unique key without it where 80 % of the tenant tables' unique keys include it, a reference without it where 80 % of the references between tenant tables are composite, row-level security off where 80 % of the tenant tables enable it with a policy. Global tables (users, plans), single uuid keys and schemas that scope through joins by design are left alone.",
    badExample:
      "CREATE TABLE tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n-- the schema's other tenant tables scope their unique keys by tenant\nCREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, email text NOT NULL, UNIQUE (tenant_id, email));\nCREATE TABLE teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, name text NOT NULL, UNIQUE (tenant_id, name));\nCREATE TABLE labels (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, name text NOT NULL, UNIQUE (tenant_id, name));\nCREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, number text NOT NULL, UNIQUE (tenant_id, number));\nCREATE TABLE projects (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  tenant_id bigint NOT NULL REFERENCES tenants,\n  slug text NOT NULL,\n  UNIQUE (slug)\n);",
    goodExample:
      "CREATE TABLE tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n-- the schema's other tenant tables scope their unique keys by tenant\nCREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, email text NOT NULL, UNIQUE (tenant_id, email));\nCREATE TABLE teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, name text NOT NULL, UNIQUE (tenant_id, name));\nCREATE TABLE labels (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, name text NOT NULL, UNIQUE (tenant_id, name));\nCREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, number text NOT NULL, UNIQUE (tenant_id, number));\nCREATE TABLE projects (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  tenant_id bigint NOT NULL REFERENCES tenants,\n  slug text NOT NULL,\n  UNIQUE (tenant_id, slug),\n  UNIQUE (tenant_id, id)\n);",
    fix: "Add the tenant column (filled from the parent row, then NOT NULL), put it first in the unique key, or make the reference composite over (tenant column, key) against a UNIQUE (tenant column, key) of the parent; `schemawise pattern multi-tenant` writes the column, the keys and the row-level security policies.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    // Each schema has its tenancy or none: an auth or reporting schema beside the tenant data is not held to it.
    const schemas = new Map<string, Table[]>();
    for (const table of designTables(model)) schemas.set(table.schema, [...(schemas.get(table.schema) ?? []), table]);
    for (const tables of schemas.values()) checkSchema(tables, designTables(model), report);
  },
});

function checkSchema(tables: Table[], all: Table[], report: (finding: Report) => void): void {
  const tenancy = tenancyOf(tables, all);
  if (!tenancy) return;
  const { tenants, column } = tenancy;
  const others = tables.filter((t) => t !== tenants);

  // Children of tenant-scoped tables: rows that belong to a tenant through a required parent.
  const children = others.filter((t) => scopedReferences(t, tenancy, tables).some(({ constraint }) => constraint.columns.every((col) => t.columns.find((c) => c.name === col)?.notNull)));
  const carrying = children.filter((t) => tenancy.keyed.has(t));
  if (habit(carrying.length, children.length)) {
    for (const table of children.filter((t) => !tenancy.keyed.has(t))) report(missing(table, tenancy, tables));
  }

  const keyed = [...tenancy.keyed];
  const uniques = keyed.flatMap((t) => uniqueKeys(t).filter((u) => !globallyUnique(t, u.columns)).map((u) => ({ table: t, ...u })));
  if (habit(uniques.filter((u) => u.columns.includes(column)).length, uniques.length)) {
    for (const u of uniques.filter((x) => !x.columns.includes(column))) report(unscopedUnique(u.table, u.index, u.columns, column));
  }

  // Row-level security: where most tenant tables enforce isolation in the database, one that does not is the hole.
  const secured = keyed.filter((t) => t.rowSecurity?.enabled && t.rowSecurity.policies > 0);
  if (habit(secured.length, keyed.length)) {
    for (const table of keyed.filter((t) => !t.rowSecurity?.enabled)) report(withoutRowSecurity(table, column, secured.length, keyed.length));
  }

  const references = keyed.flatMap((t) => scopedReferences(t, tenancy, tables).filter(({ parent }) => tenancy.keyed.has(parent)).map((r) => ({ table: t, ...r })));
  if (habit(references.filter((r) => r.constraint.columns.includes(column)).length, references.length)) {
    for (const r of references.filter((x) => !x.constraint.columns.includes(column))) report(unscopedReference(r.table, r.constraint, r.parent, column));
  }
}

function missing(table: Table, tenancy: Tenancy, tables: Table[]): Report {
  const { constraint, parent } = scopedReferences(table, tenancy, tables)[0]!;
  const tenantKey = tenantReference(parent, tenancy)!;
  const type = parent.columns.find((c) => c.name === tenancy.column)?.type ?? "bigint";
  const target = tableSql(table);
  const col = ident(tenancy.column);
  const join = constraint.columns.map((c, i) => `p.${ident(constraint.foreignKey!.referencedColumns[i]!)} = t.${ident(c)}`).join(" AND ");
  return {
    on: on.table(table),
    discriminator: "missing",
    message: `Table ${table.schema}.${table.name} holds rows of a tenant (through ${constraint.columns.join(", ")} → ${parent.name}) but has no ${tenancy.column}, which most tables of this schema that belong to a tenant carry: its rows can be filtered by tenant only through a join.`,
    fix: {
      description: `Add ${tenancy.column}, fill it from ${parent.name}, then make it NOT NULL and reference ${tenancy.tenants.name}; \`schemawise pattern multi-tenant --table ${table.name}\` writes the column with row-level security.`,
      sql:
        `ALTER TABLE ${target} ADD COLUMN ${col} ${type} REFERENCES ${tableSql(tenancy.tenants)} (${tenantKey.foreignKey!.referencedColumns.map(ident).join(", ")});\n` +
        `UPDATE ${target} AS t SET ${col} = p.${col} FROM ${tableSql(parent)} AS p WHERE ${join};\n` +
        `ALTER TABLE ${target} ALTER COLUMN ${col} SET NOT NULL;`,
    },
  };
}

function withoutRowSecurity(table: Table, column: string, secured: number, of: number): Report {
  const type = table.columns.find((c) => c.name === column)?.type ?? "bigint";
  const target = tableSql(table);
  return {
    on: on.table(table),
    discriminator: "row-security",
    message: `Table ${table.schema}.${table.name} carries ${column} but has row-level security off, while ${secured} of the schema's ${of} tenant tables enforce isolation with it: a query that forgets the tenant filter reads and changes every tenant's rows here.`,
    fix: {
      description: `Enable row-level security with a policy on ${column}, as the other tenant tables do (the application role must not own the table, or FORCE it); \`schemawise pattern multi-tenant --table ${table.name}\` writes it.`,
      sql:
        `ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY;\n` +
        `CREATE POLICY ${newIdent(`${table.name}_tenant_isolation`)} ON ${target}\n  USING (${ident(column)} = nullif(current_setting('app.tenant_id', true), '')::${type});`,
    },
  };
}

function unscopedUnique(table: Table, index: Index, columns: string[], column: string): Report {
  const name = newIdent(`${table.name}_${column}_${columns.join("_")}_key`);
  return {
    on: on.index(table, index).near(table),
    discriminator: "unique",
    message: `Unique key ${index.name} on ${table.name} (${columns.join(", ")}) does not include ${column}, as the schema's other tenant unique keys do: one tenant's value blocks every other tenant from using it.`,
    fix: {
      description: `Make the key unique per tenant: build a unique index on (${column}, ${columns.join(", ")}), then drop ${index.name}${index.constraintName ? " (a constraint: drop it with ALTER TABLE … DROP CONSTRAINT)" : ""}; \`schemawise pattern multi-tenant\` writes a table's keys and policies this way.`,
      sql: `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${tableSql(table)} (${[column, ...columns].map(ident).join(", ")})${index.predicate ? ` WHERE ${index.predicate}` : ""};`,
    },
  };
}

function unscopedReference(table: Table, constraint: Constraint, parent: Table, column: string): Report {
  const fk = constraint.foreignKey!;
  return {
    on: on.constraint(table, constraint).near(table),
    discriminator: "foreign-key",
    message: `Foreign key ${constraint.name} (${table.name}.${constraint.columns.join(", ")} → ${parent.name}) does not include ${column}, unlike the schema's other references between tenant tables: a row can point at another tenant's ${parent.name}.`,
    fix: {
      description: `Reference (${column}, ${fk.referencedColumns.join(", ")}) of ${parent.name}, which needs a unique key on those columns there; \`schemawise pattern multi-tenant\` writes a table's keys and policies this way.`,
      sql:
        `ALTER TABLE ${tableSql(table)} ADD CONSTRAINT ${newIdent(`${constraint.name}_tenant`)} FOREIGN KEY (${[column, ...constraint.columns].map(ident).join(", ")})\n` +
        `  REFERENCES ${tableSql(parent)} (${[column, ...fk.referencedColumns].map(ident).join(", ")}) NOT VALID;`,
    },
  };
}
