import rule from "../../src/checks/rules/self-reference-without-guard.js";
import { ruleTester, type InvalidCase, type ValidCase } from "../helpers/rule-tester.js";

const folders = "CREATE TABLE folders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  parent_id bigint REFERENCES folders (id),\n  name text NOT NULL\n);\n";
const cycleTrigger = `CREATE FUNCTION folders_prevent_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NOT NULL AND EXISTS (
       WITH RECURSIVE ancestors (id, parent_id) AS (
         SELECT f.id, f.parent_id FROM folders f WHERE f.id = NEW.parent_id
         UNION
         SELECT f.id, f.parent_id FROM folders f JOIN ancestors a ON f.id = a.parent_id)
       SELECT 1 FROM ancestors WHERE ancestors.id = NEW.id) THEN
    RAISE EXCEPTION 'cycle';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER folders_prevent_cycle BEFORE UPDATE OF parent_id ON folders FOR EACH ROW EXECUTE FUNCTION folders_prevent_cycle();`;

/**
 * A trigger that rejects reserved handles: the project enforces rules of its data in the database,
 * which is what makes a missing cycle guard worth reporting. Appended, so the cases keep their lines.
 */
const rejectsRows = `
CREATE TABLE handles (id int PRIMARY KEY, handle text NOT NULL);
CREATE FUNCTION handles_reject_reserved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF lower(NEW.handle) IN ('admin', 'root') THEN
    RAISE EXCEPTION 'handle % is reserved', NEW.handle;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER handles_reject_reserved BEFORE INSERT OR UPDATE OF handle ON handles FOR EACH ROW EXECUTE FUNCTION handles_reject_reserved();`;

const inGuardingSchema = <T extends ValidCase>(testCase: T): T => ({ ...testCase, sql: testCase.sql + rejectsRows });

