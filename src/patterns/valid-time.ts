import { quoteIdent } from "../sql/text.js";
import { bareName, derived, entityKey, statements, tableSql } from "./naming.js";
import type { Pattern } from "./types.js";

export const validTime: Pattern = {
  name: "valid-time",
  summary: "versions of an entity over time, with no two versions valid at the same moment",
  guarantees: [
    "For each entity (the --key columns) no two rows have overlapping validity periods: an exclusion constraint rejects the second one.",
    "Inserting a new version closes the open-ended current one at the new version's start.",
    "A view lists the versions valid now.",
  ],
  costs: [
    "A GiST index (btree_gist) on the entity key and the period: larger and slower to update than a B-tree.",
    "Queries for the current state filter on the period (the view does it); history is never deleted here.",
  ],
  options: { key: "the columns that identify the entity across its versions (required)", column: "the period column (default valid_during)" },
  sql(target, options) {
    const key = entityKey(target, options.key);
    const period = quoteIdent(options.column ?? "valid_during");
    const table = tableSql(target);
    const keys = key.map(quoteIdent);
    const closeFn = derived(target, "close_previous_version");
    return statements(
      "CREATE EXTENSION IF NOT EXISTS btree_gist;",
      `ALTER TABLE ${table} ADD COLUMN ${period} tstzrange NOT NULL DEFAULT tstzrange(now(), NULL, '[)');`,
      `ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${options.column ?? "valid_during"}_not_empty`)} CHECK (NOT isempty(${period}));`,
      `-- The guarantee: one version per entity at any moment.
ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, "one_version_at_a_time")}
  EXCLUDE USING gist (${keys.map((k) => `${k} WITH =`).join(", ")}, ${period} WITH &&);`,
      `CREATE VIEW ${derived(target, "current")} AS
  SELECT * FROM ${table} WHERE ${period} @> now();`,
      `-- A new version starting later closes the open-ended one it follows.
CREATE FUNCTION ${closeFn}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ${table}
     SET ${period} = tstzrange(lower(${period}), lower(NEW.${period}), '[)')
   WHERE ${keys.map((k) => `${k} = NEW.${k}`).join(" AND ")}
     AND upper_inf(${period})
     AND lower(${period}) < lower(NEW.${period});
  RETURN NEW;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, "close_previous_version")}
  BEFORE INSERT ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${closeFn}();`,
    );
  },
};
