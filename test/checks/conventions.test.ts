import assert from "node:assert/strict";
import { test } from "node:test";
import { inferConventions } from "../../src/checks/conventions/infer.js";
import { loadSql } from "../helpers/load.js";
import { runCli } from "../helpers/cli.js";

// A Rails-style structure: plural snake_case tables, bigserial ids, timestamp(6) audit columns, index_<table>_on_<cols>.
const RAILS = [
  "CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);",
  "CREATE TABLE schema_migrations (version varchar PRIMARY KEY);",
  ...["users", "projects", "issues", "notes", "labels"].map(
    (t) => `CREATE TABLE ${t} (id bigserial PRIMARY KEY, name text, user_id bigint, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);\nCREATE INDEX index_${t}_on_user_id ON ${t} (user_id);`,
  ),
].join("\n");

test("conventions: a Rails schema is recognised and its habits inferred", async () => {
  const { model, statements } = await loadSql(RAILS);
  const conventions = inferConventions(model, { statements });
  assert.equal(conventions.dialect.value, "rails");
  assert.equal(conventions.tableCase.value, "snake_case");
  assert.equal(conventions.tablePlurality.value, "plural");
  assert.equal(conventions.idStrategy.value, "serial");
  assert.equal(conventions.timestampType.value, "timestamp");
  assert.equal(conventions.timestampType.source, "inferred");
  assert.equal(conventions.createdColumn.value, "created_at");
  assert.equal(conventions.indexNaming.value, "index_<table>_on_<columns>");
  assert.equal(conventions.declaresForeignKeys.value, false, "user_id is never declared");
  assert.deepEqual([...conventions.libraryTables.keys()].sort(), ["public.ar_internal_metadata", "public.schema_migrations"]);
});

test("conventions: a value pinned in the config replaces the inferred one", async () => {
  const { model } = await loadSql(RAILS);
  const conventions = inferConventions(model, {}, { timestampType: "timestamptz", onDelete: "unstated" });
  assert.deepEqual([conventions.timestampType.value, conventions.timestampType.source], ["timestamptz", "pinned"]);
  assert.equal(conventions.onDelete.source, "pinned");
});

test("conventions: a new schema of two tables gets the discipline's defaults", async () => {
  const { model } = await loadSql("CREATE TABLE Person (PersonId int PRIMARY KEY);\nCREATE TABLE Thing (ThingId int PRIMARY KEY);");
  const conventions = inferConventions(model);
  assert.equal(conventions.tableCase.source, "default");
  assert.equal(conventions.tablePlurality.value, "plural");
});

test("provenance notes: the SQL comment above or beside a definition, not pg_dump's headers", async () => {
  const sql = [
    "--",
    "-- Name: events; Type: TABLE; Schema: public; Owner: -",
    "--",
    "",
    "-- Raw webhook deliveries, kept verbatim for replay.",
    "CREATE TABLE events (",
    "  id bigint PRIMARY KEY,",
    "  -- exactly as received: key order matters to the signature check",
    "  payload json NOT NULL,",
    "  source text -- the sender's name",
    ");",
  ].join("\n");
  const { model } = await loadSql(sql);
  const events = model.tables.find((t) => t.name === "events")!;
  assert.equal(events.provenance.note, "Raw webhook deliveries, kept verbatim for replay.");
  const column = (name: string) => events.columns.find((c) => c.name === name)!;
  assert.equal(column("payload").provenance.note, "exactly as received: key order matters to the signature check");
  assert.equal(column("source").provenance.note, "the sender's name");
  assert.equal(column("id").provenance.note, undefined);
});

test("schemawise conventions prints what was inferred, and JSON", async () => {
  const text = runCli(["conventions", "examples/ecommerce"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^table names\s+snake_case/m);
  assert.match(text.stdout, /^ON DELETE\s+/m);
  const json = runCli(["conventions", "examples/ecommerce", "--format", "json"]);
  const parsed = JSON.parse(json.stdout) as { tableCase: { value: string; source: string } };
  assert.equal(parsed.tableCase.value, "snake_case");
});