const guarding: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "a cycle-check trigger that reads parent_id", sql: folders + cycleTrigger },
    {
      name: "parents are older rows (parent_id < id), a bounded depth, an ltree path",
      sql:
        "CREATE TABLE comments (id bigint PRIMARY KEY, parent_id bigint REFERENCES comments, CHECK (parent_id < id));\n" +
        "CREATE TABLE categories (id bigint PRIMARY KEY, parent_id bigint REFERENCES categories, depth smallint NOT NULL CHECK (depth BETWEEN 1 AND 3), CHECK (parent_id <> id));\n" +
        "CREATE EXTENSION ltree;\nCREATE TABLE places (id bigint PRIMARY KEY, parent_id bigint REFERENCES places, path ltree NOT NULL);",
    },
    {
      name: "the finding's own fix SQL silences it",
      sql: "CREATE TABLE nodes (id int PRIMARY KEY, parent_id int REFERENCES nodes);\n" +
        `CREATE FUNCTION nodes_prevent_parent_id_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NOT NULL AND (NEW.parent_id = NEW.id OR EXISTS (
       WITH RECURSIVE ancestors (id, parent_id) AS (
         SELECT t.id, t.parent_id FROM nodes AS t WHERE t.id = NEW.parent_id
         UNION
         SELECT t.id, t.parent_id FROM nodes AS t JOIN ancestors AS a ON t.id = a.parent_id)
       SELECT 1 FROM ancestors WHERE ancestors.id = NEW.id)) THEN
    RAISE EXCEPTION 'nodes %: parent_id % would create a cycle', NEW.id, NEW.parent_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER nodes_prevent_parent_id_cycle BEFORE INSERT OR UPDATE OF parent_id ON nodes FOR EACH ROW EXECUTE FUNCTION nodes_prevent_parent_id_cycle();`,
    },
    {
      name: "a materialized path (ancestry text, traversal_ids bigint[]), nested-set bounds, a depth column beside CHECK (parent_id <> id)",
      sql:
        "CREATE TABLE pages (id bigint PRIMARY KEY, parent_id bigint REFERENCES pages, ancestry text);\n" +
        "CREATE TABLE namespaces (id bigint PRIMARY KEY, parent_id bigint REFERENCES namespaces, traversal_ids bigint[] NOT NULL DEFAULT '{}');\n" +
        "CREATE TABLE topics (id bigint PRIMARY KEY, parent_id bigint REFERENCES topics, path text NOT NULL);\n" +
        "CREATE TABLE menu_items (id int PRIMARY KEY, parent_id int REFERENCES menu_items, lft int NOT NULL, rgt int NOT NULL);\n" +
        "CREATE TABLE regions (id int PRIMARY KEY, parent_id int REFERENCES regions, depth int NOT NULL DEFAULT 0, CHECK (parent_id <> id));",
    },
    {
      name: "options: a custom depth column word",
      sql: "CREATE TABLE org_units (id int PRIMARY KEY, parent_id int REFERENCES org_units, tier int NOT NULL CHECK (tier <= 5));",
      options: { depthWords: ["tier"] },
    },
  ],
  invalid: [
    {
      name: "a plain adjacency list",
      sql: folders,
      findings: [
        {
          path: "public.folders.folders_parent_id_fkey",
          message: "Self-reference folders.parent_id → folders.id has no guard against cycles",
          fixSql: /CREATE FUNCTION folders_prevent_parent_id_cycle\(\)[^]*WITH RECURSIVE ancestors \(id, parent_id\)[^]*BEFORE INSERT OR UPDATE OF parent_id ON folders/,
          line: 3,
        },
      ],
    },
    {
      name: "CHECK (parent_id <> id) only stops one-row loops; a trigger on another column, a CHECK on the column alone",
      sql:
        "CREATE TABLE employees (\n  id int PRIMARY KEY,\n  manager_id int,\n  email text,\n  CONSTRAINT employees_not_own_manager CHECK (manager_id IS DISTINCT FROM id),\n  CONSTRAINT employees_manager_positive CHECK (manager_id > 0)\n);\n" +
        "ALTER TABLE employees ADD CONSTRAINT employees_manager_fk FOREIGN KEY (manager_id) REFERENCES employees;\n" +
        "CREATE FUNCTION lower_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.email := lower(NEW.email); RETURN NEW; END $$;\n" +
        "CREATE TRIGGER employees_lower_email BEFORE INSERT ON employees FOR EACH ROW EXECUTE FUNCTION lower_email();",
      findings: [
        {
          path: "public.employees.employees_manager_fk",
          message: "The CHECK employees_not_own_manager (manager_id IS DISTINCT FROM id) only stops a row from being its own parent; a loop through two or more rows is still accepted.",
          line: 8,
        },
      ],
    },
    {
      name: "a manager reference beside a file path and an unchecked level; a recursive view that walks it is named",
      sql:
        "CREATE TABLE staff (\n  id int PRIMARY KEY,\n  reports_to int REFERENCES staff,\n  photo_path text,\n  level int\n);\n" +
        "CREATE VIEW staff_chain AS WITH RECURSIVE chain AS (SELECT id, reports_to, 1 AS hops FROM staff UNION ALL SELECT s.id, c.reports_to, c.hops + 1 FROM staff s JOIN chain c ON c.id = s.reports_to) SELECT * FROM chain;",
      findings: [{ path: "public.staff.staff_reports_to_fkey", message: "view staff_chain walks it with WITH RECURSIVE.", line: 3 }],
    },
    {
      name: "composite self-reference within a tenant",
      sql: "CREATE TABLE tasks (tenant_id int, id int, parent_id int, level_name text, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, parent_id) REFERENCES tasks (tenant_id, id), CHECK (level_name <> ''));",
      findings: [{ path: "public.tasks.tasks_tenant_id_parent_id_fkey", message: "tasks.parent_id → tasks.id" }],
    },
    {
      name: "options: depth words replaced, so a level CHECK no longer counts",
      sql: "CREATE TABLE menus (id int PRIMARY KEY, parent_id int REFERENCES menus, level int CHECK (level < 4));",
      options: { depthWords: ["tier"] },
      findings: [{ path: "public.menus.menus_parent_id_fkey" }],
    },
  ],
};

ruleTester(rule, {
  valid: [
    ...guarding.valid.map(inGuardingSchema),
    {
      name: "a schema whose triggers reject nothing leaves tree rules to the application (a folder service, a sample org chart)",
      sql:
        folders +
        "CREATE TABLE staff (id int PRIMARY KEY, reports_to int REFERENCES staff);\n" +
        "CREATE FUNCTION note_move() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'moved %', NEW.id; RETURN NEW; END $$;\n" +
        "CREATE TRIGGER staff_note_move AFTER UPDATE OF reports_to ON staff FOR EACH ROW EXECUTE FUNCTION note_move();",
    },
  ],
  invalid: [
    ...guarding.invalid.map(inGuardingSchema),
    {
      name: "a schema that rejects rows in a trigger elsewhere: the missing cycle guard is named with that practice",
      sql: folders + rejectsRows,
      findings: [{ path: "public.folders.folders_parent_id_fkey", message: "The schema already rejects bad rows in triggers (handles_reject_reserved), so a cycle guard fits its practice." }],
    },
  ],
});
