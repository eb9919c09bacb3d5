import rule from "../../../src/migrations/rules/enum-value-renamed.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TYPE order_status AS ENUM ('open', 'canceled');";

migrationRuleTester(rule, {
  valid: [
    { name: "adding a value", before, sql: "ALTER TYPE order_status ADD VALUE 'cancelled';" },
    { name: "type created in the same migration", before, sql: "CREATE TYPE mood AS ENUM ('ok');\nALTER TYPE mood RENAME VALUE 'ok' TO 'fine';" },
  ],
  invalid: [
    {
      name: "renaming a label of an existing type",
      before,
      sql: "ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';",
      findings: [{ line: 1, severity: "warning", message: "code still sending 'canceled' fails", fixSql: "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'cancelled';" }],
    },
    {
      name: "quotes in labels are escaped",
      before,
      sql: "ALTER TYPE order_status RENAME VALUE 'open' TO 'o''pen';",
      findings: [{ line: 1, fixSql: "ADD VALUE IF NOT EXISTS 'o''pen';" }],
    },
  ],
});
