import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openSchema } from "../../src/pipeline/load.js";
import { configSchema } from "../../src/config/schema.js";
import { seedDatabase } from "../../src/seed/index.js";
import { assertForeignKeysHold, scalar } from "./helpers.js";

describe("seed the bundled examples", () => {
  for (const example of ["ecommerce", "blog"]) {
    test(`examples/${example} fills every table without a problem`, async () => {
      const opened = await openSchema({ paths: [`examples/${example}/schema.sql`] }, configSchema.parse({}));
      try {
        const result = await seedDatabase(opened.engine, opened.model, { volumes: {}, seed: 5, distributions: { defaultRows: 300, tables: {} } });
        assert.deepEqual(result.problems, []);
        const total = result.tables.reduce((sum, t) => sum + t.rows, 0);
        assert.ok(total > 3000, `a few thousand rows, got ${total}`);
        for (const t of result.tables) if (t.table !== "public.roles") assert.ok(t.rows > 0, `${t.table} has rows`);
        await assertForeignKeysHold(opened.engine, opened.model);
        assert.equal(await scalar<string>(opened.engine, "SELECT current_setting('session_replication_role') AS v"), "origin", "triggers are back on");
      } finally {
        await opened.engine.close();
      }
    });
  }
});
