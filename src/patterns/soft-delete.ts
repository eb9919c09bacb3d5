import { quoteIdent } from "../sql/text.js";
import { bareName, columnList, derived, statements, tableSql } from "./naming.js";
import type { Pattern, PatternTarget } from "./types.js";

export const softDelete: Pattern = {
  name: "soft-delete",
  summary: "deleted rows kept with a deleted_at stamp, unique keys enforced among the live rows only",
  guarantees: [
    "A row is deleted by setting deleted_at; the view of live rows hides it.",
    "Each unique key holds among live rows only, so a deleted row's email (say) can be used again.",
    "Reads of live rows use small partial indexes that skip the deleted ones.",
  ],
  costs: [
    "Every query of live rows must filter on deleted_at (use the view); forgetting it shows deleted rows.",
    "Foreign keys do not see a soft delete: children of a deleted row stay and still point at it; ON DELETE rules fire only on a real DELETE.",
    "Deleted rows stay in the table and its indexes until they are purged.",
  ],
  options: { unique: "unique keys to keep among live rows, as column lists separated by ';' (default: every unique constraint of the table, with --on)" },
  sql(target, options) {
    const table = tableSql(target);
    const uniques = uniqueKeys(target, options.unique);
    return statements(
      `ALTER TABLE ${table} ADD COLUMN deleted_at timestamptz;`,
      ...uniques.flatMap((u) => [
        `-- ${u.columns.join(", ")} is unique among live rows; a deleted row keeps its value without blocking a new one.
CREATE UNIQUE INDEX ${bareName(target, `${u.columns.join("_")}_live_key`)} ON ${table} (${u.columns.map(quoteIdent).join(", ")}) WHERE deleted_at IS NULL;`,
        u.name ? `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(u.name)};` : `-- Then drop the unique constraint or index on (${u.columns.join(", ")}) that covers deleted rows too.`,
      ]),
      `CREATE VIEW ${derived(target, "live")} AS
  SELECT * FROM ${table} WHERE deleted_at IS NULL;`,
    );
  },
};

function uniqueKeys(target: PatternTarget, option: string | undefined): { name?: string; columns: string[] }[] {
  if (option) return option.split(";").map((list) => ({ columns: columnList(target, list, "--unique") }));
  return target.uniqueKeys ?? [];
}
