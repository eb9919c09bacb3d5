import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openSchema } from "../../src/pipeline/load.js";
import { loadConfig } from "../../src/config/load.js";
import { readWorkload, runWorkload } from "../../src/queries/index.js";

/**
 * The reference examples declare their screens' queries; on generated data at the volumes their
 * config declares (the largest table at 100,000 rows), every one is served by an index.
 */
describe("reference examples serve their whole workload", () => {
  for (const example of ["ecommerce", "blog"]) {
    test(`${example}: every query served on at least 100,000 rows`, async () => {
      const { config } = await loadConfig(`examples/${example}/schemawise.config.yaml`);
      const open = await openSchema({ paths: [`examples/${example}/schema.sql`] }, config);
      try {
        const workload = await readWorkload(`examples/${example}/schemawise.queries.sql`);
        const report = await runWorkload(open, workload, config, { advise: false });
        assert.ok(Math.max(...Object.values(report.data!.rows)) >= 100_000, JSON.stringify(report.data!.rows));
        const unserved = report.queries.filter((q) => q.error || !q.capability.served);
        assert.deepEqual(unserved.map((q) => `${q.query.name}: ${q.error?.message ?? q.capability.blockers.map((b) => b.message).join("; ")}`), []);
        for (const result of report.queries) {
          const flags = result.measurements.flatMap((m) => m.flags).filter((f) => f.kind === "seq-scan-large" || f.kind === "large-sort");
          assert.deepEqual(flags, [], result.query.name);
        }
      } finally {
        await open.engine.close();
      }
    });
  }
});
