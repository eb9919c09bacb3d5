import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { Engine } from "../../src/engine/types.js";
import type { WorkloadReport } from "../../src/queries/types.js";
import { fillWith, one, runText } from "./helpers.js";

const SCHEMA = `
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL, status text NOT NULL, region int NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}', score int NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX accounts_region_idx ON accounts (region);
`;

const DATA = `
INSERT INTO accounts (email, status, region, settings, score, created_at)
SELECT 'User' || i || '@Example.com', CASE WHEN i % 100 = 0 THEN 'pending' ELSE 'active' END, i % 50,
       jsonb_build_object('plan', CASE WHEN i % 200 = 0 THEN 'gold' ELSE 'free' END), i % 1000,
       timestamptz '2025-01-01' - i * interval '1 minute'
FROM generate_series(1, 60000) i;`;

const WORKLOAD = [
  one("region_recent", "SELECT id, email FROM accounts WHERE region = $1 ORDER BY created_at DESC LIMIT 20"),
  one("pending_queue", "SELECT id, email FROM accounts WHERE status = 'pending' ORDER BY created_at LIMIT 50"),
  one("login", "SELECT id FROM accounts WHERE lower(email) = lower($1)", "-- params: $1 = accounts.email\n"),
  one("by_plan", "SELECT id FROM accounts WHERE settings @> $1 LIMIT 100"),
].join("\n");

describe("index advisor (candidates built in the engine and measured on 60,000 rows)", () => {
  let report: WorkloadReport;
  before(async () => {
    report = await runText(SCHEMA, WORKLOAD, { fill: fillWith(DATA) });
  });

  const indexFor = (query: string) => report.indexes.find((i) => i.serves.some((s) => s.query === query));

  test("none of the queries is served by the schema as it is", () => {
    assert.deepEqual(report.queries.filter((q) => q.capability.served).map((q) => q.query.name), []);
  });

  test("equality then ORDER BY with its direction, extending the existing index on the equality column", () => {
    const index = indexFor("region_recent")!;
    assert.deepEqual(index.spec.keys, ["region", "created_at DESC"]);
    assert.equal(index.replaces, "accounts_region_idx");
    assert.match(index.sql, /^CREATE INDEX CONCURRENTLY accounts_region_created_at_idx ON public\.accounts USING btree \(region, created_at DESC\);\nDROP INDEX CONCURRENTLY public\.accounts_region_idx;$/);
  });

  test("a constant predicate becomes a partial index", () => {
    const index = indexFor("pending_queue")!;
    assert.equal(index.spec.where, "status = 'pending'");
    assert.deepEqual(index.spec.keys, ["created_at"]);
  });

  test("a function on the column becomes an expression index", () => {
    assert.deepEqual(indexFor("login")!.spec.keys, ["(lower(email))"]);
  });

  test("jsonb containment gets a GIN index with jsonb_path_ops", () => {
    const index = indexFor("by_plan")!;
    assert.equal(index.spec.method, "gin");
    assert.deepEqual(index.spec.keys, ["settings jsonb_path_ops"]);
  });

  test("every kept index was verified: the query is served after, and reads less (times are only reported)", () => {
    for (const index of report.indexes) {
      for (const served of index.serves) {
        assert.equal(served.before.served, false, served.query);
        assert.equal(served.after.served, true, served.query);
        assert.ok(served.after.buffers! < served.before.buffers!, `${served.query}: ${served.before.buffers} → ${served.after.buffers} buffers`);
        assert.ok(served.after.rowsRead! < served.before.rowsRead!, served.query);
        assert.equal(typeof served.after.ms, "number", "the time is still reported");
      }
      assert.ok(index.sizeBytes > 8192, `${index.name} has a measured size`);
    }
    assert.equal(report.queries.filter((q) => q.after?.capability.served).length, 4);
  });

  test("write cost per table, and the measured data behind the load ranking", () => {
    assert.deepEqual(report.writeCost, [{ table: "public.accounts", indexesBefore: 2, indexesAfter: 5 }]);
    const login = report.queries.find((q) => q.query.name === "login")!;
    assert.equal(login.measurements[0]!.rowsReturned, 1);
    assert.ok(login.measurements[0]!.flags.some((f) => f.kind === "seq-scan-large"));
    assert.ok(login.loadMsPerSecond! > 0);
  });

  test("the engine is left as loaded", async () => {
    // runText closed it; a second run on the same schema starts from the same indexes.
    const again = await runText(SCHEMA, one("q", "SELECT id FROM accounts WHERE region = $1"), { data: false, advise: false });
    assert.deepEqual(again.queries[0]!.capability.indexesUsed, ["accounts_region_idx"]);
  });
});

