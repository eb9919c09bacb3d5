/**
 * The lock model (src/migrations/locks.ts): unit tests of each statement kind, then the same
 * statements run on a real PostgreSQL server, where the locks the model predicts are compared
 * with what pg_locks shows for the session running them.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import {
  LOCK_MODES,
  analyzeStatement,
  blockedBy,
  conflicts,
  lockStrength,
  sameRelation,
  sqlLockMode,
  strongestMode,
  type ForeignKeyRef,
  type LockMode,
  type RelationLock,
  type RelationRef,
  type SchemaLookup,
  type StatementEffect,
} from "../../src/migrations/locks.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import type { Statement } from "../../src/sources/types.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "../helpers/server.js";

await ensureParser();

function parse(sql: string): Statement {
  const { statements } = parseFile({ path: "migration.sql", text: sql }, 0);
  assert.equal(statements.length, 1, `expected one statement in ${sql}`);
  assert.ok(statements[0]!.ast, `parse error in ${sql}: ${statements[0]!.parseError?.message}`);
  return statements[0]!;
}

function analyze(sql: string, pgVersion = 15, lookup?: SchemaLookup): StatementEffect {
  return analyzeStatement(parse(sql), { pgVersion, ...(lookup ? { lookup } : {}) });
}

function modeOn(effect: StatementEffect, name: string): LockMode | undefined {
  return effect.locks.find((l) => l.relation.name === name)?.mode;
}

function hasNote(effect: StatementEffect, pattern: RegExp): boolean {
  return effect.notes.some((n) => pattern.test(n));
}

// ------------------------------------------------------------------------------------------------
// A lookup over a small fixed schema, the same one the live tests create.

interface LookupData {
  columns: Record<string, Record<string, string>>;
  foreignKeys: ForeignKeyRef[];
  indexes: Record<string, string>;
  notNullProven: Record<string, string[]>;
}

function lookupFrom(data: LookupData): SchemaLookup {
  return {
    columnType: (table, column) => data.columns[table.name]?.[column],
    foreignKeysFrom: (table) => data.foreignKeys.filter((fk) => sameRelation(fk.table, table)),
    foreignKeysTo: (table) => data.foreignKeys.filter((fk) => sameRelation(fk.references, table)),
    indexTable: (index) => (data.indexes[index.name] ? { name: data.indexes[index.name]! } : undefined),
    notNullProven: (table, column) => data.notNullProven[table.name]?.includes(column) ?? false,
  };
}

const fixture = lookupFrom({
  columns: {
    child: {
      id: "bigint",
      parent_id: "bigint",
      name: "character varying(50)",
      amount: "numeric(10,2)",
      note: "text",
      created: "timestamp without time zone",
      n: "integer",
    },
    t_nn: { id: "integer", name: "text" },
  },
  foreignKeys: [
    { name: "child_parent_fk", table: { name: "child" }, columns: ["parent_id"], references: { name: "parent" }, referencedColumns: ["id"] },
    { name: "leaf_parent_fk", table: { name: "leaf" }, columns: ["parent_id"], references: { name: "parent" }, referencedColumns: ["id"] },
  ],
  indexes: { child_name_idx: "child", child_note_uidx: "child", child_pkey: "child" },
  notNullProven: { t_nn: ["name"] },
});

// ------------------------------------------------------------------------------------------------

describe("conflicts(): the PostgreSQL lock conflict table", () => {
  test("is symmetric", () => {
    for (const a of LOCK_MODES) for (const b of LOCK_MODES) assert.equal(conflicts(a, b), conflicts(b, a), `${a} / ${b}`);
  });

  test("matches the documented table row by row", () => {
    const expected: Record<LockMode, number> = {
      AccessShareLock: 1,
      RowShareLock: 2,
      RowExclusiveLock: 4,
      ShareUpdateExclusiveLock: 5,
      ShareLock: 5,
      ShareRowExclusiveLock: 6,
      ExclusiveLock: 7,
      AccessExclusiveLock: 8,
    };
    for (const mode of LOCK_MODES) assert.equal(LOCK_MODES.filter((other) => conflicts(mode, other)).length, expected[mode], mode);
    assert.ok(!conflicts("RowExclusiveLock", "RowExclusiveLock"), "concurrent writers do not conflict at table level");
    assert.ok(!conflicts("ShareLock", "ShareLock"), "two CREATE INDEX can run together");
    assert.ok(conflicts("ShareUpdateExclusiveLock", "ShareUpdateExclusiveLock"), "SHARE UPDATE EXCLUSIVE is self-conflicting");
    assert.ok(!conflicts("ExclusiveLock", "AccessShareLock"), "EXCLUSIVE still allows plain reads");
    assert.ok(conflicts("AccessExclusiveLock", "AccessShareLock"));
  });

  test("blockedBy() reads the table: which of SELECT (ACCESS SHARE) and writes (ROW EXCLUSIVE) wait", () => {
    assert.equal(blockedBy("AccessShareLock"), "nothing");
    assert.equal(blockedBy("ShareUpdateExclusiveLock"), "nothing");
    assert.equal(blockedBy("ShareLock"), "writes");
    assert.equal(blockedBy("ShareRowExclusiveLock"), "writes");
    assert.equal(blockedBy("ExclusiveLock"), "writes");
    assert.equal(blockedBy("AccessExclusiveLock"), "reads and writes");
    assert.equal(strongestMode(["ShareLock", "RowShareLock", "ShareUpdateExclusiveLock"]), "ShareLock");
    assert.equal(lockStrength("AccessExclusiveLock"), 8);
    assert.equal(sqlLockMode("ShareRowExclusiveLock"), "SHARE ROW EXCLUSIVE");
  });
});

describe("analyzeStatement(): indexes", () => {
  test("CREATE INDEX blocks writes and scans; CONCURRENTLY does not block", () => {
    const plain = analyze("CREATE INDEX child_n_idx ON child (n)");
    assert.equal(modeOn(plain, "child"), "ShareLock");
    assert.equal(plain.blocks, "writes");
    assert.equal(plain.scan, true);
    assert.equal(plain.rewrite, "no");
    assert.deepEqual(plain.locks.find((l) => l.relation.name === "child_n_idx"), {
      relation: { name: "child_n_idx" },
      mode: "AccessExclusiveLock",
      why: "the new index",
      created: true,
    });
    const concurrent = analyze("CREATE INDEX CONCURRENTLY ON child (n)");
    assert.equal(modeOn(concurrent, "child"), "ShareUpdateExclusiveLock");
    assert.equal(concurrent.blocks, "nothing");
    assert.ok(hasNote(concurrent, /transaction block/));
  });

  test("CREATE INDEX IF NOT EXISTS naming an existing index takes the table lock and builds nothing", () => {
    const existing = analyze("CREATE INDEX IF NOT EXISTS child_name_idx ON child (n)", 15, fixture);
    assert.equal(modeOn(existing, "child"), "ShareLock");
    assert.equal(existing.blocks, "writes");
    assert.equal(existing.scan, false);
    assert.equal(existing.locks.some((l) => l.created), false);
    assert.ok(hasNote(existing, /already exists/));
    const fresh = analyze("CREATE INDEX IF NOT EXISTS child_n_idx ON child (n)", 15, fixture);
    assert.equal(fresh.scan, true);
    assert.equal(analyze("CREATE INDEX IF NOT EXISTS child_name_idx ON child (n)").scan, true, "without a lookup the build is assumed");
  });

  test("DROP INDEX locks its table ACCESS EXCLUSIVE; CONCURRENTLY takes SHARE UPDATE EXCLUSIVE", () => {
    const plain = analyze("DROP INDEX child_name_idx", 15, fixture);
    assert.equal(modeOn(plain, "child_name_idx"), "AccessExclusiveLock");
    assert.equal(modeOn(plain, "child"), "AccessExclusiveLock");
    assert.equal(plain.blocks, "reads and writes");
    const noLookup = analyze("DROP INDEX child_name_idx");
    assert.ok(hasNote(noLookup, /index's table ACCESS EXCLUSIVE/));
    const concurrent = analyze("DROP INDEX CONCURRENTLY child_name_idx", 15, fixture);
    assert.equal(modeOn(concurrent, "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(concurrent, "child_name_idx"), "ShareUpdateExclusiveLock");
    assert.equal(concurrent.blocks, "nothing");
  });

  test("a type change to or from an extension's type follows pg_cast: relabelled, or rewritten", () => {
    const casts = (from: string, to: string) => from === "text" && to === "citext";
    const withCasts = { ...fixture, columnType: () => "text", binaryCoercible: casts };
    assert.equal(analyze("ALTER TABLE child ALTER COLUMN name TYPE citext", 15, withCasts).rewrite, "no");
    assert.equal(analyze("ALTER TABLE child ALTER COLUMN name TYPE public.citext", 15, withCasts).rewrite, "no");
    assert.equal(analyze("ALTER TABLE child ALTER COLUMN name TYPE hstore", 15, withCasts).rewrite, "yes");
    assert.equal(analyze("ALTER TABLE child ALTER COLUMN name TYPE citext", 15, { ...fixture, columnType: () => "text" }).rewrite, "depends", "without pg_cast the verdict stays open");
  });

  test("DROP INDEX IF EXISTS of an index that is already gone locks nothing", () => {
    const gone = analyze("DROP INDEX IF EXISTS jobs_name_key", 15, { ...fixture, exists: (rel) => rel.name !== "jobs_name_key" });
    assert.deepEqual(gone.locks, []);
    assert.equal(gone.blocks, "nothing");
    const unknown = analyze("DROP INDEX IF EXISTS jobs_name_key", 15, fixture);
    assert.equal(modeOn(unknown, "jobs_name_key"), "AccessExclusiveLock", "without knowing, the drop is assumed to happen");
  });

  test("REINDEX: SHARE on the table, ACCESS EXCLUSIVE on the index; CONCURRENTLY from PG 12", () => {
    const index = analyze("REINDEX INDEX child_name_idx", 15, fixture);
    assert.equal(modeOn(index, "child"), "ShareLock");
    assert.equal(modeOn(index, "child_name_idx"), "AccessExclusiveLock");
    assert.equal(index.blocks, "reads and writes");
    assert.equal(index.rewrite, "no");
    const table = analyze("REINDEX TABLE child");
    assert.equal(modeOn(table, "child"), "ShareLock");
    assert.equal(table.blocks, "reads and writes", "its indexes are locked ACCESS EXCLUSIVE");
    const concurrent = analyze("REINDEX TABLE CONCURRENTLY child");
    assert.equal(modeOn(concurrent, "child"), "ShareUpdateExclusiveLock");
    assert.equal(concurrent.blocks, "nothing");
    assert.ok(!hasNote(concurrent, /needs PostgreSQL 12/));
    assert.ok(hasNote(analyze("REINDEX (CONCURRENTLY) INDEX child_name_idx", 11), /needs PostgreSQL 12/));
  });
});

describe("analyzeStatement(): tables", () => {
  test("CREATE TABLE … REFERENCES takes SHARE ROW EXCLUSIVE on the referenced table", () => {
    const effect = analyze("CREATE TABLE t_new (id int, parent_id bigint REFERENCES parent (id), CONSTRAINT f2 FOREIGN KEY (id) REFERENCES other)");
    assert.equal(modeOn(effect, "parent"), "ShareRowExclusiveLock");
    assert.equal(modeOn(effect, "other"), "ShareRowExclusiveLock");
    assert.equal(effect.locks.find((l) => l.relation.name === "t_new")?.created, true);
    assert.equal(effect.blocks, "writes", "the new table's own lock blocks no one");
    const plain = analyze("CREATE TABLE t_new (id int)");
    assert.equal(plain.blocks, "nothing");
    const self = analyze("CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree)");
    assert.equal(self.locks.length, 1);
  });

  test("CREATE TABLE … PARTITION OF locks the parent ACCESS EXCLUSIVE, INHERITS SHARE UPDATE EXCLUSIVE", () => {
    assert.equal(modeOn(analyze("CREATE TABLE e26 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"), "events"), "AccessExclusiveLock");
    assert.equal(modeOn(analyze("CREATE TABLE c2 (x int) INHERITS (lone)"), "lone"), "ShareUpdateExclusiveLock");
  });

  test("DROP TABLE also locks the tables it references", () => {
    const effect = analyze("DROP TABLE leaf", 15, fixture);
    assert.equal(modeOn(effect, "leaf"), "AccessExclusiveLock");
    assert.equal(modeOn(effect, "parent"), "AccessExclusiveLock");
    const cascade = analyze("DROP TABLE parent CASCADE", 15, fixture);
    assert.equal(modeOn(cascade, "child"), "AccessExclusiveLock");
    assert.equal(modeOn(cascade, "leaf"), "AccessExclusiveLock");
    assert.ok(hasNote(analyze("DROP TABLE leaf"), /references by foreign key/));
  });

  test("TRUNCATE is ACCESS EXCLUSIVE, CASCADE reaches the referencing tables", () => {
    const effect = analyze("TRUNCATE parent CASCADE", 15, fixture);
    assert.equal(modeOn(effect, "parent"), "AccessExclusiveLock");
    assert.equal(modeOn(effect, "child"), "AccessExclusiveLock");
    assert.equal(modeOn(effect, "leaf"), "AccessExclusiveLock");
    assert.equal(effect.rewrite, "no");
  });
});

describe("analyzeStatement(): ALTER TABLE … ADD COLUMN", () => {
  test("without a default: catalog only", () => {
    const effect = analyze("ALTER TABLE child ADD COLUMN x int");
    assert.equal(modeOn(effect, "child"), "AccessExclusiveLock");
    assert.equal(effect.rewrite, "no");
    assert.equal(effect.scan, false);
  });

  test("a constant default rewrites before PG 11 only", () => {
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x int DEFAULT 5", 15).rewrite, "no");
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x int DEFAULT 5", 10).rewrite, "yes");
    assert.ok(hasNote(analyze("ALTER TABLE child ADD COLUMN x int DEFAULT 5", 15), /since PG 11/));
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x timestamptz NOT NULL DEFAULT now()").rewrite, "no");
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x text DEFAULT lower('A') || 'b'").rewrite, "no");
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x timestamptz DEFAULT CURRENT_TIMESTAMP").rewrite, "no");
  });

  test("a volatile default, serial, identity and stored generated columns rewrite", () => {
    for (const sql of [
      "ALTER TABLE child ADD COLUMN x float8 DEFAULT random()",
      "ALTER TABLE child ADD COLUMN x uuid DEFAULT gen_random_uuid()",
      "ALTER TABLE child ADD COLUMN x timestamptz DEFAULT clock_timestamp()",
      "ALTER TABLE child ADD COLUMN x serial",
      "ALTER TABLE child ADD COLUMN x bigserial",
      "ALTER TABLE child ADD COLUMN x int GENERATED ALWAYS AS IDENTITY",
      "ALTER TABLE child ADD COLUMN x int GENERATED ALWAYS AS (n * 2) STORED",
    ]) {
      assert.equal(analyze(sql).rewrite, "yes", sql);
    }
  });

  test("a default calling an unknown function depends on its volatility", () => {
    const effect = analyze("ALTER TABLE child ADD COLUMN x int DEFAULT my_func()");
    assert.equal(effect.rewrite, "depends");
    assert.ok(hasNote(effect, /my_func/));
  });

  test("virtual generated columns (PG 18) do not rewrite", () => {
    const effect = analyze("ALTER TABLE child ADD COLUMN x int GENERATED ALWAYS AS (n * 2) VIRTUAL", 18);
    assert.equal(effect.rewrite, "no");
    assert.ok(hasNote(analyze("ALTER TABLE child ADD COLUMN x int GENERATED ALWAYS AS (n * 2) VIRTUAL", 15), /PG 18/));
  });

  test("constraints on the new column: CHECK scans, UNIQUE builds an index, REFERENCES locks the other table", () => {
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x int CHECK (x > 0)").scan, true);
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x int UNIQUE").scan, true);
    const fk = analyze("ALTER TABLE child ADD COLUMN x bigint REFERENCES parent (id)");
    assert.equal(modeOn(fk, "parent"), "ShareRowExclusiveLock");
    assert.equal(modeOn(fk, "child"), "AccessExclusiveLock");
    assert.equal(fk.scan, false, "a new column holds only NULLs: nothing to validate");
    assert.equal(analyze("ALTER TABLE child ADD COLUMN x int NOT NULL").scan, true);
  });
});

describe("analyzeStatement(): ALTER TABLE … column changes", () => {
  test("DROP COLUMN is catalog-only; a foreign-key column also locks the referenced table", () => {
    const effect = analyze("ALTER TABLE leaf DROP COLUMN parent_id", 15, fixture);
    assert.equal(effect.rewrite, "no");
    assert.equal(modeOn(effect, "parent"), "AccessExclusiveLock");
    assert.equal(modeOn(analyze("ALTER TABLE child DROP COLUMN note", 15, fixture), "parent"), undefined);
  });

  test("ALTER COLUMN TYPE: binary-coercible changes do not rewrite", () => {
    const cases: [string, StatementEffect["rewrite"]][] = [
      ["ALTER TABLE child ALTER COLUMN name TYPE text", "no"],
      ["ALTER TABLE child ALTER COLUMN name TYPE varchar(100)", "no"],
      ["ALTER TABLE child ALTER COLUMN name TYPE varchar", "no"],
      ["ALTER TABLE child ALTER COLUMN name TYPE character varying(50)", "no"],
      ["ALTER TABLE child ALTER COLUMN name TYPE varchar(10)", "yes"],
      ["ALTER TABLE child ALTER COLUMN amount TYPE numeric(12,2)", "no"],
      ["ALTER TABLE child ALTER COLUMN amount TYPE numeric", "no"],
      ["ALTER TABLE child ALTER COLUMN amount TYPE numeric(12,3)", "yes"],
      ["ALTER TABLE child ALTER COLUMN amount TYPE numeric(8,2)", "yes"],
      ["ALTER TABLE child ALTER COLUMN n TYPE bigint", "yes"],
      ["ALTER TABLE child ALTER COLUMN n TYPE int", "no"],
      ["ALTER TABLE child ALTER COLUMN note TYPE varchar(100)", "yes"],
      ["ALTER TABLE child ALTER COLUMN note TYPE varchar", "no"],
      ["ALTER TABLE child ALTER COLUMN created TYPE timestamptz", "depends"],
      ["ALTER TABLE child ALTER COLUMN name TYPE varchar(100) USING name::varchar(100)", "no"],
      ["ALTER TABLE child ALTER COLUMN name TYPE varchar(100) USING trim(name)", "yes"],
      ["ALTER TABLE child ALTER COLUMN note TYPE citext", "depends"],
    ];
    for (const [sql, rewrite] of cases) {
      const effect = analyze(sql, 15, fixture);
      assert.equal(effect.rewrite, rewrite, sql);
      assert.equal(modeOn(effect, "child"), "AccessExclusiveLock", sql);
    }
    assert.equal(analyze("ALTER TABLE child ALTER COLUMN created TYPE timestamptz", 11, fixture).rewrite, "yes");
  });

  test("ALTER COLUMN TYPE without knowing the old type: depends", () => {
    const effect = analyze("ALTER TABLE child ALTER COLUMN name TYPE text");
    assert.equal(effect.rewrite, "depends");
    assert.ok(hasNote(effect, /current type/));
  });

  test("SET NOT NULL scans unless a valid CHECK proves it (PG 12+)", () => {
    const plain = analyze("ALTER TABLE child ALTER COLUMN name SET NOT NULL", 15, fixture);
    assert.equal(plain.scan, true);
    assert.equal(modeOn(plain, "child"), "AccessExclusiveLock");
    assert.equal(analyze("ALTER TABLE t_nn ALTER COLUMN name SET NOT NULL", 15, fixture).scan, false);
    assert.equal(analyze("ALTER TABLE t_nn ALTER COLUMN name SET NOT NULL", 11, fixture).scan, true);
    assert.ok(hasNote(analyze("ALTER TABLE child ALTER COLUMN name SET NOT NULL", 18), /PG 18/));
  });

  test("DROP NOT NULL, SET DEFAULT and DROP DEFAULT are catalog-only under ACCESS EXCLUSIVE", () => {
    for (const sql of [
      "ALTER TABLE child ALTER COLUMN name DROP NOT NULL",
      "ALTER TABLE child ALTER COLUMN name SET DEFAULT 'x'",
      "ALTER TABLE child ALTER COLUMN name DROP DEFAULT",
    ]) {
      const effect = analyze(sql);
      assert.equal(modeOn(effect, "child"), "AccessExclusiveLock", sql);
      assert.equal(effect.rewrite, "no", sql);
      assert.equal(effect.scan, false, sql);
    }
  });

  test("SET STATISTICS and attribute options take SHARE UPDATE EXCLUSIVE", () => {
    assert.equal(modeOn(analyze("ALTER TABLE child ALTER COLUMN n SET STATISTICS 500"), "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("ALTER TABLE child ALTER COLUMN n SET (n_distinct = 10)"), "child"), "ShareUpdateExclusiveLock");
  });
});

describe("analyzeStatement(): ALTER TABLE … constraints", () => {
  test("ADD FOREIGN KEY: SHARE ROW EXCLUSIVE on both tables; NOT VALID skips the scan", () => {
    const valid = analyze("ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY (parent_id) REFERENCES parent (id)");
    assert.equal(modeOn(valid, "child"), "ShareRowExclusiveLock");
    assert.equal(modeOn(valid, "parent"), "ShareRowExclusiveLock");
    assert.equal(valid.scan, true);
    assert.equal(valid.blocks, "writes");
    const notValid = analyze("ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID");
    assert.equal(notValid.scan, false);
    assert.equal(modeOn(notValid, "parent"), "ShareRowExclusiveLock");
  });

  test("VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE (ROW SHARE on a referenced table)", () => {
    const fk = analyze("ALTER TABLE child VALIDATE CONSTRAINT child_parent_fk", 15, fixture);
    assert.equal(modeOn(fk, "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(fk, "parent"), "RowShareLock");
    assert.equal(fk.scan, true);
    assert.equal(fk.blocks, "nothing");
    const check = analyze("ALTER TABLE child VALIDATE CONSTRAINT child_n_check", 15, fixture);
    assert.equal(check.locks.length, 1);
  });

  test("ADD CHECK is ACCESS EXCLUSIVE; it scans unless NOT VALID", () => {
    assert.equal(analyze("ALTER TABLE child ADD CONSTRAINT c2 CHECK (n > 0)").scan, true);
    const notValid = analyze("ALTER TABLE child ADD CONSTRAINT c2 CHECK (n > 0) NOT VALID");
    assert.equal(notValid.scan, false);
    assert.equal(modeOn(notValid, "child"), "AccessExclusiveLock");
  });

  test("ADD UNIQUE / PRIMARY KEY build an index under ACCESS EXCLUSIVE; USING INDEX does not", () => {
    const unique = analyze("ALTER TABLE child ADD CONSTRAINT u2 UNIQUE (name)");
    assert.equal(modeOn(unique, "child"), "AccessExclusiveLock");
    assert.equal(unique.scan, true);
    const using = analyze("ALTER TABLE child ADD CONSTRAINT u2 UNIQUE USING INDEX child_note_uidx");
    assert.equal(using.scan, false);
    assert.equal(modeOn(using, "child_note_uidx"), "ShareUpdateExclusiveLock");
    assert.equal(analyze("ALTER TABLE lone ADD PRIMARY KEY USING INDEX lone_id_uidx").scan, true);
    assert.equal(analyze("ALTER TABLE child ADD PRIMARY KEY (id)").scan, true);
  });

  test("ADD EXCLUDE builds its index under ACCESS EXCLUSIVE", () => {
    const effect = analyze("ALTER TABLE child ADD CONSTRAINT ex EXCLUDE USING gist (n WITH =)");
    assert.equal(modeOn(effect, "child"), "AccessExclusiveLock");
    assert.equal(effect.scan, true);
  });

  test("DROP CONSTRAINT of a foreign key locks the referenced table ACCESS EXCLUSIVE", () => {
    assert.equal(modeOn(analyze("ALTER TABLE child DROP CONSTRAINT child_parent_fk", 15, fixture), "parent"), "AccessExclusiveLock");
    assert.equal(analyze("ALTER TABLE child DROP CONSTRAINT child_n_check", 15, fixture).locks.length, 1);
  });

  test("PG 18 NOT NULL constraints can be added NOT VALID", () => {
    const effect = analyze("ALTER TABLE child ADD CONSTRAINT nn NOT NULL name NOT VALID", 18);
    assert.equal(effect.scan, false);
    assert.equal(analyze("ALTER TABLE child ADD CONSTRAINT nn NOT NULL name", 18).scan, true);
  });

  test("several subcommands: the strongest lock wins, rewrite and scan combine", () => {
    const effect = analyze(
      "ALTER TABLE child ALTER COLUMN n SET STATISTICS 10, ADD CONSTRAINT c2 CHECK (n > 0), ALTER COLUMN n TYPE bigint, DISABLE TRIGGER ALL",
      15,
      fixture,
    );
    assert.equal(effect.locks.length, 1);
    assert.equal(modeOn(effect, "child"), "AccessExclusiveLock");
    assert.equal(effect.rewrite, "yes");
    assert.equal(effect.scan, true);
    const weak = analyze("ALTER TABLE child DISABLE TRIGGER child_noop, SET (fillfactor = 50)");
    assert.equal(modeOn(weak, "child"), "ShareRowExclusiveLock");
    assert.equal(weak.rewrite, "no");
  });
});

describe("analyzeStatement(): other ALTER TABLE forms", () => {
  test("RENAME COLUMN / TABLE / CONSTRAINT are ACCESS EXCLUSIVE; ALTER INDEX RENAME is SHARE UPDATE EXCLUSIVE since PG 12", () => {
    for (const sql of ["ALTER TABLE child RENAME COLUMN name TO name2", "ALTER TABLE child RENAME TO child2", "ALTER TABLE child RENAME CONSTRAINT child_n_check TO c3"]) {
      const effect = analyze(sql);
      assert.equal(modeOn(effect, "child"), "AccessExclusiveLock", sql);
      assert.equal(effect.rewrite, "no", sql);
    }
    assert.equal(modeOn(analyze("ALTER INDEX child_name_idx RENAME TO i2"), "child_name_idx"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("ALTER INDEX child_name_idx RENAME TO i2", 11), "child_name_idx"), "AccessExclusiveLock");
  });

  test("SET LOGGED / UNLOGGED / TABLESPACE rewrite under ACCESS EXCLUSIVE", () => {
    for (const sql of ["ALTER TABLE child SET UNLOGGED", "ALTER TABLE child SET LOGGED", "ALTER TABLE child SET TABLESPACE pg_default"]) {
      const effect = analyze(sql);
      assert.equal(modeOn(effect, "child"), "AccessExclusiveLock", sql);
      assert.equal(effect.rewrite, "yes", sql);
    }
  });

  test("ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the parent since PG 12, the partition is scanned", () => {
    const sql = "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')";
    const effect = analyze(sql);
    assert.equal(modeOn(effect, "events"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(effect, "events_2025"), "AccessExclusiveLock");
    assert.equal(effect.scan, true);
    assert.equal(modeOn(analyze(sql, 11), "events"), "AccessExclusiveLock");
  });

  test("DETACH PARTITION: ACCESS EXCLUSIVE; CONCURRENTLY (PG 14+) SHARE UPDATE EXCLUSIVE on the parent", () => {
    const plain = analyze("ALTER TABLE events DETACH PARTITION events_2024");
    assert.equal(modeOn(plain, "events"), "AccessExclusiveLock");
    assert.equal(modeOn(plain, "events_2024"), "AccessExclusiveLock");
    const concurrent = analyze("ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY");
    assert.equal(modeOn(concurrent, "events"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(concurrent, "events_2024"), "AccessExclusiveLock");
    assert.ok(hasNote(analyze("ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY", 13), /PostgreSQL 14/));
  });

  test("ENABLE / DISABLE TRIGGER take SHARE ROW EXCLUSIVE", () => {
    assert.equal(modeOn(analyze("ALTER TABLE child DISABLE TRIGGER child_noop"), "child"), "ShareRowExclusiveLock");
    assert.equal(modeOn(analyze("ALTER TABLE child ENABLE TRIGGER ALL"), "child"), "ShareRowExclusiveLock");
    assert.ok(hasNote(analyze("ALTER TABLE child DISABLE TRIGGER ALL"), /foreign-key triggers/));
  });

  test("SET (storage parameters): SHARE UPDATE EXCLUSIVE except user_catalog_table and view options", () => {
    assert.equal(modeOn(analyze("ALTER TABLE child SET (fillfactor = 70)"), "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("ALTER TABLE child SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"), "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("ALTER TABLE child RESET (fillfactor)"), "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("ALTER TABLE child SET (user_catalog_table = true)"), "child"), "AccessExclusiveLock");
  });
});

describe("analyzeStatement(): maintenance, triggers, types, comments", () => {
  test("CLUSTER and VACUUM FULL rewrite under ACCESS EXCLUSIVE; plain VACUUM does not block", () => {
    const clusterEffect = analyze("CLUSTER child USING child_pkey");
    assert.equal(modeOn(clusterEffect, "child"), "AccessExclusiveLock");
    assert.equal(clusterEffect.rewrite, "yes");
    const full = analyze("VACUUM FULL child");
    assert.equal(modeOn(full, "child"), "AccessExclusiveLock");
    assert.equal(full.rewrite, "yes");
    assert.ok(hasNote(full, /transaction block/));
    assert.equal(modeOn(analyze("VACUUM (FULL, ANALYZE) child"), "child"), "AccessExclusiveLock");
    assert.equal(modeOn(analyze("VACUUM child"), "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("ANALYZE child"), "child"), "ShareUpdateExclusiveLock");
  });

  test("REFRESH MATERIALIZED VIEW: ACCESS EXCLUSIVE; CONCURRENTLY: EXCLUSIVE (reads go on)", () => {
    const plain = analyze("REFRESH MATERIALIZED VIEW child_counts");
    assert.equal(modeOn(plain, "child_counts"), "AccessExclusiveLock");
    assert.equal(plain.rewrite, "yes");
    const concurrent = analyze("REFRESH MATERIALIZED VIEW CONCURRENTLY child_counts");
    assert.equal(modeOn(concurrent, "child_counts"), "ExclusiveLock");
    assert.equal(concurrent.blocks, "writes");
    assert.equal(concurrent.rewrite, "no");
  });

  test("CREATE TRIGGER blocks writes, DROP TRIGGER blocks reads too", () => {
    assert.equal(modeOn(analyze("CREATE TRIGGER t2 AFTER UPDATE ON child FOR EACH ROW EXECUTE FUNCTION noop()"), "child"), "ShareRowExclusiveLock");
    assert.equal(modeOn(analyze("DROP TRIGGER child_noop ON child"), "child"), "AccessExclusiveLock");
    assert.equal(modeOn(analyze("DROP TRIGGER IF EXISTS child_noop ON public.child"), "child"), "AccessExclusiveLock");
  });

  test("ALTER TYPE … ADD VALUE locks no table; before PG 12 it cannot run in a transaction", () => {
    const effect = analyze("ALTER TYPE mood ADD VALUE 'meh'");
    assert.deepEqual(effect.locks, []);
    assert.equal(effect.blocks, "nothing");
    assert.ok(hasNote(analyze("ALTER TYPE mood ADD VALUE 'meh'", 11), /cannot run inside a transaction block/));
  });

  test("COMMENT ON: SHARE UPDATE EXCLUSIVE on tables, columns and indexes", () => {
    assert.equal(modeOn(analyze("COMMENT ON TABLE child IS 'x'"), "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("COMMENT ON COLUMN public.child.n IS 'x'"), "child"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("COMMENT ON INDEX child_name_idx IS 'x'"), "child_name_idx"), "ShareUpdateExclusiveLock");
    assert.equal(modeOn(analyze("COMMENT ON CONSTRAINT child_n_check ON child IS 'x'"), "child"), "AccessShareLock");
    assert.deepEqual(analyze("COMMENT ON FUNCTION noop() IS 'x'").locks, []);
  });
});

describe("analyzeStatement(): data changes and LOCK TABLE", () => {
  test("UPDATE / DELETE / INSERT take ROW EXCLUSIVE; tables they read ACCESS SHARE", () => {
    const updateEffect = analyze("UPDATE child SET n = 1 FROM parent WHERE parent.id = child.parent_id");
    assert.equal(modeOn(updateEffect, "child"), "RowExclusiveLock");
    assert.equal(modeOn(updateEffect, "parent"), "AccessShareLock");
    assert.equal(updateEffect.blocks, "nothing");
    assert.equal(modeOn(analyze("DELETE FROM child WHERE id = 1"), "child"), "RowExclusiveLock");
    const insertEffect = analyze("WITH src AS (SELECT id FROM lone) INSERT INTO child (id) SELECT id FROM src");
    assert.equal(modeOn(insertEffect, "child"), "RowExclusiveLock");
    assert.equal(modeOn(insertEffect, "lone"), "AccessShareLock");
    assert.equal(modeOn(insertEffect, "src"), undefined);
  });

  test("foreign-key checks take ROW SHARE on the other table", () => {
    assert.equal(modeOn(analyze("INSERT INTO child (id, parent_id) VALUES (5000, 1)", 15, fixture), "parent"), "RowShareLock");
    assert.equal(modeOn(analyze("INSERT INTO child (id) VALUES (5000)", 15, fixture), "parent"), undefined);
    assert.equal(modeOn(analyze("UPDATE child SET parent_id = 2 WHERE id = 1", 15, fixture), "parent"), "RowShareLock");
    assert.equal(modeOn(analyze("UPDATE child SET n = 2 WHERE id = 1", 15, fixture), "parent"), undefined);
    const del = analyze("DELETE FROM parent WHERE id = 1000", 15, fixture);
    assert.equal(modeOn(del, "child"), "RowShareLock");
    assert.equal(modeOn(del, "leaf"), "RowShareLock");
  });

  test("LOCK TABLE takes the mode it names (ACCESS EXCLUSIVE by default)", () => {
    assert.equal(modeOn(analyze("LOCK TABLE child"), "child"), "AccessExclusiveLock");
    assert.equal(modeOn(analyze("LOCK TABLE child IN SHARE MODE"), "child"), "ShareLock");
    const two = analyze("LOCK child, parent IN ROW EXCLUSIVE MODE NOWAIT");
    assert.equal(modeOn(two, "parent"), "RowExclusiveLock");
    assert.equal(modeOn(two, "child"), "RowExclusiveLock");
  });

  test("unknown statements and parse errors say so", () => {
    assert.ok(hasNote(analyze("CREATE EXTENSION IF NOT EXISTS pgcrypto"), /not in the lock model/));
    const [broken] = parseFile({ path: "x.sql", text: "ALTER TABLE" }, 0).statements;
    assert.ok(hasNote(analyzeStatement(broken!, { pgVersion: 15 }), /could not be parsed/));
  });

  test("pgVersion accepts server_version_num", () => {
    assert.equal(modeOn(analyze("ALTER INDEX child_name_idx RENAME TO i2", 110005), "child_name_idx"), "AccessExclusiveLock");
    assert.equal(modeOn(analyze("ALTER INDEX child_name_idx RENAME TO i2", 150004), "child_name_idx"), "ShareUpdateExclusiveLock");
  });
});

// ------------------------------------------------------------------------------------------------
// Verification against a real server.

const SETUP = `
CREATE SCHEMA archive;
CREATE TABLE parent (id bigint PRIMARY KEY, code text UNIQUE, v int);
CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint, name varchar(50), amount numeric(10,2), note text, created timestamp, n int);
CREATE INDEX child_name_idx ON child (name);
CREATE UNIQUE INDEX child_note_uidx ON child (note);
ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;
ALTER TABLE child ADD CONSTRAINT child_n_check CHECK (n > 0) NOT VALID;
CREATE TABLE leaf (id int PRIMARY KEY, parent_id bigint CONSTRAINT leaf_parent_fk REFERENCES parent (id));
CREATE TABLE lone (id int, label text NOT NULL);
CREATE UNIQUE INDEX lone_id_uidx ON lone (id);
CREATE UNLOGGED TABLE scratch_unlogged (id int);
CREATE TABLE t_nn (id int, name text CONSTRAINT t_nn_name_not_null CHECK (name IS NOT NULL));
CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 (id bigint, at date);
CREATE MATERIALIZED VIEW child_counts AS SELECT parent_id, count(*) AS n FROM child GROUP BY parent_id;
CREATE UNIQUE INDEX child_counts_parent_idx ON child_counts (parent_id);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER child_noop BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION noop();
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE people (id int, m mood);
INSERT INTO parent SELECT g, 'c' || g, g FROM generate_series(1, 1000) g;
INSERT INTO child SELECT g, g, 'n' || g, g, 'note' || g, '2024-01-01'::timestamp + g * interval '1 hour', g FROM generate_series(1, 200) g;
INSERT INTO leaf SELECT g, g FROM generate_series(1, 50) g;
INSERT INTO lone SELECT g, 'x' FROM generate_series(1, 10) g;
INSERT INTO scratch_unlogged SELECT g FROM generate_series(1, 10) g;
INSERT INTO t_nn VALUES (1, 'a');
INSERT INTO events VALUES (1, '2024-05-01');
INSERT INTO events_2025 VALUES (1, '2025-05-01');
INSERT INTO people VALUES (1, 'happy');
REFRESH MATERIALIZED VIEW child_counts;
ANALYZE;
`;

interface LiveCase {
  sql: string;
  /** Table whose files and DEBUG messages tell whether it was rewritten or scanned. */
  table?: string;
  /** Why the rewrite cannot be observed for this statement (then it is not checked). */
  rewriteUnobservable?: string;
  /** Why the scan cannot be observed for this statement (then it is not checked). */
  scanUnobservable?: string;
}

