import { literalOrNull, quoteIdent } from "../sql/text.js";
import { bareName, checkColumn, derived, keyList, singular, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern } from "./types.js";

export const stateMachine: Pattern = {
  name: "state-machine",
  summary: "a status column that may only move along declared transitions, with its history",
  guarantees: [
    "The status is always one of the declared states.",
    "An UPDATE that moves the status along a transition that is not declared fails.",
    "Every status a row takes (its first one included) is recorded in the history table, with when and who; the history cannot be updated.",
  ],
  costs: [
    "A trigger on every update of the status, and a history row per change.",
    "The transitions are data: adding one is an INSERT, reviewed like a migration.",
  ],
  options: {
    column: "the status column (default status)",
    transitions: "allowed moves as from>to pairs separated by commas, e.g. draft>published,published>archived (required)",
  },
  sql(target, options) {
    const column = options.column ?? "status";
    checkColumn(target, column);
    const type = target.columns?.[column] ?? "text";
    const moves = parseTransitions(options.transitions);
    const states = [...new Set(moves.flat())];
    const known = (col: string) => `CHECK (${col} IN (${states.map(literalOrNull).join(", ")}))`;
    const table = tableSql(target);
    const col = quoteIdent(column);
    const transitions = derived(target, `${column}_transitions`);
    const history = derived(target, `${column}_changes`);
    const guard = derived(target, `${column}_guard`);
    const record = derived(target, `${column}_record`);
    const refuseUpdate = derived(target, `${column}_changes_refuse_update`);
    // The history's own columns pointing at the row: order_id for orders.id.
    const refs = target.key.map((k) => ({ name: quoteIdent(`${singular(target.table)}_${k.name}`), type: k.type, key: quoteIdent(k.name) }));
    const refList = refs.map((r) => r.name).join(", ");
    return statements(
      `ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${column}_known`)}
  ${known(col)} NOT VALID;`,
      `ALTER TABLE ${table} VALIDATE CONSTRAINT ${bareName(target, `${column}_known`)};`,
      `CREATE TABLE ${transitions} (
  from_state ${type} NOT NULL ${known("from_state")},
  to_state ${type} NOT NULL ${known("to_state")},
  PRIMARY KEY (from_state, to_state)
);`,
      `INSERT INTO ${transitions} (from_state, to_state) VALUES
${moves.map(([from, to]) => `  (${literalOrNull(from)}, ${literalOrNull(to)})`).join(",\n")};`,
      `-- A change is a declared move (the foreign key), or a row's first status (from_state NULL).
CREATE TABLE ${history} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
${refs.map((r) => `  ${r.name} ${r.type} NOT NULL,`).join("\n")}
  from_state ${type},
  to_state ${type} NOT NULL ${known("to_state")},
  changed_by text NOT NULL DEFAULT coalesce(nullif(current_setting('app.actor', true), ''), current_user),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (${refList}) REFERENCES ${table} (${keyList(target)}) ON DELETE CASCADE,
  FOREIGN KEY (from_state, to_state) REFERENCES ${transitions} (from_state, to_state) ON DELETE RESTRICT
);`,
      `CREATE INDEX ${bareName(target, `${column}_changes_row_idx`)} ON ${history} (${refList}, created_at);`,
      `-- Removing a transition checks that no change used it: this index makes that check cheap.
CREATE INDEX ${bareName(target, `${column}_changes_move_idx`)} ON ${history} (from_state, to_state);`,
      `-- The history is written by the trigger only: an UPDATE of it is refused (rows go when their row is deleted).
CREATE FUNCTION ${refuseUpdate}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, `${column}_changes_append_only`)}
  BEFORE UPDATE ON ${history}
  FOR EACH STATEMENT EXECUTE FUNCTION ${refuseUpdate}();`,
      `-- A move that is not declared is refused before the row is written.
CREATE FUNCTION ${guard}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.${col} IS DISTINCT FROM OLD.${col}
     AND NOT EXISTS (SELECT FROM ${transitions} WHERE from_state = OLD.${col} AND to_state = NEW.${col}) THEN
    RAISE EXCEPTION '${target.table}.${column} cannot move from % to %', OLD.${col}, NEW.${col} USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, `${column}_guard`)}
  BEFORE UPDATE OF ${col} ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${guard}();`,
      `CREATE FUNCTION ${record}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.${col} IS DISTINCT FROM OLD.${col} THEN
    INSERT INTO ${history} (${refList}, from_state, to_state)
    VALUES (${refs.map((r) => `NEW.${r.key}`).join(", ")}, CASE WHEN TG_OP = 'UPDATE' THEN OLD.${col} END, NEW.${col});
  END IF;
  RETURN NULL;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, `${column}_record`)}
  AFTER INSERT OR UPDATE OF ${col} ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${record}();`,
    );
  },
};

function parseTransitions(text: string | undefined): [string, string][] {
  if (!text) throw new PatternError("--transitions is required, e.g. --transitions draft>published,published>archived");
  return text.split(",").map((pair) => {
    const [from, to, extra] = pair.split(">").map((s) => s.trim());
    if (!from || !to || extra !== undefined) throw new PatternError(`--transitions: "${pair}" is not a from>to pair`);
    return [from, to];
  });
}
