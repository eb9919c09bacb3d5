import rule from "../../src/checks/rules/audit-log-mutable.js";
import { ruleTester } from "../helpers/rule-tester.js";

const REFUSE = "CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append-only'; END $$;\n";

ruleTester(rule, {
  valid: [
    {
      name: "an append-only log guarded by a BEFORE UPDATE OR DELETE trigger",
      sql: `-- Append-only audit log.\nCREATE TABLE audit_log (id bigint PRIMARY KEY, action text NOT NULL, at timestamptz NOT NULL DEFAULT now());\n${REFUSE}CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();`,
    },
    {
      name: "audit logs by name only: purged or deleted with their subject on purpose (harbor, documenso)",
      sql: `CREATE TABLE "User" (id int PRIMARY KEY);\nCREATE TABLE audit_log (id bigint PRIMARY KEY, operation text NOT NULL, op_time timestamptz NOT NULL);\nCREATE TABLE "UserSecurityAuditLog" (id int PRIMARY KEY, "userId" int NOT NULL REFERENCES "User" ON DELETE CASCADE);`,
    },
    { name: "immutable said of something that is not a log", sql: "CREATE TABLE currencies (code char(3) PRIMARY KEY);\nCOMMENT ON TABLE currencies IS 'ISO-4217 codes; treat as immutable reference data';" },
  ],
  invalid: [
    {
      name: "an audit log whose comment promises append-only, guarded only AFTER the fact",
      sql: `-- Append-only: entries are never edited.\nCREATE TABLE order_audits (\n  id int PRIMARY KEY,\n  op text NOT NULL\n);\n${REFUSE}CREATE TRIGGER order_audits_after AFTER UPDATE ON order_audits FOR EACH ROW EXECUTE FUNCTION refuse_change();`,
      findings: [{ path: "public.order_audits", message: '("Append-only: entries are never edited.")', fixSql: "BEFORE UPDATE OR DELETE ON order_audits", line: 2 }],
    },
    {
      name: "a change log whose COMMENT ON says it is never updated",
      sql: "CREATE TABLE ledger_changes (id int PRIMARY KEY, change jsonb NOT NULL);\nCOMMENT ON TABLE ledger_changes IS 'History of ledger edits; rows must not be updated or deleted.';",
      findings: [{ path: "public.ledger_changes", message: "must not be updated" }],
    },
  ],
});
