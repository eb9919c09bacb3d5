import { qualified, quoteIdent } from "../sql/text.js";
import { columnList, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern } from "./types.js";

export const materializedView: Pattern = {
  name: "materialized-view",
  summary: "a summary precomputed in a materialized view with a unique index, refreshed without blocking its readers",
  guarantees: [
    "One row per group (a unique index on the --group columns), which lets the view be refreshed CONCURRENTLY.",
    "Readers of the view are never blocked by a refresh: the refresh function takes an EXCLUSIVE lock, which conflicts with other refreshes but not with SELECT.",
    "After a refresh the view holds exactly what its query returns on the data the refreshing transaction sees (NULL groups included); the source table keeps its own rows and constraints (nothing is denormalized into it).",
  ],
  costs: [
    "The view is as old as its last refresh: schedule the function (pg_cron, a job runner) at the staleness the readers accept.",
    "A concurrent refresh computes the whole query and diffs it against the view: slower than a plain refresh, and refreshes of one view run one at a time.",
    "The view takes storage and its index is rewritten by each refresh's changes.",
  ],
  options: {
    group: "the columns the summary is grouped by, one view row per value combination (required)",
    view: "the materialized view's name (default <table>_summary)",
  },
  sql(target, options) {
    const group = columnList(target, options.group, "--group (the columns the summary is grouped by)");
    const name = options.view ?? `${target.table}_summary`;
    if (name === target.table) throw new PatternError("--view must not be the table's own name");
    const view = qualified(target.schema, name.slice(0, 63));
    const columns = group.map(quoteIdent).join(", ");
    const refresh = qualified(target.schema, `refresh_${name}`.slice(0, 63));
    return statements(
      `CREATE MATERIALIZED VIEW ${view} AS
  SELECT ${columns}, count(*) AS row_count
  FROM ${tableSql(target)}
  GROUP BY ${columns};`,
      `-- REFRESH ... CONCURRENTLY needs a unique index on plain columns that covers every row.
CREATE UNIQUE INDEX ${quoteIdent(`${name}_key`.slice(0, 63))} ON ${view} (${columns});`,
      `-- The refresh readers never wait for: run it on a schedule, or after a batch of writes.
CREATE FUNCTION ${refresh}() RETURNS void LANGUAGE sql AS $$
  REFRESH MATERIALIZED VIEW CONCURRENTLY ${view};
$$;`,
    );
  },
};
