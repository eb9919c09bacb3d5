import rule from "../../../src/migrations/rules/transaction-left-open.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "BEGIN … COMMIT", before, mode: "per-statement", sql: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;" },
    { name: "BEGIN … ROLLBACK is a decision, not an accident", before, mode: "per-statement", sql: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nROLLBACK;" },
    { name: "no transaction of its own (the runner commits each statement)", before, mode: "per-statement", sql: "ALTER TABLE orders ADD COLUMN note text;" },
  ],
  invalid: [
    {
      name: "psql-style file whose BEGIN has no COMMIT",
      before,
      mode: "per-statement",
      sql: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note_idx ON orders (note);",
      findings: [{ line: 1, severity: "error", message: "rolls back the 2 statements after it", fixSql: /CREATE INDEX orders_note_idx ON orders \(note\);\nCOMMIT;$/ }],
    },
    {
      name: "a second transaction left open after a committed one",
      before,
      mode: "per-statement",
      sql: "BEGIN;\nALTER TABLE orders ADD COLUMN a text;\nCOMMIT;\nBEGIN;\nALTER TABLE orders ADD COLUMN b text;",
      findings: [{ line: 4, message: "BEGIN on line 4 is never committed" }],
    },
  ],
});