/** Statements run in session A inside BEGIN … ROLLBACK, observed from session B. */
const IN_TRANSACTION: LiveCase[] = [
  { sql: "CREATE INDEX child_n_idx ON child (n)" },
  { sql: "CREATE INDEX IF NOT EXISTS child_name_idx ON child (n)" },
  { sql: "DROP INDEX child_name_idx" },
  { sql: "REINDEX INDEX child_name_idx" },
  { sql: "REINDEX TABLE child" },
  { sql: "CREATE TABLE t_new (id int, parent_id bigint REFERENCES parent (id))", table: "parent" },
  { sql: "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", table: "events" },
  { sql: "CREATE TABLE lone_child (x int) INHERITS (lone)", table: "lone" },
  { sql: "DROP TABLE lone", rewriteUnobservable: "the table is gone" },
  { sql: "DROP TABLE leaf", rewriteUnobservable: "the table is gone" },
  { sql: "TRUNCATE lone", rewriteUnobservable: "TRUNCATE swaps in an empty file: a new file, but no row copied", scanUnobservable: "rebuilds the empty indexes" },
  { sql: "TRUNCATE parent CASCADE", rewriteUnobservable: "TRUNCATE swaps in an empty file", scanUnobservable: "rebuilds the empty indexes" },
  { sql: "ALTER TABLE child ADD COLUMN x int" },
  { sql: "ALTER TABLE child ADD COLUMN x int DEFAULT 5" },
  { sql: "ALTER TABLE child ADD COLUMN x timestamptz NOT NULL DEFAULT now()" },
  { sql: "ALTER TABLE child ADD COLUMN x float8 DEFAULT random()" },
  { sql: "ALTER TABLE child ADD COLUMN x uuid DEFAULT gen_random_uuid()" },
  { sql: "ALTER TABLE child ADD COLUMN x serial" },
  { sql: "ALTER TABLE child ADD COLUMN x int GENERATED ALWAYS AS IDENTITY" },
  { sql: "ALTER TABLE child ADD COLUMN x int GENERATED ALWAYS AS (n * 2) STORED" },
  { sql: "ALTER TABLE child ADD COLUMN x bigint REFERENCES parent (id)" },
  { sql: "ALTER TABLE child ADD COLUMN x int CHECK (x > 0)" },
  { sql: "ALTER TABLE child ADD COLUMN x int UNIQUE" },
  { sql: "ALTER TABLE child DROP COLUMN note" },
  { sql: "ALTER TABLE leaf DROP COLUMN parent_id" },
  { sql: "ALTER TABLE child ALTER COLUMN name TYPE text" },
  { sql: "ALTER TABLE child ALTER COLUMN name TYPE varchar(100)" },
  { sql: "ALTER TABLE child ALTER COLUMN name TYPE varchar(10)" },
  { sql: "ALTER TABLE child ALTER COLUMN name TYPE varchar(100) USING name::varchar(100)" },
  { sql: "ALTER TABLE child ALTER COLUMN amount TYPE numeric(12,2)" },
  { sql: "ALTER TABLE child ALTER COLUMN amount TYPE numeric(12,3)" },
  { sql: "ALTER TABLE child ALTER COLUMN n TYPE bigint" },
  { sql: "ALTER TABLE child ALTER COLUMN note TYPE varchar(100)" },
  { sql: "ALTER TABLE child ALTER COLUMN created TYPE timestamptz" },
  { sql: "ALTER TABLE child ALTER COLUMN name SET NOT NULL" },
  { sql: "ALTER TABLE t_nn ALTER COLUMN name SET NOT NULL" },
  { sql: "ALTER TABLE lone ALTER COLUMN label DROP NOT NULL" },
  { sql: "ALTER TABLE child ALTER COLUMN name SET DEFAULT 'x'" },
  { sql: "ALTER TABLE child ALTER COLUMN created DROP DEFAULT" },
  { sql: "ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY (parent_id) REFERENCES parent (id)" },
  { sql: "ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID" },
  { sql: "ALTER TABLE child VALIDATE CONSTRAINT child_parent_fk" },
  { sql: "ALTER TABLE child VALIDATE CONSTRAINT child_n_check" },
  { sql: "ALTER TABLE child ADD CONSTRAINT c2 CHECK (n > 0)" },
  { sql: "ALTER TABLE child ADD CONSTRAINT c2 CHECK (n > 0) NOT VALID" },
  { sql: "ALTER TABLE child ADD CONSTRAINT u2 UNIQUE (name)" },
  { sql: "ALTER TABLE child ADD CONSTRAINT u2 UNIQUE USING INDEX child_note_uidx" },
  { sql: "ALTER TABLE lone ADD PRIMARY KEY USING INDEX lone_id_uidx" },
  { sql: "ALTER TABLE child ADD CONSTRAINT ex EXCLUDE USING btree (n WITH =)" },
  { sql: "ALTER TABLE child DROP CONSTRAINT child_parent_fk" },
  { sql: "ALTER TABLE child DROP CONSTRAINT child_n_check" },
  { sql: "ALTER TABLE child RENAME COLUMN name TO name2" },
  { sql: "ALTER TABLE child RENAME TO child2" },
  { sql: "ALTER TABLE child RENAME CONSTRAINT child_n_check TO c3" },
  { sql: "ALTER INDEX child_name_idx RENAME TO child_name_idx2", table: "child" },
  { sql: "ALTER TABLE child SET UNLOGGED" },
  { sql: "ALTER TABLE scratch_unlogged SET LOGGED" },
  { sql: "ALTER TABLE child SET TABLESPACE pg_default", rewriteUnobservable: "the scratch server has only pg_default: moving to the current tablespace is a no-op" },
  { sql: "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", table: "events_2025" },
  { sql: "ALTER TABLE events DETACH PARTITION events_2024" },
  { sql: "ALTER TABLE child DISABLE TRIGGER child_noop" },
  { sql: "ALTER TABLE child ENABLE TRIGGER ALL" },
  { sql: "ALTER TABLE child ALTER COLUMN n SET STATISTICS 500" },
  { sql: "ALTER TABLE child SET (fillfactor = 70)" },
  { sql: "ALTER TABLE child SET (autovacuum_enabled = false)" },
  { sql: "ALTER TABLE child RESET (fillfactor)" },
  { sql: "ALTER TABLE child SET (user_catalog_table = true)" },
  { sql: "ALTER TABLE child ALTER COLUMN n SET STATISTICS 10, ADD CONSTRAINT c2 CHECK (n > 0), DISABLE TRIGGER ALL" },
  { sql: "ALTER TABLE child DISABLE TRIGGER child_noop, SET (fillfactor = 50)" },
  { sql: "ALTER TABLE child OWNER TO CURRENT_USER" },
  { sql: "ALTER TABLE lone SET SCHEMA archive" },
  { sql: "CLUSTER child USING child_pkey", scanUnobservable: "CLUSTER's copy is the rewrite" },
  { sql: "REFRESH MATERIALIZED VIEW child_counts" },
  { sql: "REFRESH MATERIALIZED VIEW CONCURRENTLY child_counts", scanUnobservable: "builds indexes on its own temporary diff table" },
  { sql: "CREATE TRIGGER t2 AFTER UPDATE ON child FOR EACH ROW EXECUTE FUNCTION noop()" },
  { sql: "DROP TRIGGER child_noop ON child" },
  { sql: "ALTER TYPE mood ADD VALUE 'meh'", table: "people" },
  { sql: "COMMENT ON TABLE child IS 'x'" },
  { sql: "COMMENT ON COLUMN child.n IS 'x'" },
  { sql: "COMMENT ON INDEX child_name_idx IS 'x'", table: "child" },
  { sql: "COMMENT ON CONSTRAINT child_n_check ON child IS 'x'" },
  { sql: "UPDATE child SET n = 1 WHERE id = 1" },
  { sql: "UPDATE child SET parent_id = 2 WHERE id = 1" },
  { sql: "UPDATE child SET n = 1 FROM parent WHERE parent.id = child.parent_id" },
  { sql: "DELETE FROM child WHERE id = 1" },
  { sql: "DELETE FROM parent WHERE id = 1000" },
  { sql: "INSERT INTO child (id, parent_id) VALUES (5000, 1)" },
  { sql: "INSERT INTO child (id) VALUES (5000)" },
  { sql: "MERGE INTO child c USING parent p ON c.id = p.id WHEN MATCHED THEN UPDATE SET n = 1" },
  { sql: "LOCK TABLE child" },
  { sql: "LOCK TABLE child IN SHARE MODE" },
  { sql: "LOCK child, parent IN ROW EXCLUSIVE MODE" },
];

