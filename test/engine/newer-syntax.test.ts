import assert from "node:assert/strict";
import { before, test } from "node:test";
import { constructsNewerThan } from "../../src/engine/newer-syntax.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";

before(() => ensureParser());

/** One statement per construct, with the major that first accepts it. */
const CASES: [number, string][] = [
  [18, "CREATE TABLE t (id uuid DEFAULT uuidv7())"],
  [18, "SELECT casefold('A')"],
  [18, "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL)"],
  [18, "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2))"],
  [18, "CREATE TABLE t (id int, during tstzrange, PRIMARY KEY (id, during WITHOUT OVERLAPS))"],
  [18, "ALTER TABLE t ADD CONSTRAINT positive CHECK (a > 0) NOT ENFORCED"],
  [18, "ALTER TABLE t ADD CONSTRAINT a_present NOT NULL a"],
  [18, "UPDATE t SET a = 1 RETURNING WITH (OLD AS o) o.a"],
  [17, "SELECT * FROM JSON_TABLE('[]'::jsonb, '$[*]' COLUMNS (a int PATH '$.a')) jt"],
  [17, "SELECT JSON_VALUE(doc, '$.a') FROM t"],
  [17, "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING t.id"],
  [17, "ALTER TABLE t ALTER COLUMN b SET EXPRESSION AS (a * 5)"],
  [17, "SELECT random(1, 6)"],
  [16, "SELECT * FROM (SELECT 1)"],
  [16, "SELECT JSON_OBJECT('a': 1)"],
  [16, "SELECT doc IS JSON FROM t"],
  [16, "SELECT any_value(a) FROM t"],
  [15, "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE"],
  [15, "CREATE TABLE t (a int, UNIQUE NULLS NOT DISTINCT (a))"],
  [15, "CREATE VIEW v WITH (security_invoker = true) AS SELECT 1"],
  [14, "CREATE OR REPLACE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()"],
  [14, "ALTER TABLE p DETACH PARTITION c CONCURRENTLY"],
  [14, "CREATE TABLE t (spans int4multirange)"],
  [14, "SELECT date_bin('15 minutes', now(), timestamptz '2001-01-01')"],
];

const statementOf = (sql: string) => parseFile({ path: "case.sql", text: `${sql};` }, 0).statements[0]!;

test("each construct is reported for the majors before it and not from its own major on", () => {
  for (const [since, sql] of CASES) {
    const statement = statementOf(sql);
    assert.equal(constructsNewerThan(statement, since).length, 0, `${sql} on ${since}`);
    const found = constructsNewerThan(statement, since - 1);
    assert.ok(found.some((c) => c.since === since), `${sql} on ${since - 1}: ${JSON.stringify(found)}`);
  }
});

test("SQL every supported major accepts is not reported", () => {
  for (const sql of [
    "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED)",
    "ALTER TABLE t ADD CONSTRAINT positive CHECK (a > 0) NOT VALID",
    "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES s (id)",
    "CREATE TABLE t (id uuid DEFAULT gen_random_uuid(), a int NOT NULL, UNIQUE (a))",
    "SELECT * FROM (SELECT 1) AS one",
    "SELECT random()",
    "UPDATE t SET a = 1 RETURNING a",
  ]) assert.deepEqual(constructsNewerThan(statementOf(sql), 13), [], sql);
});
