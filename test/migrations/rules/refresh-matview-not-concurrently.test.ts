import rule from "../../../src/migrations/rules/refresh-matview-not-concurrently.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE sales (day date, amount numeric);\nCREATE MATERIALIZED VIEW daily_sales AS SELECT day, sum(amount) AS total FROM sales GROUP BY day;";

migrationRuleTester(rule, {
  valid: [
    { name: "concurrently", before, sql: "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;" },
    { name: "WITH NO DATA empties it", before, sql: "REFRESH MATERIALIZED VIEW daily_sales WITH NO DATA;" },
    { name: "view created in the same migration", before, sql: "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one;\nREFRESH MATERIALIZED VIEW mv;" },
  ],
  invalid: [
    {
      name: "plain refresh",
      before,
      sql: "REFRESH MATERIALIZED VIEW daily_sales;",
      findings: [{ line: 1, severity: "warning", message: "every read of the view waits", fixSql: "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;" }],
    },
    {
      name: "small view is info",
      before,
      rows: { daily_sales: 365 },
      sql: "REFRESH MATERIALIZED VIEW public.daily_sales WITH DATA;",
      findings: [{ line: 1, severity: "info", message: "(~365 rows)" }],
    },
  ],
});