/**
 * Statements that cannot run inside a transaction block (CONCURRENTLY, VACUUM). They are observed
 * while they wait: session C holds the weakest lock that conflicts with the mode the model
 * predicts (but not with ACCESS SHARE), A starts the statement, B reads A's ungranted request in
 * pg_locks, then cancels A before it does anything. This shows the mode A asks for on `observe`
 * (its first lock there); the later phases of a CONCURRENTLY command are not observed.
 */
const OUTSIDE_TRANSACTION: { sql: string; observe: string }[] = [
  { sql: "CREATE INDEX CONCURRENTLY child_n_cidx ON child (n)", observe: "child" },
  { sql: "DROP INDEX CONCURRENTLY child_name_idx", observe: "child" },
  { sql: "REINDEX INDEX CONCURRENTLY child_name_idx", observe: "child" },
  { sql: "REINDEX TABLE CONCURRENTLY child", observe: "child" },
  { sql: "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY", observe: "events" },
  { sql: "VACUUM FULL child", observe: "child" },
  { sql: "VACUUM child", observe: "child" },
];

const SCAN_MESSAGE = /^(verifying table "|validating foreign key constraint "|building index "[^"]*" on table "(?!pg_toast))/;

async function loadLookup(client: pg.Client): Promise<SchemaLookup> {
  const columns = await client.query<{ rel: string; col: string; type: string }>(
    `SELECT c.relname AS rel, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  const fks = await client.query<{ name: string; rel: string; ref: string; cols: string[]; refcols: string[]; del: string }>(
    `SELECT con.conname AS name, c.relname AS rel, r.relname AS ref, con.confdeltype AS del,
            ARRAY(SELECT attname::text FROM pg_attribute WHERE attrelid = con.conrelid AND attnum = ANY (con.conkey)) AS cols,
            ARRAY(SELECT attname::text FROM pg_attribute WHERE attrelid = con.confrelid AND attnum = ANY (con.confkey)) AS refcols
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
      WHERE con.contype = 'f'`,
  );
  const indexes = await client.query<{ idx: string; rel: string }>(
    `SELECT i.relname AS idx, t.relname AS rel FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = 'public'::regnamespace`,
  );
  const checks = await client.query<{ rel: string; def: string }>(
    `SELECT c.relname AS rel, pg_get_constraintdef(con.oid) AS def FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
      WHERE con.contype = 'c' AND con.convalidated`,
  );
  const data: LookupData = { columns: {}, foreignKeys: [], indexes: {}, notNullProven: {} };
  for (const row of columns.rows) (data.columns[row.rel] ??= {})[row.col] = row.type;
  const actions: Record<string, ForeignKeyRef["onDelete"]> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };
  for (const row of fks.rows) {
    data.foreignKeys.push({
      name: row.name,
      table: { name: row.rel },
      columns: row.cols,
      references: { name: row.ref },
      referencedColumns: row.refcols,
      onDelete: actions[row.del] ?? "no action",
    });
  }
  for (const row of indexes.rows) data.indexes[row.idx] = row.rel;
  for (const row of checks.rows) {
    const match = /^CHECK \(\(?(\w+) IS NOT NULL\)?\)$/.exec(row.def);
    if (match) (data.notNullProven[row.rel] ??= []).push(match[1]!);
  }
  return lookupFrom(data);
}

function strongestByRelation(rows: { relation: number; mode: string }[]): Map<number, LockMode> {
  const out = new Map<number, LockMode>();
  for (const row of rows) {
    const mode = row.mode as LockMode;
    assert.ok(LOCK_MODES.includes(mode), `pg_locks mode ${row.mode} is one of the model's names`);
    const current = out.get(row.relation);
    if (!current || lockStrength(mode) > lockStrength(current)) out.set(row.relation, mode);
  }
  return out;
}

