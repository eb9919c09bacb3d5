import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { check } from "../../src/check.js";

function sqlFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-extension-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** PGlite has no postgis bundle: CREATE EXTENSION postgis fails in the embedded engine. */
describe("statements that follow from a missing extension are not checked, not errors", () => {
  test("pg_dump style: schema-qualified type, table, index, constraint, comment and function", async () => {
    const file = sqlFile(
      "dump.sql",
      [
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;",
        "COMMENT ON EXTENSION postgis IS 'PostGIS geometry and geography spatial types and functions';",
        "CREATE TABLE public.places (",
        "    id bigint NOT NULL,",
        "    name text NOT NULL,",
        "    geom public.geometry(Point,4326)",
        ");",
        "CREATE VIEW public.named_places AS SELECT id, name FROM public.places;",
        "COMMENT ON VIEW public.named_places IS 'places with a name';",
        "CREATE FUNCTION public.place_x(p_id bigint) RETURNS double precision LANGUAGE sql AS $$ SELECT public.st_x(geom) FROM public.places WHERE id = p_id $$;",
        "ALTER TABLE ONLY public.places ADD CONSTRAINT places_pkey PRIMARY KEY (id);",
        "CREATE INDEX places_geom_idx ON public.places USING gist (geom);",
        "COMMENT ON COLUMN public.places.geom IS 'where it is';",
        "ALTER TABLE public.places OWNER TO postgres;",
        "CREATE TABLE public.regions (id bigint PRIMARY KEY, name text NOT NULL);",
        "ALTER TABLE public.regions ADD COLUMN area public.geography;",
        "CREATE INDEX regions_area_idx ON public.regions USING gist (area);",
        "",
      ].join("\n"),
    );
    const report = await check({ paths: [file] });
    const failed = report.findings.filter((f) => f.ruleId === "statement-failed").map((f) => `${f.location?.line}: ${f.message}`);
    assert.deepEqual(failed, []);
    assert.deepEqual(
      report.findings.filter((f) => f.ruleId === "extension-unavailable").map((f) => f.location?.line),
      [2],
    );
    const notChecked = report.notChecked.map((n) => n.object);
    assert.ok(notChecked.includes("public.places"), notChecked.join("\n"));
    assert.ok(report.notChecked.every((n) => /extension postgis/.test(n.reason)));
    // Rejected by the engine, but not errors of the input: 11 statements from line 3 on.
    assert.equal(report.input.failedStatements, 11);
  });

  test("a table created unqualified and altered qualified (and the reverse) is recognised", async () => {
    const file = sqlFile(
      "mixed.sql",
      [
        "CREATE EXTENSION postgis;",
        "CREATE TABLE spots (id bigint PRIMARY KEY, geom geometry);",
        "CREATE INDEX spots_geom_idx ON public.spots USING gist (geom);",
        "CREATE TABLE public.areas (id bigint PRIMARY KEY, shape public.geometry);",
        "ALTER TABLE areas ADD COLUMN label text;",
        "",
      ].join("\n"),
    );
    const report = await check({ paths: [file] });
    assert.deepEqual(report.findings.filter((f) => f.ruleId === "statement-failed").map((f) => f.message), []);
  });

  test("inside a transaction block, a missing extension does not abort the block (the user's server has it)", async () => {
    const file = sqlFile(
      "migration.sql",
      [
        "BEGIN;",
        "CREATE EXTENSION IF NOT EXISTS postgis;",
        "CREATE TABLE public.places (id bigint PRIMARY KEY, geom public.geometry(Point, 4326));",
        "CREATE INDEX places_geom_idx ON public.places USING gist (geom);",
        "CREATE TABLE public.visits (id bigint PRIMARY KEY, at timestamptz NOT NULL);",
        "COMMIT;",
        "",
      ].join("\n"),
    );
    const report = await check({ paths: [file] });
    assert.deepEqual(report.findings.filter((f) => f.ruleId === "statement-failed").map((f) => f.message), []);
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.notChecked.map((n) => n.object), ["public.places"]);
    assert.ok(report.findings.some((f) => f.object.path.startsWith("public.visits")), "the block was committed");
  });

  test("an unrelated missing table is still an error", async () => {
    const file = sqlFile(
      "unrelated.sql",
      ["CREATE EXTENSION postgis;", "CREATE TABLE public.places (id bigint PRIMARY KEY, geom public.geometry);", "CREATE INDEX ON public.placez (id);", ""].join("\n"),
    );
    const report = await check({ paths: [file] });
    const failed = report.findings.filter((f) => f.ruleId === "statement-failed").map((f) => `${f.location?.line}: ${f.message}`);
    assert.equal(failed.length, 1, failed.join("\n"));
    assert.match(failed[0]!, /^3: .*"public\.placez" does not exist/);
  });
});
