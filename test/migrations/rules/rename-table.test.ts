import rule from "../../../src/migrations/rules/rename-table.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE SCHEMA billing;\nCREATE TABLE billing.invoice (id bigint);";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: "CREATE TABLE staging (id int);\nALTER TABLE staging RENAME TO live;" },
    { name: "renaming an index", before, sql: "ALTER INDEX customer_pkey RENAME TO customer_id_pkey;" },
    {
      name: "the fix: a view under the old name in the same transaction",
      before,
      sql: "BEGIN;\nALTER TABLE customer RENAME TO customers;\nCREATE VIEW customer AS SELECT * FROM customers;\nCOMMIT;",
    },
  ],
  invalid: [
    {
      name: "existing table",
      before,
      sql: "ALTER TABLE customer RENAME TO customers;",
      findings: [{ line: 1, severity: "warning", message: "code still using customer fails", fixSql: "ALTER TABLE customer RENAME TO customers;\nCREATE VIEW customer AS SELECT * FROM customers;" }],
    },
    {
      name: "a view under the old name, but in a transaction of its own: old code fails in between",
      before,
      sql: "BEGIN;\nALTER TABLE customer RENAME TO customers;\nCOMMIT;\nCREATE VIEW customer AS SELECT * FROM customers;",
      findings: [{ line: 2, message: "code still using customer fails" }],
    },
    {
      name: "schema-qualified",
      before,
      sql: "ALTER TABLE billing.invoice RENAME TO invoices;",
      findings: [{ line: 1, message: "billing.invoice", fixSql: "CREATE VIEW billing.invoice AS SELECT * FROM billing.invoices;" }],
    },
  ],
});
