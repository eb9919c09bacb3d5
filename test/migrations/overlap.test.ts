import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { checkMigrations } from "../../src/migrations/run.js";

function history(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-overlap-"));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe("one finding per statement where two rules say the same about a held lock", () => {
  test("an index build and a foreign key under an ADD COLUMN's lock: their own rules name the lock, the long-step findings are set apart", async () => {
    const dir = history({
      "1_init.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, placed_at timestamptz);\n",
      "2_change.up.sql":
        "ALTER TABLE orders ADD COLUMN buyer_id bigint;\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);\nALTER TABLE orders ADD CONSTRAINT orders_buyer_fk FOREIGN KEY (buyer_id) REFERENCES users (id);\nUPDATE orders SET buyer_id = user_id;\n",
    });
    const result = await checkMigrations({ paths: [dir], since: "1" });
    const at = (rule: string) => result.findings.filter((f) => f.ruleId === rule).map((f) => f.location?.line);
    assert.deepEqual(at("create-index-not-concurrently"), [2]);
    assert.deepEqual(at("foreign-key-not-valid"), [3]);
    assert.match(result.findings.find((f) => f.ruleId === "create-index-not-concurrently")!.message, /and reads too: line 1 of this transaction holds ACCESS EXCLUSIVE on orders/);
    assert.match(result.findings.find((f) => f.ruleId === "foreign-key-not-valid")!.message, /and reads too: line 1 of this transaction holds ACCESS EXCLUSIVE on orders/);
    // The rule reports the first long step on orders (the index build); the report leaves it to create-index-not-concurrently.
    assert.deepEqual(at("long-step-under-exclusive-lock"), []);
    assert.deepEqual(result.repeatedLongSteps.map((f) => `${f.ruleId}:${f.location?.line}`), ["long-step-under-exclusive-lock:2"]);
    const fileRules = result.files.at(-1)!.findings.map((f) => f.ruleId);
    assert.ok(fileRules.includes("create-index-not-concurrently") && !fileRules.includes("long-step-under-exclusive-lock"), fileRules.join(", "));
  });

  test("with the index built concurrently in its own migration, nothing covers the backfill: the long step is reported", async () => {
    const dir = history({
      "1_init.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n",
      "2_change.up.sql": "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN buyer_id bigint;\nUPDATE orders SET buyer_id = user_id;\n",
    });
    const result = await checkMigrations({ paths: [dir], since: "1" });
    assert.deepEqual(
      result.findings.filter((f) => f.ruleId === "long-step-under-exclusive-lock").map((f) => f.location?.line),
      [3],
    );
    assert.deepEqual(result.repeatedLongSteps, []);
  });
});
