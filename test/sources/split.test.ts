import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import { splitSql } from "../../src/sources/split.js";

function pieces(sql: string): string[] {
  return splitSql(sql).statements.map((s) => sql.slice(s.start, s.end));
}

describe("splitSql", () => {
  test("semicolons inside quotes, identifiers, comments and dollar quotes do not split", () => {
    const sql = [
      "SELECT 'a;b', \"we;ird\" FROM t; -- c;d",
      "/* x; /* nested; */ y; */ SELECT E'it\\'s; fine';",
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;",
      "SELECT $$;$$, $1;",
    ].join("\n");
    assert.deepEqual(pieces(sql), [
      "SELECT 'a;b', \"we;ird\" FROM t",
      "SELECT E'it\\'s; fine'",
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$",
      "SELECT $$;$$, $1",
    ]);
  });

  test("SQL-standard function bodies keep their semicolons", () => {
    const sql = "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + b; SELECT CASE WHEN a > 0 THEN 1 END; END;\nSELECT 1;";
    const [first, second] = pieces(sql);
    assert.match(first!, /END$/);
    assert.equal(second, "SELECT 1");
  });

  test("a statement starts at its first token, after leading comments", () => {
    const sql = "-- header\n\n  /* note */ CREATE TABLE t (id int);";
    assert.equal(splitSql(sql).statements[0]!.start, sql.indexOf("CREATE"));
  });

  test("psql meta-commands are cut out and reported", () => {
    const sql = "\\connect app\nCREATE TABLE t (id int);\n  \\set ON_ERROR_STOP on\nSELECT 1;";
    const result = splitSql(sql);
    assert.deepEqual(
      result.cut.map((c) => [c.kind, c.summary]),
      [
        ["meta-command", "\\connect app"],
        ["meta-command", "\\set ON_ERROR_STOP on"],
      ],
    );
    assert.deepEqual(pieces(sql), ["CREATE TABLE t (id int)", "SELECT 1"]);
  });

  test("COPY FROM stdin data is cut through the \\. line, with its row count", () => {
    const sql = "COPY t (a) FROM stdin;\n1;x\n'2\n\\.\nSELECT 1;";
    const result = splitSql(sql);
    assert.deepEqual(pieces(sql), ["SELECT 1"]);
    assert.equal(result.cut[0]!.kind, "copy-data");
    assert.equal(result.cut[0]!.rows, 2);
  });

  test("a final statement without a semicolon is kept", () => {
    assert.deepEqual(pieces("SELECT 1;\nSELECT 2"), ["SELECT 1", "SELECT 2"]);
  });
});

describe("parseFile", () => {
  before(() => ensureParser());

  test("locates statements by line and column and parses each one alone", () => {
    const { statements } = parseFile({ path: "a.sql", text: "SELECT 1;\n  CREATE TABLE t (\n  id int\n);" }, 5);
    assert.deepEqual(
      statements.map((s) => [s.index, s.kind, s.location.line, s.location.column, s.location.endLine]),
      [
        [5, "SelectStmt", 1, 1, 1],
        [6, "CreateStmt", 2, 3, 4],
      ],
    );
  });

  test("a syntax error is located in the file and does not hide later statements", () => {
    const { statements } = parseFile({ path: "a.sql", text: "CREATE TABLE a (id int);\nCREATE TABEL b (id int);\nCREATE TABLE c (id int);" }, 0);
    assert.deepEqual(
      statements.map((s) => s.kind),
      ["CreateStmt", "Unparsed", "CreateStmt"],
    );
    assert.deepEqual([statements[1]!.parseError!.location.line, statements[1]!.parseError!.location.column], [2, 8]);
    assert.match(statements[1]!.parseError!.message, /syntax error at or near "TABEL"/);
  });

  test("columns count characters, not bytes, after multi-byte text", () => {
    const { statements } = parseFile({ path: "a.sql", text: "SELECT 'é'; SELECT 'ü' + FROM" }, 0);
    assert.equal(statements[1]!.location.column, 13);
    assert.equal(statements[1]!.parseError!.location.column, 26);
  });

  test("suppression comments attach above, on the same line, and inside a statement", () => {
    const text = [
      "-- schemawise-ignore missing-primary-key: staging table",
      "CREATE TABLE a (x int);",
      "CREATE TABLE b (x int); -- schemawise-ignore naming-convention, char-n: legacy",
      "CREATE TABLE c (",
      "  x int -- schemawise-ignore money-type",
      ");",
      "-- an ordinary comment",
      "CREATE TABLE d (x int);",
    ].join("\n");
    const { statements } = parseFile({ path: "a.sql", text }, 0);
    assert.deepEqual(
      statements.map((s) => s.suppressions.map((x) => `${x.ruleIds.join("+")}:${x.reason}`)),
      [["missing-primary-key:staging table"], ["naming-convention+char-n:legacy"], ["money-type:"], []],
    );
  });
});