describe("the lock model against a real PostgreSQL server", () => {
  const dbName = `schemawise_locks_test_${process.pid}`;
  let adminUrl = "";
  let url = "";
  let a: pg.Client;
  let b: pg.Client;
  let aPid = 0;
  let serverVersion = 0;
  let lookup: SchemaLookup;
  const notices: string[] = [];

  before(async () => {
    adminUrl = await testServerUrl();
    url = await createTestDatabase(adminUrl, dbName, SETUP);
    a = new pg.Client({ connectionString: url });
    b = new pg.Client({ connectionString: url });
    await a.connect();
    await b.connect();
    a.on("notice", (msg) => notices.push(msg.message ?? ""));
    aPid = Number((await a.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    serverVersion = Number((await b.query("SHOW server_version_num")).rows[0].server_version_num);
    lookup = await loadLookup(b);
  });

  after(async () => {
    await a?.end().catch(() => undefined);
    await b?.end().catch(() => undefined);
    if (adminUrl) await dropTestDatabase(adminUrl, dbName);
  });

  async function oidIn(client: pg.Client, ref: RelationRef): Promise<number | undefined> {
    const name = ref.schema ? `"${ref.schema}"."${ref.name}"` : `"${ref.name}"`;
    const { rows } = await client.query("SELECT to_regclass($1)::oid AS oid", [name]);
    return rows[0].oid === null ? undefined : Number(rows[0].oid);
  }

  async function filenode(table: string): Promise<string | null> {
    const { rows } = await a.query("SELECT pg_relation_filenode(to_regclass($1)) AS node", [table]);
    return rows[0].node as string | null;
  }

  for (const c of IN_TRANSACTION) {
    test(`${c.sql}`, async () => {
      const effect = analyzeStatement(parse(c.sql), { pgVersion: serverVersion, lookup });
      assert.ok(serverVersion >= 100000);
      // Resolve the relations before the statement (it may drop or rename them) …
      const oids = new Map<RelationLock["relation"], number>();
      let firstTable: string | undefined;
      for (const lock of effect.locks) {
        const oid = await oidIn(b, lock.relation);
        if (oid === undefined) continue;
        oids.set(lock.relation, oid);
        const { rows } = await b.query("SELECT relkind FROM pg_class WHERE oid = $1", [oid]);
        if (!firstTable && ["r", "p", "m"].includes(rows[0].relkind)) firstTable = lock.relation.name;
      }
      // The table whose rewrite and scan are checked: the statement's first existing table.
      const table = c.table ?? firstTable;
      let changed: boolean | undefined;
      notices.length = 0;
      await a.query("BEGIN");
      try {
        const before = table ? await filenode(table) : null;
        await a.query("SET LOCAL client_min_messages = debug1");
        await a.query(c.sql);
        await a.query("SET LOCAL client_min_messages = notice");
        const afterNode = table ? await filenode(table) : null;
        if (before !== null && afterNode !== null) changed = before !== afterNode;
        // … and the ones it created, which only A can see until it commits.
        for (const lock of effect.locks) {
          if (oids.has(lock.relation)) continue;
          const oid = await oidIn(a, lock.relation);
          assert.ok(oid !== undefined, `${lock.relation.name} exists after the statement`);
          oids.set(lock.relation, oid);
        }

        const { rows } = await b.query<{ relation: number; mode: string }>(
          "SELECT relation::oid::int8 AS relation, mode FROM pg_locks WHERE pid = $1 AND granted AND locktype = 'relation' AND relation = ANY ($2::oid[])",
          [aPid, [...oids.values()]],
        );
        const observed = strongestByRelation(rows.map((r) => ({ relation: Number(r.relation), mode: r.mode })));
        for (const lock of effect.locks) {
          const oid = oids.get(lock.relation)!;
          assert.equal(observed.get(oid), lock.mode, `${lock.relation.name}: model says ${lock.mode} (${lock.why}), pg_locks shows ${observed.get(oid) ?? "no lock"}`);
        }

        // Every table A locked more strongly than a plain read must be in the model.
        const all = await b.query<{ relation: number; relname: string; mode: string }>(
          `SELECT l.relation::oid::int8 AS relation, c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE l.pid = $1 AND l.granted AND l.locktype = 'relation' AND c.relkind IN ('r', 'p', 'm')
              AND c.relnamespace = 'public'::regnamespace`,
          [aPid],
        );
        const names = new Map(all.rows.map((r) => [Number(r.relation), r.relname]));
        const strongest = strongestByRelation(all.rows.map((r) => ({ relation: Number(r.relation), mode: r.mode })));
        const modelled = new Set(oids.values());
        for (const [oid, mode] of strongest) {
          if (mode === "AccessShareLock") continue;
          assert.ok(modelled.has(oid), `pg_locks shows ${mode} on ${names.get(oid)}, which the model does not list`);
        }
      } finally {
        await a.query("ROLLBACK");
      }

      if (changed !== undefined && effect.rewrite !== "depends" && !c.rewriteUnobservable) {
        assert.equal(changed, effect.rewrite === "yes", `rewrite of ${table}: model says ${effect.rewrite}, the table's file ${changed ? "changed" : "did not change"}`);
      }
      if (effect.rewrite !== "yes" && !c.scanUnobservable && changed !== true) {
        const scanned = notices.filter((n) => SCAN_MESSAGE.test(n));
        assert.equal(scanned.length > 0, effect.scan, `scan: model says ${effect.scan}, server said ${JSON.stringify(scanned)}`);
      }
    });
  }

  for (const c of OUTSIDE_TRANSACTION) {
    test(`${c.sql} (observed while it waits)`, async () => {
      const effect = analyzeStatement(parse(c.sql), { pgVersion: serverVersion, lookup });
      const expected = effect.locks.find((l) => l.relation.name === c.observe)?.mode;
      assert.ok(expected, `the model locks ${c.observe}`);
      const blocker = LOCK_MODES.find((m) => m !== "AccessExclusiveLock" && conflicts(m, expected));
      assert.ok(blocker, `some mode other than ACCESS EXCLUSIVE conflicts with ${expected}`);
      const oid = await oidIn(b, { name: c.observe });
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query("BEGIN");
        await holder.query(`LOCK TABLE ONLY ${c.observe} IN ${sqlLockMode(blocker)} MODE`);
        const running = a.query(c.sql).then(
          () => "finished",
          (error: Error) => error.message,
        );
        let waiting: string | undefined;
        for (let i = 0; i < 200 && !waiting; i++) {
          const { rows } = await b.query("SELECT mode FROM pg_locks WHERE pid = $1 AND NOT granted AND locktype = 'relation' AND relation = $2", [aPid, oid]);
          waiting = rows[0]?.mode as string | undefined;
          if (!waiting) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await b.query("SELECT pg_cancel_backend($1)", [aPid]);
        const outcome = await running;
        assert.match(outcome, /cancel/, "the statement was cancelled while waiting, before doing anything");
        assert.equal(waiting, expected, `${c.observe}: model says ${expected}, the statement waited for ${waiting ?? "nothing"}`);
      } finally {
        await holder.query("ROLLBACK").catch(() => undefined);
        await holder.end();
      }
    });
  }

  test("the model's conflict table matches the server's: each mode waits exactly for the modes it conflicts with", async () => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      for (const held of LOCK_MODES) {
        await holder.query("BEGIN");
        await holder.query(`LOCK TABLE lone IN ${sqlLockMode(held)} MODE`);
        for (const wanted of LOCK_MODES) {
          await a.query("BEGIN");
          let waited = false;
          try {
            await a.query(`LOCK TABLE lone IN ${sqlLockMode(wanted)} MODE NOWAIT`);
          } catch (error) {
            assert.match((error as Error).message, /could not obtain lock/);
            waited = true;
          }
          await a.query("ROLLBACK");
          assert.equal(waited, conflicts(held, wanted), `${held} held, ${wanted} requested`);
        }
        await holder.query("ROLLBACK");
      }
    } finally {
      await holder.end();
    }
  });
});