describe("index advisor: the choice does not depend on whether autovacuum has visited the data", () => {
  const choices = (report: WorkloadReport) => report.indexes.map((i) => ({ sql: i.sql, serves: i.serves.map((s) => s.query) }));
  const vacuumedFill = (engine: Engine) => fillWith(DATA)(engine).then(async (filled) => (await engine.exec("VACUUM accounts"), filled));

  test("the same indexes whether the filled table was vacuumed before the run measured it or not", async () => {
    const untouched = await runText(SCHEMA, WORKLOAD, { fill: fillWith(DATA) });
    const vacuumed = await runText(SCHEMA, WORKLOAD, { fill: vacuumedFill });
    assert.ok(untouched.indexes.length > 0);
    assert.deepEqual(choices(vacuumed), choices(untouched));
  });
});

describe("index advisor: an INCLUDE for an index-only scan only when it saves many heap pages", () => {
  const schema = "CREATE TABLE events (id bigint PRIMARY KEY, account_id int NOT NULL, kind text NOT NULL, payload text NOT NULL);";
  // Each account's 30 events are spread over the table, as rows written over time are.
  const data = "INSERT INTO events SELECT i, (i * 7919) % 2000, 'kind' || i % 7, repeat('x', 100) FROM generate_series(1, 60000) i;";

  test("300 rows on as many pages get their columns in INCLUDE; the LIMIT 20 and 50 queries above did not", async () => {
    const report = await runText(schema, one("account_events", "SELECT id, kind FROM events WHERE account_id BETWEEN 100 AND 109"), { fill: fillWith(data) });
    const index = report.indexes.find((i) => i.serves.some((s) => s.query === "account_events"))!;
    assert.deepEqual([index.spec.keys, index.spec.include], [["account_id"], ["id", "kind"]]);
    const plain = report.rejected.find((r) => r.query === "account_events" && /\(account_id\);$/.test(r.sql));
    assert.equal(plain, undefined, "the index without INCLUDE improved too: it lost on the buffers, not on a rejection");
  });
});

describe("index advisor: the SQL it writes is valid for reserved-word columns and cast JSON paths", () => {
  const schema = `
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "user" int NOT NULL, "order" int NOT NULL, payload jsonb NOT NULL
);`;
  const data = `
INSERT INTO events ("user", "order", payload)
SELECT i % 500, i, jsonb_build_object('amount', i % 997, 'kind', CASE WHEN i % 300 = 0 THEN 'refund' ELSE 'sale' END)
FROM generate_series(1, 30000) i;`;
  const workload = [
    one("by_user", 'SELECT id FROM events e WHERE e."user" = $1 ORDER BY e."order" LIMIT 20', "-- params: $1 = events.user\n"),
    one("big_amounts", "SELECT id FROM events WHERE (payload->>'amount')::numeric > 990 AND (payload->>'kind') = 'refund'"),
  ].join("\n");
  let report: WorkloadReport;
  before(async () => {
    report = await runText(schema, workload, { fill: fillWith(data) });
  });
  const indexFor = (query: string) => report.indexes.find((i) => i.serves.some((s) => s.query === query));

  test("reserved words are quoted in the keys and the index was built and used", () => {
    const index = indexFor("by_user");
    assert.ok(index, "an index is proposed for by_user");
    assert.deepEqual(index.spec.keys, ['"user"', '"order"']);
    assert.match(index.sql, /\("user", "order"\)/);
  });

  test("a cast JSON path keeps its parentheses, in the keys and in a partial index's WHERE", () => {
    const index = indexFor("big_amounts");
    assert.ok(index, `an index is proposed for big_amounts (got ${report.indexes.map((i) => i.sql).join(" | ")})`);
    assert.ok([...index.spec.keys, index.spec.where ?? ""].some((text) => /CAST\(payload ->> 'amount' AS numeric\)|payload ->> 'kind'/.test(text)), index.sql);
    assert.doesNotMatch(index.sql, /[^(]payload->>'amount'\)::/);
  });
});
