import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { Finding } from "../../src/checks/types.js";
import { runCli } from "../helpers/cli.js";

interface JsonReport {
  input: { description: string; failedStatements: number };
  findings: Finding[];
}

function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, "utf8").split("\n").findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${needle} not in ${file}`);
  return index + 1;
}

function checkJson(path: string): JsonReport {
  const result = runCli(["check", path, "--format", "json"]);
  assert.ok(result.stdout.startsWith("{"), `no JSON report: ${result.stderr}`);
  return JSON.parse(result.stdout) as JsonReport;
}

function finding(report: JsonReport, ruleId: string, path: string): Finding {
  const found = report.findings.find((f) => f.ruleId === ruleId && f.object.path === path);
  assert.ok(found, `${ruleId} on ${path} in ${report.findings.map((f) => `${f.ruleId} ${f.object.path}`).join(", ")}`);
  return found;
}

describe("schemawise check on schemas written as code (end to end)", () => {
  const drizzle = "examples/drizzle/schema.ts";
  const prisma = "examples/prisma/schema.prisma";

  test("Drizzle: the index duplicating .unique() is found at its index(...) line, with the Drizzle fix", () => {
    const report = checkJson(drizzle);
    assert.equal(report.input.failedStatements, 0);
    assert.match(report.input.description, /^Drizzle schema examples\/drizzle\/schema\.ts \(SQL by drizzle-kit \d+\.\d+\.\d+, /);
    const duplicate = finding(report, "duplicate-index", "public.customers.customers_email_idx");
    assert.equal(duplicate.location?.file, drizzle);
    assert.equal(duplicate.location?.line, lineOf(drizzle, 'index("customers_email_idx")'));
    assert.match(duplicate.fix.description, /delete `index\("customers_email_idx"\)\.on\(t\.email\)` from customers/);
    assert.match(duplicate.fix.sql ?? "", /DROP INDEX CONCURRENTLY customers_email_idx/);
    const unindexed = finding(report, "foreign-key-without-index", "public.order_lines.order_lines_product_id_products_id_fk");
    assert.equal(unindexed.location?.line, lineOf(drizzle, ".references(() => products.id)"));
    assert.match(unindexed.fix.description, /`index\("order_lines_product_id_idx"\)\.on\(t\.productId\)`/);
    const naive = finding(report, "timestamp-without-time-zone", "public.customers.created_at");
    assert.equal(naive.location?.line, lineOf(drizzle, 'createdAt: timestamp("created_at")'));
    assert.ok(
      report.findings.every((f) => f.location?.file === drizzle),
      "no finding points into the generated SQL",
    );
  });

  test("conventions names the ORM that wrote the schema, not hand-written SQL", () => {
    for (const [input, tool] of [
      [drizzle, "drizzle"],
      [prisma, "prisma"],
    ] as const) {
      const result = runCli(["conventions", input, "--format", "json"]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).dialect.value, tool, result.stdout);
    }
  });

  test("Drizzle: the project folder is read through its drizzle.config.ts, to the same findings", () => {
    const byFile = checkJson(drizzle).findings.map((f) => f.fingerprint).sort();
    const byConfig = checkJson("examples/drizzle");
    assert.match(byConfig.input.description, /drizzle\.config\.ts/);
    const schemaFindings = byConfig.findings.filter((f) => f.location?.file === drizzle).map((f) => f.fingerprint).sort();
    assert.deepEqual(schemaFindings, byFile);
  });

  test("Prisma: the @@index next to @unique is found at its line; fixes are written in Prisma", () => {
    const report = checkJson(prisma);
    assert.equal(report.input.failedStatements, 0);
    assert.match(report.input.description, /^Prisma schema examples\/prisma\/schema\.prisma \(SQL by @prisma\/schema-engine-wasm /);
    const duplicate = finding(report, "duplicate-index", "public.customers.customers_email_idx");
    assert.equal(duplicate.location?.line, lineOf(prisma, "@@index([email])"));
    const naive = finding(report, "timestamp-without-time-zone", "public.customers.created_at");
    assert.equal(naive.location?.line, lineOf(prisma, "createdAt   DateTime @default(now())"));
    assert.match(naive.fix.description, /add `@db\.Timestamptz\(3\)` to Customer\.createdAt/);
    const unindexed = finding(report, "foreign-key-without-index", "public.order_lines.order_lines_product_id_fkey");
    assert.equal(unindexed.location?.line, lineOf(prisma, "product   Product @relation("));
    assert.match(unindexed.fix.description, /add `@@index\(\[productId\]\)` to model OrderLine/);
    assert.ok(report.findings.every((f) => f.location?.file === prisma));
  });

  test("a schema file that does not load is one line on stderr with its location, exit 2, no stack", () => {
    const file = "test/fixtures/schema-code/drizzle-styles/broken-load.ts";
    const result = runCli(["check", file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr.trim(), new RegExp(`^schemawise: ${file}:${lineOf(file, "settings.column!")}:\\d+: Cannot read properties of undefined`));
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });

  test("a statement Postgres rejects is located at the column whose type it lacks", () => {
    const file = "test/fixtures/schema-code/drizzle-styles/unknown-type.ts";
    const failed = checkJson(file).findings.find((f) => f.ruleId === "statement-failed");
    assert.ok(failed, "the CREATE TABLE fails");
    assert.match(failed.message, /type "geometry" does not exist/);
    assert.deepEqual([failed.location?.file, failed.location?.line], [file, lineOf(file, 'location: point("location")')]);
  });

  test("queries plans the workload against a Drizzle schema", () => {
    const result = runCli(["queries", drizzle, "-q", "examples/drizzle/schemawise.queries.sql", "--no-data", "--format", "json"]);
    assert.ok(result.stdout.startsWith("{"), result.stderr);
    const report = JSON.parse(result.stdout) as { queries: Array<{ name: string; capability: { served: boolean } }> };
    const served = Object.fromEntries(report.queries.map((q) => [q.name, q.capability.served]));
    // sign_in uses the unique index on email; product_sales filters on the unindexed foreign key.
    assert.equal(served["sign_in"], true);
    assert.equal(served["product_sales"], false);
  });

  test("plan writes the online steps between two versions of a Drizzle schema, and of a Prisma schema", () => {
    const pairs = [
      ["test/fixtures/schema-code/drizzle-commonjs/src/db/schema.ts", "test/fixtures/schema-code/drizzle-commonjs/next-schema.ts", /^Drizzle schema .*drizzle-kit/],
      ["test/fixtures/schema-code/prisma-classic.prisma", "test/fixtures/schema-code/prisma-classic-next.prisma", /^Prisma schema .*schema-engine-wasm/],
    ] as const;
    const expected = [
      ["add column public.users.display_name text", "add index users_display_name_idx on public.users"],
      ["add column public.Post.subtitle text", "add index Post_authorId_idx on public.Post"],
    ];
    for (const [i, [from, to, tool]] of pairs.entries()) {
      const result = runCli(["plan", "--from", from, "--to", to, "--format", "json"]);
      assert.ok(result.stdout.startsWith("{"), result.stderr);
      const plan = JSON.parse(result.stdout) as { from: string; to: string; changes: Array<{ description: string }>; phases: Array<{ files: Array<{ sql: string[] }> }> };
      assert.match(plan.from, tool);
      assert.match(plan.to, tool);
      assert.deepEqual(plan.changes.map((c) => c.description), expected[i]);
      const sql = plan.phases.flatMap((p) => p.files.flatMap((f) => f.sql)).join("\n");
      assert.match(sql, /CREATE INDEX CONCURRENTLY/, "the index is built without blocking writes");
    }
  });

  test("seed fills a Prisma schema's tables", () => {
    const result = runCli(["seed", prisma, "--scale", "0.001", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { tables: Array<{ table: string; rows: number }> };
    assert.ok(summary.tables.some((t) => t.table === "public.order_lines" && t.rows > 0), result.stdout);
  });
});
