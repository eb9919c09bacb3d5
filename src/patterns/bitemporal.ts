import { quoteIdent, quoteLiteral } from "../sql/text.js";
import { bareName, checkColumnFree, derived, entityKey, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern } from "./types.js";

const RECORDED = "recorded_during";

export const bitemporal: Pattern = {
  name: "bitemporal",
  summary: "facts with when they are true (valid time) and when the database knew them (transaction time); corrections keep what was known before",
  guarantees: [
    "For each entity (the --key columns) no two facts are valid at the same moment as known at the same moment: an exclusion constraint on the key and both periods.",
    "The transaction time is the database's: an insert is recorded from its transaction's time on, whatever the application sends.",
    "An UPDATE is a correction: the row as it was is kept, its transaction time closed at the correction's, and the corrected row is recorded from then on. A DELETE closes the row's transaction time instead of removing it.",
    "What was known at any past moment can be read again unchanged (<table>_as_known_at(t)); rows no longer current are read-only.",
    "Inserting a new open-ended version closes the current one at the new version's start (a correction, so kept in history too).",
  ],
  costs: [
    "A GiST index (btree_gist) on the key and both periods; every correction writes a second row, and the table only grows.",
    "The table's primary key identifies a version, not an entity: the kept copy gets a new key from the key's default (an identity or a default is needed).",
    "A change made and undone inside one transaction leaves no history (no other transaction could have seen it), as in SQL:2011 system-versioned tables.",
    "Queries for the present filter on both periods (the <table>_current view does it).",
  ],
  options: { key: "the columns that identify the entity across its versions (required)", column: "the valid-time period column (default valid_during); the transaction-time column is recorded_during" },
  sql(target, options) {
    const key = entityKey(target, options.key);
    const validName = options.column ?? "valid_during";
    if (validName === RECORDED) throw new PatternError(`--column ${RECORDED} is the transaction-time column: give the valid-time column another name`);
    checkColumnFree(target, validName, "--column");
    checkColumnFree(target, RECORDED, "--column");
    const valid = quoteIdent(validName);
    const recorded = quoteIdent(RECORDED);
    const table = tableSql(target);
    const keys = key.map(quoteIdent);
    const open = `tstzrange(now(), NULL, '[)')`;
    const pkMatch = (row: string) => target.key.map((k) => `${quoteIdent(k.name)} = ${row}.${quoteIdent(k.name)}`).join(" AND ");
    const [record, correct, keep, retire] = ["record", "correct", "keep_correction", "retire"].map((s) => derived(target, `bitemporal_${s}`));
    return statements(
      "CREATE EXTENSION IF NOT EXISTS btree_gist;",
      `ALTER TABLE ${table}
  ADD COLUMN ${valid} tstzrange NOT NULL DEFAULT ${open},
  ADD COLUMN ${recorded} tstzrange NOT NULL DEFAULT ${open};`,
      `ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${validName}_not_empty`)} CHECK (NOT isempty(${valid}));`,
      `ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${RECORDED}_not_empty`)} CHECK (NOT isempty(${recorded}));`,
      `-- The guarantee: one fact per entity and valid moment, as known at any moment.
ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, "one_fact_at_a_time")}
  EXCLUDE USING gist (${keys.map((k) => `${k} WITH =`).join(", ")}, ${valid} WITH &&, ${recorded} WITH &&);`,
      `-- What is true now, as known now.
CREATE VIEW ${derived(target, "current")} AS
  SELECT * FROM ${table} WHERE upper_inf(${recorded}) AND ${valid} @> now();`,
      `-- Everything the database knew at a past moment, as it was then.
CREATE FUNCTION ${derived(target, "as_known_at")}(at timestamptz) RETURNS SETOF ${table} LANGUAGE sql STABLE AS $$
  SELECT * FROM ${table} WHERE ${recorded} @> at
$$;`,
      `-- New facts are recorded from now on, and close the open-ended version they follow.
-- A copy kept by a correction (inserted by the trigger below) arrives with its period closed.
CREATE FUNCTION ${record}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 AND NOT upper_inf(NEW.${recorded}) THEN
    RETURN NEW;
  END IF;
  NEW.${recorded} := ${open};
  UPDATE ${table}
     SET ${valid} = tstzrange(lower(${valid}), lower(NEW.${valid}), '[)')
   WHERE ${keys.map((k) => `${k} = NEW.${k}`).join(" AND ")}
     AND upper_inf(${valid}) AND upper_inf(${recorded})
     AND lower(${valid}) < lower(NEW.${valid});
  RETURN NEW;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, "bitemporal_record")}
  BEFORE INSERT ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${record}();`,
      `-- History is read-only; a correction is recorded from now on. Closing the transaction time
-- (and nothing else) at now() is how a DELETE retires a row.
CREATE FUNCTION ${correct}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT upper_inf(OLD.${recorded}) THEN
    RAISE EXCEPTION '% %: a row no longer current is history and cannot change', TG_TABLE_NAME, OLD.${recorded} USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.${recorded} IS DISTINCT FROM OLD.${recorded} THEN
    IF NEW.${recorded} = tstzrange(lower(OLD.${recorded}), now(), '[)') AND to_jsonb(NEW) - ${quoteLiteral(RECORDED)} = to_jsonb(OLD) - ${quoteLiteral(RECORDED)} THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION '%: ${RECORDED} is kept by the database', TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END IF;
  IF to_jsonb(NEW) <> to_jsonb(OLD) THEN
    NEW.${recorded} := ${open};
  END IF;
  RETURN NEW;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, "bitemporal_correct")}
  BEFORE UPDATE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${correct}();`,
      `-- The row as it was before a correction, kept with its transaction time closed. Its columns are
-- read from the catalog so that columns added later are kept too; the key gets a new value
-- from its default. Unchanged within the transaction that recorded it: nothing to keep.
CREATE FUNCTION ${keep}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  columns text;
BEGIN
  IF lower(OLD.${recorded}) = now() OR NEW.${recorded} = OLD.${recorded} OR NOT upper_inf(NEW.${recorded}) THEN
    RETURN NULL;
  END IF;
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO columns
    FROM pg_attribute a
   WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = TG_RELID AND i.indisprimary AND a.attnum = ANY (i.indkey));
  EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM jsonb_populate_record(NULL::%s, $1)', TG_RELID::regclass, columns, columns, TG_RELID::regclass)
    USING to_jsonb(OLD) || jsonb_build_object(${quoteLiteral(RECORDED)}, tstzrange(lower(OLD.${recorded}), now(), '[)'));
  RETURN NULL;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, "bitemporal_keep_correction")}
  AFTER UPDATE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${keep}();`,
      `-- A DELETE retires the row (its transaction time ends now); a row recorded in this same
-- transaction was never seen by another one and is removed.
CREATE FUNCTION ${retire}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT upper_inf(OLD.${recorded}) THEN
    RAISE EXCEPTION '% %: a row no longer current is history and cannot be deleted', TG_TABLE_NAME, OLD.${recorded} USING ERRCODE = 'check_violation';
  END IF;
  IF lower(OLD.${recorded}) = now() THEN
    RETURN OLD;
  END IF;
  UPDATE ${table} SET ${recorded} = tstzrange(lower(${recorded}), now(), '[)') WHERE ${pkMatch("OLD")};
  RETURN NULL;
END
$$;`,
      `CREATE TRIGGER ${bareName(target, "bitemporal_retire")}
  BEFORE DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${retire}();`,
    );
  },
};
