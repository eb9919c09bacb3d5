import { literalOrNull, qualified, quoteIdent } from "../sql/text.js";
import { bareName, statements, tableSql } from "./naming.js";
import type { Pattern } from "./types.js";

export const auditTrail: Pattern = {
  name: "audit-trail",
  summary: "every insert, update and delete of a table recorded with who, when and why, in a log nobody can edit",
  guarantees: [
    "One log row per changed row and statement (an UPDATE that changes nothing writes none), with the old and new row as jsonb.",
    "Who and why come from the session settings app.actor and app.reason (set them per request or transaction); when is the transaction's time.",
    "The log is append-only: UPDATE, DELETE and TRUNCATE on it fail, for the table's owner too.",
  ],
  costs: [
    "Each write also writes a log row (with two jsonb copies) in the same transaction.",
    "The log grows without bound: partition or archive it by created_at when it gets large.",
  ],
  options: { log: "the log table (default audit_events, shared by every audited table)" },
  sql(target, options) {
    const logName = options.log ?? "audit_events";
    const log = qualified(target.schema, logName);
    const fn = (suffix: string) => qualified(target.schema, `${logName}_${suffix}`);
    const keyArgs = target.key.map((k) => literalOrNull(k.name)).join(", ");
    return statements(
      `CREATE TABLE IF NOT EXISTS ${log} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  row_key jsonb NOT NULL,
  action text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
  old_row jsonb,
  new_row jsonb,
  changed_by text NOT NULL DEFAULT coalesce(nullif(current_setting('app.actor', true), ''), current_user),
  reason text DEFAULT nullif(current_setting('app.reason', true), ''),
  created_at timestamptz NOT NULL DEFAULT now()
);`,
      `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${logName}_row_idx`)} ON ${log} (table_name, row_key, created_at);`,
      `CREATE OR REPLACE FUNCTION ${fn("refuse_change")}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$;`,
      `-- Per statement, so even an UPDATE or DELETE that matches no row is refused (dropped first: the log is shared by every audited table).
DROP TRIGGER IF EXISTS ${quoteIdent(`${logName}_append_only`)} ON ${log};
CREATE TRIGGER ${quoteIdent(`${logName}_append_only`)}
  BEFORE UPDATE OR DELETE OR TRUNCATE ON ${log}
  FOR EACH STATEMENT EXECUTE FUNCTION ${fn("refuse_change")}();`,
      `-- The key columns of the audited table come as trigger arguments, so one function serves every table.
CREATE OR REPLACE FUNCTION ${fn("record")}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
  IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NULL;
  END IF;
  INSERT INTO ${log} (table_name, row_key, action, old_row, new_row)
  VALUES (
    TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
    (SELECT jsonb_object_agg(k, changed -> k) FROM unnest(TG_ARGV) AS k),
    TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END
  );
  RETURN NULL;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, "audit")}
  AFTER INSERT OR UPDATE OR DELETE ON ${tableSql(target)}
  FOR EACH ROW EXECUTE FUNCTION ${fn("record")}(${keyArgs});`,
    );
  },
};
