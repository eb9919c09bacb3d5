import { literalOrNull, quoteIdent } from "../sql/text.js";
import { bareName, checkColumn, derived, keyList, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern } from "./types.js";

export const stateMachine: Pattern = {
  name: "state-machine",
  summary: "a status column that may only move along declared transitions, with its history",
  guarantees: [
    "The status is always one of the declared states.",
    "An UPDATE that moves the status along a transition that is not declared fails.",
    "Every status a row takes (its first one included) is recorded in the history table, with when and who.",
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
    const table = tableSql(target);
    const col = quoteIdent(column);
    const transitions = derived(target, `${column}_transitions`);
    const history = derived(target, `${column}_history`);
    const guard = derived(target, `${column}_guard`);
    const keyCols = target.key.map((k) => `  ${quoteIdent(k.name)} ${k.type} NOT NULL,`).join("\n");
    const keyValues = (row: string) => target.key.map((k) => `${row}.${quoteIdent(k.name)}`).join(", ");
    return statements(
      `ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${column}_known`)}
  CHECK (${col} IN (${states.map(literalOrNull).join(", ")})) NOT VALID;`,
      `ALTER TABLE ${table} VALIDATE CONSTRAINT ${bareName(target, `${column}_known`)};`,
      `CREATE TABLE ${transitions} (
  from_state ${type} NOT NULL,
  to_state ${type} NOT NULL,
  PRIMARY KEY (from_state, to_state)
);`,
      `INSERT INTO ${transitions} (from_state, to_state) VALUES
${moves.map(([from, to]) => `  (${literalOrNull(from)}, ${literalOrNull(to)})`).join(",\n")};`,
      `CREATE TABLE ${history} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
${keyCols}
  from_state ${type},
  to_state ${type} NOT NULL,
  changed_by text NOT NULL DEFAULT coalesce(nullif(current_setting('app.user', true), ''), current_user),
  changed_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (${keyList(target)}) REFERENCES ${table} (${keyList(target)}) ON DELETE CASCADE
);`,
      `CREATE INDEX ${bareName(target, `${column}_history_row_idx`)} ON ${history} (${keyList(target)}, changed_at);`,
      `CREATE FUNCTION ${guard}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.${col} IS NOT DISTINCT FROM OLD.${col} THEN
      RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT FROM ${transitions} WHERE from_state = OLD.${col} AND to_state = NEW.${col}) THEN
      RAISE EXCEPTION '${target.table}.${column} cannot move from % to %', OLD.${col}, NEW.${col} USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  INSERT INTO ${history} (${keyList(target)}, from_state, to_state)
  VALUES (${keyValues("NEW")}, CASE WHEN TG_OP = 'UPDATE' THEN OLD.${col} END, NEW.${col});
  RETURN NEW;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, `${column}_guard`)}
  AFTER INSERT OR UPDATE OF ${col} ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${guard}();`,
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
