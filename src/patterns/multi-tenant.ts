import { quoteIdent, quoteLiteral } from "../sql/text.js";
import { bareName, keyList, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern } from "./types.js";

export const multiTenant: Pattern = {
  name: "multi-tenant",
  summary: "rows isolated per tenant by row-level security, for a non-owner role the application connects as",
  guarantees: [
    "Connected as --role with app.tenant_id set, a session sees, updates and deletes only its tenant's rows, and cannot insert a row for another tenant or move one to another tenant (RLS USING and WITH CHECK).",
    "Without app.tenant_id the role sees no row and can write none.",
    "(tenant column, key) is unique, so children can reference it with a composite foreign key that keeps them in their parent's tenant.",
  ],
  costs: [
    "The application must connect as the role (or SET ROLE) and set app.tenant_id per transaction (SET LOCAL) or per request; a pooled connection that forgets it sees nothing rather than everything.",
    "The table's owner and superusers bypass the policy: run migrations as the owner, the application never.",
    "Every query gets the policy's filter: index the tenant column first in the indexes the application uses (the unique key added here is one).",
    "Existing rows need their tenant filled in before the NOT NULL is set (the migration stops there until they are).",
  ],
  options: {
    column: "the tenant column, added unless the table has it (default tenant_id)",
    role: "the non-owner role the application connects as, created if missing (default app_user)",
  },
  sql(target, options) {
    const columnName = options.column ?? "tenant_id";
    const role = quoteIdent(options.role ?? "app_user");
    if (target.key.some((k) => k.name === columnName)) throw new PatternError(`${columnName} is the primary key; the tenant column must be a column of its own`);
    const type = target.columns?.[columnName] ?? "bigint";
    const table = tableSql(target);
    const column = quoteIdent(columnName);
    const current = `nullif(current_setting('app.tenant_id', true), '')::${type}`;
    return statements(
      !(target.columns && columnName in target.columns) && `ALTER TABLE ${table} ADD COLUMN ${column} ${type};`,
      `-- Rows inserted by the application get the session's tenant unless they name one (the policy checks it either way).
ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT ${current};`,
      `-- Existing rows must have their tenant by now: this fails while one has none.
ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL;`,
      `-- The target of composite foreign keys (tenant, id) from children, and the index the policy's filter uses.
ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${columnName}_key`)} UNIQUE (${column}, ${keyList(target)});`,
      `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`,
      `CREATE POLICY ${bareName(target, "tenant_isolation")} ON ${table}
  USING (${column} = ${current})
  WITH CHECK (${column} = ${current});`,
      `-- Roles are cluster-wide: created once, and never a superuser or the table's owner (either would bypass the policy).
DO $$
BEGIN
  CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object THEN
  RAISE NOTICE 'role % exists: check it does not own % and is not a superuser', ${quoteLiteral(options.role ?? "app_user")}, ${quoteLiteral(`${target.schema}.${target.table}`)};
END
$$;`,
      `GRANT USAGE ON SCHEMA ${quoteIdent(target.schema)} TO ${role};`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${role};`,
    );
  },
};
