import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { configSchema } from "../../src/config/schema.js";
import { checkMigrations } from "../../src/migrations/run.js";
import { ESTABLISHED_SCHEMA } from "../helpers/established-schema.js";

/** A runner whose session puts unqualified names in the app schema, as the setup says. */
const SETUP = ["CREATE SCHEMA app", "SET search_path = app, public"];

function history(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-search-path-"));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe("migrations under the runner's search_path: unqualified names are named where the session puts them", () => {
  const dir = history({
    "1_init.up.sql": ESTABLISHED_SCHEMA,
    "2_change.up.sql": "ALTER TABLE site_options ALTER COLUMN rank TYPE bigint;\nCREATE TABLE audit_events (id bigint PRIMARY KEY, site_option_id bigint REFERENCES site_options (id));\n",
  });

  test("findings and the timeline say app.site_options, and a volume declared for app.site_options applies", async () => {
    const result = await checkMigrations({ paths: [dir], since: "1", config: configSchema.parse({ setup: SETUP, volumes: { "app.site_options": 3_000_000 } }) });
    assert.deepEqual(result.heldBack, [], "the declared volume judges the rewrite instead of holding it back");
    const rewrite = result.findings.find((f) => f.ruleId === "alter-column-type-rewrite");
    assert.equal(rewrite?.object.path, "app.site_options");
    assert.ok(result.findings.every((f) => !f.object.path.startsWith("public.")), result.findings.map((f) => f.object.path).join(", "));
    const newest = result.files.at(-1)!;
    assert.deepEqual(newest.statements[0]!.locks.map((l) => l.relation), ["app.site_options"]);
    assert.ok(newest.statements[1]!.locks.some((l) => l.relation === "app.audit_events" && l.created), JSON.stringify(newest.statements[1]!.locks));
  });

  test("without the setup the same files are named in public, and the app volume does not apply", async () => {
    const result = await checkMigrations({ paths: [dir], since: "1", config: configSchema.parse({ volumes: { "app.site_options": 3_000_000 } }) });
    assert.equal(result.findings.find((f) => f.ruleId === "alter-column-type-rewrite"), undefined);
    assert.deepEqual(
      result.heldBack.map((h) => h.ruleId),
      ["alter-column-type-rewrite"],
    );
    assert.deepEqual(result.files.at(-1)!.statements[0]!.locks.map((l) => l.relation), ["public.site_options"]);
  });
});
