import rule from "../../src/checks/rules/tenant-isolation-gap.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { patternSql } from "./_pattern-shapes.js";

/** A schema whose tables carry tenant_id in their keys and references, as `schemawise pattern multi-tenant` asks. */
const TENANTS = "CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\n";
const scoped = (name: string, extra = "") =>
  `CREATE TABLE ${name} (id bigint NOT NULL, tenant_id bigint NOT NULL REFERENCES tenants, slug text NOT NULL, PRIMARY KEY (id), UNIQUE (tenant_id, id), UNIQUE (tenant_id, slug)${extra});\n`;
const child = (name: string, parent: string, withTenant = true) =>
  withTenant
    ? `CREATE TABLE ${name} (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, ${parent}_id bigint NOT NULL, code text NOT NULL, UNIQUE (tenant_id, code), FOREIGN KEY (tenant_id, ${parent}_id) REFERENCES ${parent}s (tenant_id, id));\n`
    : `CREATE TABLE ${name} (id bigint PRIMARY KEY, ${parent}_id bigint NOT NULL REFERENCES ${parent}s, code text NOT NULL);\n`;
const STRICT = TENANTS + scoped("projects") + scoped("teams") + child("tasks", "project") + child("milestones", "project") + child("members", "team") + child("labels", "project");
/** Row-level security with a tenant policy on the given tables. */
const secured = (...tables: string[]) =>
  tables
    .map((t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;\nCREATE POLICY ${t}_tenant ON ${t} USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);\n`)
    .join("");
const TENANT_TABLES = ["projects", "teams", "tasks", "milestones", "members", "labels"];

ruleTester(rule, {
  valid: [
    { name: "a schema whose tenant tables carry the key in every unique key and reference; users and tenants are global", sql: STRICT },
    {
      name: "schemawise pattern multi-tenant on one table of a schema that is not multi-tenant yet",
      sql: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);\n" + patternSql("multi-tenant", { role: "shop_app" }),
    },
    {
      name: "a schema that scopes children through their parent by design: most children have no tenant column",
      sql: TENANTS + scoped("projects") + scoped("teams") + scoped("boards") + scoped("sprints") + child("tasks", "project", false) + child("comments", "project", false) + child("members", "team", false),
    },
    {
      name: "a uuid token is unique across all tenants by construction",
      sql: STRICT + "CREATE TABLE invites (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, token uuid NOT NULL UNIQUE, email text NOT NULL, UNIQUE (tenant_id, email));",
    },
    { name: "row-level security on every tenant table", sql: STRICT + secured(...TENANT_TABLES) },
    { name: "row-level security on a few tenant tables only is no habit to hold the others to", sql: STRICT + secured("projects", "teams") },
  ],
  invalid: [
    {
      name: "a child of a tenant table without tenant_id, where the other children carry it",
      sql: STRICT + "CREATE TABLE attachments (id bigint PRIMARY KEY, task_id bigint NOT NULL REFERENCES tasks, path text NOT NULL);",
      findings: [
        {
          path: "public.attachments",
          message: "holds rows of a tenant (through task_id → tasks) but has no tenant_id",
          fixSql: "UPDATE attachments AS t SET tenant_id = p.tenant_id FROM tasks AS p WHERE p.id = t.task_id;",
        },
      ],
    },
    {
      name: "a unique key without the tenant column, where the others include it",
      sql: STRICT + "CREATE TABLE boards (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, name text NOT NULL, CONSTRAINT boards_name_key UNIQUE (name));",
      findings: [{ path: "public.boards.boards_name_key", message: "one tenant's value blocks every other tenant", fixSql: "ON boards (tenant_id, name);" }],
    },
    {
      name: "a reference between tenant tables that is not composite, where the others are",
      sql: STRICT + "CREATE TABLE estimates (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, task_id bigint NOT NULL, hours int NOT NULL, CONSTRAINT estimates_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id));",
      findings: [{ path: "public.estimates.estimates_task_id_fkey", message: "a row can point at another tenant's tasks", fixSql: "FOREIGN KEY (tenant_id, task_id)" }],
    },
      {
      name: "a tenant table with row-level security off, where the other tenant tables enforce it with a policy",
      sql: STRICT + secured(...TENANT_TABLES.filter((t) => t !== "labels")),
      findings: [{ path: "public.labels", message: "has row-level security off, while 5 of the schema's 6 tenant tables", fixSql: "ALTER TABLE labels ENABLE ROW LEVEL SECURITY;" }],
    },
  ],
});
