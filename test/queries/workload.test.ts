import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { UserError } from "../../src/engine/types.js";
import { parseWorkload } from "../../src/queries/workload.js";
import { ensureParser } from "../../src/sources/parse.js";

before(() => ensureParser());

const parse = (text: string) => parseWorkload("w.sql", text);

function rejects(text: string, message: RegExp): void {
  assert.throws(() => parse(text), (error: unknown) => error instanceof UserError && message.test(error.message));
}

describe("workload file", () => {
  test("reads named queries with frequency, parameter bindings and locations", () => {
    const workload = parse(`-- The shop's hot paths.

-- name: customer_dashboard
-- frequency: 200/s
-- params: $1 = orders.user_id, $2 = shop.orders.created_at
SELECT * FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT 20;

-- name: nightly_report
-- frequency: 1/day
SELECT count(*) FROM orders;
`);
    assert.deepEqual(workload.queries.map((q) => q.name), ["customer_dashboard", "nightly_report"]);
    const [first, second] = workload.queries;
    assert.equal(first!.perSecond, 200);
    assert.equal(first!.frequency, "200/s");
    assert.deepEqual(first!.location, { file: "w.sql", line: 6, column: 1, endLine: 6, endColumn: 94 });
    assert.deepEqual(first!.params, [
      { number: 1, schema: "public", table: "orders", column: "user_id", source: "declared" },
      { number: 2, schema: "shop", table: "orders", column: "created_at", source: "declared" },
    ]);
    assert.equal(first!.kind, "SelectStmt");
    assert.ok(Math.abs(second!.perSecond - 1 / 86400) < 1e-12);
    assert.equal(second!.location.line, 10);
  });

  test("frequency units: per second, minute, hour and day", () => {
    const rate = (f: string) => parse(`-- name: q\n-- frequency: ${f}\nSELECT 1;`).queries[0]!.perSecond;
    assert.equal(rate("3/s"), 3);
    assert.equal(rate("120/min"), 2);
    assert.equal(rate("7200 per hour"), 2);
    assert.equal(rate("86400/day"), 1);
    assert.equal(parse("-- name: q\nSELECT 1;").queries[0]!.perSecond, 1);
  });

  test("errors name the file, line and column", () => {
    rejects("SELECT 1;", /^w\.sql:1:1: query has no name/);
    rejects("-- name: q\n-- frequency: often\nSELECT 1;", /^w\.sql:2:1: frequency "often" is not understood/);
    rejects("-- name: q\n-- frequency: 0/s\nSELECT 1;", /^w\.sql:2:1: frequency "0\/s"/);
    rejects("-- name: q\n-- params: $1 = user_id\nSELECT 1;", /^w\.sql:2:1: parameter binding "\$1 = user_id" is not understood/);
    rejects("-- name: q\n-- params: $1 = a.b, $1 = a.c\nSELECT 1;", /^w\.sql:2:1: \$1 is bound twice/);
    rejects("-- name: q\nSELECT 1;\n-- name: q\nSELECT 2;", /^w\.sql:4:1: query name "q" is already used at w\.sql:2:1/);
    rejects("-- name: q\nCREATE TABLE t (a int);", /^w\.sql:2:1: a workload holds queries .* not Create statements/);
    rejects("-- name: q\nSELEC 1;", /^w\.sql:2:1: syntax error at or near "SELEC"/);
    rejects("-- name: q\n-- name: r\nSELECT 1;", /^w\.sql:2:1: second "name" annotation/);
    rejects("-- just a comment\n", /no queries/);
  });
});
