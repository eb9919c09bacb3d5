import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { resolveInputs } from "../../src/sources/layouts.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import { renderVariables } from "../../src/sources/variables.js";

describe("psql variables (:name, :'name', :\"name\") are placeholders like --var values", () => {
  test("the three forms: as is, as a quoted literal, as a quoted identifier", () => {
    const r = renderVariables(
      "GRANT USAGE ON SCHEMA app TO :ROLE;\nCOMMENT ON SCHEMA app IS :'NOTE';\nCREATE SCHEMA :\"SCHEMA_NAME\";\n",
      { ROLE: "app_user", NOTE: "it's here", SCHEMA_NAME: 'My "Schema"' },
    );
    assert.equal(
      r.text,
      "GRANT USAGE ON SCHEMA app TO app_user;\nCOMMENT ON SCHEMA app IS 'it''s here';\nCREATE SCHEMA \"My \"\"Schema\"\"\";\n",
    );
    assert.deepEqual(r.unresolved, []);
  });

  test("a literal with a backslash becomes an E'' string, as psql writes it", () => {
    assert.equal(renderVariables("SELECT :'P';", { P: "a\\b" }).text, "SELECT E'a\\\\b';");
  });

  test("nothing changes inside quotes, quoted identifiers, dollar bodies, comments, casts or array slices", () => {
    const sql = [
      "SELECT ':ROLE', E'\\' :ROLE', \":ROLE\", '1'::int, now()::date, arr[1:2], arr[lo:hi] FROM t; -- :ROLE",
      "/* :ROLE /* nested :ROLE */ :ROLE */",
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ DECLARE x int := 1; BEGIN RETURN x; END $body$;",
      "DO $$ BEGIN PERFORM :ROLE; END $$;",
    ].join("\n");
    const r = renderVariables(sql, {});
    assert.equal(r.text, sql);
    assert.deepEqual(r.unresolved, []);
  });

  test("a value shorter than its placeholder is padded, so later columns stay where they were written", () => {
    const r = renderVariables("GRANT SELECT ON t TO :DATABASE_VISITOR, bogus;", { DATABASE_VISITOR: "v" });
    assert.equal(r.text.indexOf("bogus"), "GRANT SELECT ON t TO :DATABASE_VISITOR, bogus;".indexOf("bogus"));
    assert.match(r.text, /^GRANT SELECT ON t TO v +, bogus;$/);
  });

  test("meta-command lines are left to the splitter", () => {
    const sql = "\\set ROLE app_user\nSELECT 1;\n";
    assert.equal(renderVariables(sql, { ROLE: "x" }).text, sql);
  });

  test("a variable with no value is reported once and its statements are skipped, not run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "schemawise-psqlvars-"));
    const file = join(dir, "schema.sql");
    writeFileSync(
      file,
      [
        "CREATE TABLE t (id int, tags text[]);",
        "GRANT SELECT ON t TO :VISITOR;",
        "GRANT INSERT ON t TO :VISITOR;",
        "ALTER TABLE t OWNER TO :\"OWNER\";",
        "SELECT tags[1:2] FROM t;",
        "",
      ].join("\n"),
    );
    const layout = await resolveInputs([file]);
    assert.deepEqual(layout.unresolvedVariables, ["VISITOR", "OWNER"]);

    await ensureParser();
    const parsed = parseFile(layout.files[0]!, 0);
    assert.deepEqual(
      parsed.statements.map((s) => s.sql),
      ["CREATE TABLE t (id int, tags text[])", "SELECT tags[1:2] FROM t"],
    );
    assert.ok(parsed.statements.every((s) => s.parseError === undefined));
    assert.deepEqual(
      parsed.skipped.map((s) => [s.what, s.location.line]),
      [
        ["2 statements using psql variable :VISITOR", 2],
        ["1 statement using psql variable :OWNER", 4],
      ],
    );

    const given = await resolveInputs([file], { variables: { VISITOR: "app_visitor", OWNER: "app_owner" } });
    assert.deepEqual(given.unresolvedVariables, []);
    const all = parseFile(given.files[0]!, 0);
    assert.equal(all.statements.length, 5);
    assert.equal(all.skipped.length, 0);
    assert.match(all.statements[3]!.sql, /^ALTER TABLE t OWNER TO "app_owner" *$/);
  });
});
