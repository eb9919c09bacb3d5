import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import type { Finding } from "../../src/checks/types.js";
import { InputError, resolveInputs } from "../../src/sources/layouts.js";
import { relocateFindings, schemaCodePlan } from "../../src/sources/schema-code/index.js";

const FIXTURES = "test/fixtures/schema-code";

/** 1-based line of the first line of `file` containing `needle`. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, "utf8").split("\n").findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${needle} not in ${file}`);
  return index + 1;
}

/** A finding as the rules report it on the generated SQL, before it is relocated. */
function findingOn(generatedFile: string, ruleId: string, kind: Finding["object"]["kind"], path: string): Finding {
  return {
    ruleId,
    severity: "warning",
    category: "indexes",
    message: "m",
    why: "w",
    object: { kind, path },
    location: { file: generatedFile, line: 1, column: 1, endLine: 1, endColumn: 1 },
    fix: { description: "SQL fix.", sql: "SELECT 1;" },
    fingerprint: `${ruleId}:${path}`,
  };
}

async function relocatedAll(input: string, isFolder: boolean, ruleId: string, kind: Finding["object"]["kind"], path: string): Promise<Finding[]> {
  const plan = await schemaCodePlan(input, isFolder, false);
  assert.ok(plan, `${input} is recognised as schema code`);
  return relocateFindings([findingOn(plan.plan.entries[0]!.display, ruleId, kind, path)]);
}

async function relocated(input: string, isFolder: boolean, ruleId: string, kind: Finding["object"]["kind"], path: string): Promise<Finding> {
  const [finding] = await relocatedAll(input, isFolder, ruleId, kind, path);
  assert.ok(finding, `the ${ruleId} finding is kept`);
  return finding;
}

describe("Drizzle: findings located in the TypeScript", () => {
  const schema = `${FIXTURES}/drizzle-styles/schema.ts`;

  test("a column without a name argument is found by its property key", async () => {
    const finding = await relocated(schema, false, "naming-convention", "column", "public.teams.slug");
    assert.deepEqual([finding.location?.file, finding.location?.line], [schema, lineOf(schema, "slug: text()")]);
  });

  test("an unnamed index in the object style is found by its columns", async () => {
    const finding = await relocated(schema, false, "low-cardinality-index", "index", "public.team_members.team_members_user_name_index");
    assert.equal(finding.location?.line, lineOf(schema, "byUser: index()"));
  });

  test("a named foreignKey({…}) and a composite primary key point at their entries", async () => {
    const fk = await relocated(schema, false, "foreign-key-without-index", "constraint", "public.team_members.team_members_team_fk");
    assert.equal(fk.location?.line, lineOf(schema, "team: foreignKey("));
    assert.match(fk.fix.description, /^In .*schema\.ts: add `index\("team_members_team_id_idx"\)\.on\(table\.teamId\)` to the third argument of members/);
    assert.match(fk.fix.description, /In SQL: SQL fix\.$/, "the SQL fix stays beside the Drizzle one");
    assert.equal(fk.fix.sql, "SELECT 1;");
    const pk = await relocated(schema, false, "missing-primary-key", "constraint", "public.team_members.team_members_team_id_user_name_pk");
    assert.equal(pk.location?.line, lineOf(schema, "pk: primaryKey("));
  });

  test("a column Drizzle updates itself ($onUpdate) gets no updated-at-without-trigger", async () => {
    assert.deepEqual(await relocatedAll(schema, false, "updated-at-without-trigger", "column", "public.teams.updated_at"), []);
    const other = await relocated(schema, false, "timestamp-without-time-zone", "column", "public.teams.updated_at");
    assert.equal(other.location?.line, lineOf(schema, "updatedAt: timestamp("));
  });

  test("drizzle.config.ts: its schema folder and snake_case casing (columns named by their keys)", async () => {
    const folder = `${FIXTURES}/drizzle-casing`;
    const plan = await schemaCodePlan(folder, true, false);
    assert.match(plan?.description ?? "", /^Drizzle schema of .*drizzle\.config\.ts .*accounts\.ts \(SQL by drizzle-kit /);
    assert.match(plan?.plan.entries[0]?.text ?? "", /"created_at" timestamp DEFAULT now\(\) NOT NULL/);
    const finding = await relocated(folder, true, "timestamp-without-time-zone", "column", "public.accounts.created_at");
    assert.deepEqual([finding.location?.file, finding.location?.line], [`${folder}/db/accounts.ts`, lineOf(`${folder}/db/accounts.ts`, "createdAt: timestamp()")]);
    assert.match(finding.fix.description, /declare createdAt as `timestamp\(\{ withTimezone: true \}\)`/, "named by its key, as written");
  });

  test("drizzle.config.ts of a CommonJS package (no \"type\": \"module\"): its default export is still the config", async () => {
    const folder = `${FIXTURES}/drizzle-commonjs`;
    const schema = `${folder}/src/db/schema.ts`;
    const plan = await schemaCodePlan(folder, true, false);
    assert.match(plan?.description ?? "", /^Drizzle schema of .*drizzle\.config\.ts .*src\/db\/schema\.ts \(SQL by drizzle-kit /);
    const finding = await relocated(folder, true, "timestamp-without-time-zone", "column", "public.users.created_at");
    assert.deepEqual([finding.location?.file, finding.location?.line], [schema, lineOf(schema, 'createdAt: timestamp("created_at")')]);
  });

  test("an enum is found at its pgEnum", async () => {
    const finding = await relocated(schema, false, "status-without-constraint", "type", "public.member_role");
    assert.equal(finding.location?.line, lineOf(schema, "pgEnum("));
  });

  test("views, materialized views and sequences are found at their declarations", async () => {
    const file = `${FIXTURES}/drizzle-styles/views.ts`;
    const matview = await relocated(file, false, "matview-without-unique-index", "view", "public.totals_by_customer");
    assert.equal(matview.location?.line, lineOf(file, "export const totalsByCustomer"));
    const view = await relocated(file, false, "naming-convention", "view", "public.big_invoices");
    assert.equal(view.location?.line, lineOf(file, "export const bigInvoices"));
    const sequence = await relocated(file, false, "naming-convention", "sequence", "public.invoice_numbers");
    assert.equal(sequence.location?.line, lineOf(file, "export const invoiceNumbers"));
  });

  test("a rule without a Drizzle spelling keeps its SQL fix as it was", async () => {
    const finding = await relocated(schema, false, "wide-sparse-table", "table", "public.teams");
    assert.equal(finding.location?.line, lineOf(schema, "export const teams"));
    assert.equal(finding.fix.description, "SQL fix.");
  });

  test("a schema that throws while loading is a one-line error at the throwing line, also in a CommonJS package", async () => {
    for (const file of [`${FIXTURES}/drizzle-styles/broken-load.ts`, `${FIXTURES}/drizzle-commonjs/broken-load.ts`]) {
      await assert.rejects(resolveInputs([file]), (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.match(error.message, new RegExp(`^${file}:${lineOf(file, "settings.column!")}:\\d+: Cannot read properties of undefined`));
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    }
  });

  test("a .ts file that does not import drizzle-orm is refused as input", async () => {
    await assert.rejects(resolveInputs(["test/helpers/cli.ts"]), /not a Drizzle schema/);
  });
});

describe("the project's own tool version runs first", () => {
  /** A project folder inside the repository (so drizzle-orm resolves) with its own node_modules. */
  function project(setup: (dir: string) => void, run: (dir: string) => Promise<void>): () => Promise<void> {
    return async () => {
      const dir = mkdtempSync(path.join(FIXTURES, ".project-"));
      try {
        setup(dir);
        await run(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
  }

  test(
    "drizzle-kit installed in the project writes the SQL, and the report says so",
    project(
      (dir) => {
        const kit = path.join(dir, "node_modules", "drizzle-kit");
        mkdirSync(kit, { recursive: true });
        writeFileSync(path.join(kit, "package.json"), JSON.stringify({ name: "drizzle-kit", version: "0.30.99", exports: { "./api": "./api.js" } }));
        writeFileSync(path.join(kit, "api.js"), `module.exports = require(${JSON.stringify(path.resolve("node_modules/drizzle-kit/api.js"))});`);
        cpSync(`${FIXTURES}/drizzle-styles/schema.ts`, path.join(dir, "schema.ts"));
      },
      async (dir) => {
        const plan = await schemaCodePlan(path.join(dir, "schema.ts"), false, false);
        assert.match(plan?.description ?? "", /\(SQL by drizzle-kit 0\.30\.99, the project's own\)$/);
      },
    ),
  );

  test(
    "without one in the project, schemawise's own runs and is named",
    project(
      (dir) => cpSync(`${FIXTURES}/prisma-multi`, dir, { recursive: true }),
      async (dir) => {
        const plan = await schemaCodePlan(dir, true, false);
        assert.match(plan?.description ?? "", /\(SQL by @prisma\/schema-engine-wasm [^,]+, schemawise's own\)$/);
      },
    ),
  );
});

describe("Prisma: findings located in the schema", () => {
  const folder = `${FIXTURES}/prisma-multi`;

  test("a folder of .prisma files is one schema; a datasource url (Prisma 6 style) does not stop it", async () => {
    const plan = await schemaCodePlan(folder, true, false);
    assert.match(plan?.description ?? "", /^Prisma schema .*base\.prisma, .*member\.prisma \(SQL by @prisma\/schema-engine-wasm /);
  });

  test("a .prisma file of a multi-file schema brings the others, also where the folder keeps the migrations; one beside complete schemas is read alone", async () => {
    const alone = await schemaCodePlan(`${FIXTURES}/prisma-classic.prisma`, false, false);
    assert.match(alone?.description ?? "", /^Prisma schema test\/fixtures\/schema-code\/prisma-classic\.prisma \(SQL by /);
    const project = mkdtempSync(path.join(tmpdir(), "schemawise-prisma-folder-"));
    try {
      const schema = path.join(project, "prisma", "schema");
      cpSync(folder, schema, { recursive: true });
      mkdirSync(path.join(schema, "migrations", "20240101000000_init"), { recursive: true });
      writeFileSync(path.join(schema, "migrations", "20240101000000_init", "migration.sql"), "CREATE TABLE accounts (id serial PRIMARY KEY);\n");
      const member = path.join(schema, "member.prisma");
      const finding = await relocated(member, false, "foreign-key-without-index", "constraint", "public.members.members_account_id_fkey");
      assert.deepEqual([finding.location?.file, finding.location?.line], [member, lineOf(member, "@relation(")]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test("a relation's foreign key points at its @relation, with the @@index fix", async () => {
    const finding = await relocated(folder, true, "foreign-key-without-index", "constraint", "public.members.members_account_id_fkey");
    const file = `${folder}/member.prisma`;
    assert.equal(finding.location?.file, file);
    assert.equal(finding.location?.line, lineOf(file, "@relation("));
    assert.match(finding.fix.description, /add `@@index\(\[accountId\]\)` to model Member/);
  });

  test("an index statement Postgres rejects points at its @@index, not at the model", async () => {
    const plan = await schemaCodePlan(folder, true, false);
    const entry = plan!.plan.entries[0]!;
    const line = entry.text.split("\n").findIndex((l) => l.includes('CREATE INDEX "members_email_lookup"')) + 1;
    assert.ok(line > 0, entry.text);
    const failed: Finding = {
      ...findingOn(entry.display, "statement-failed", "statement", `${entry.display}#IndexStmt:0`),
      location: { file: entry.display, line, column: 1, endLine: line, endColumn: 1 },
    };
    const [finding] = relocateFindings([failed]);
    assert.equal(finding?.location?.line, lineOf(`${folder}/member.prisma`, "@@index([email]"));
  });

  test("@map'ed names lead to the field, an index with map: to its @@index, an enum to its block", async () => {
    const column = await relocated(folder, true, "timestamp-without-time-zone", "column", "public.members.account_id");
    assert.equal(column.location?.line, lineOf(`${folder}/member.prisma`, "accountId Int"));
    assert.match(column.fix.description, /add `@db\.Timestamptz\(3\)` to Member\.accountId/);
    const index = await relocated(folder, true, "duplicate-index", "index", "public.members.members_email_lookup");
    assert.equal(index.location?.line, lineOf(`${folder}/member.prisma`, "@@index([email]"));
    const unique = await relocated(folder, true, "redundant-prefix-index", "index", "public.accounts.accounts_handle_plan_key");
    assert.equal(unique.location?.line, lineOf(`${folder}/base.prisma`, "@@unique("));
    const type = await relocated(folder, true, "status-without-constraint", "type", "public.plan_kind");
    assert.deepEqual([type.location?.file, type.location?.line], [`${folder}/base.prisma`, lineOf(`${folder}/base.prisma`, "enum Plan")]);
  });

  test("what Prisma does or names itself is not reported: @updatedAt, serial ids, implicit join tables", async () => {
    const file = `${FIXTURES}/prisma-classic.prisma`;
    assert.deepEqual(await relocatedAll(file, false, "updated-at-without-trigger", "column", "public.User.updatedAt"), []);
    assert.deepEqual(await relocatedAll(file, false, "serial-instead-of-identity", "column", "public.Post.id"), []);
    assert.deepEqual(await relocatedAll(file, false, "naming-convention", "column", "public._PostToTag.A"), []);
    const joinTable = await relocated(file, false, "too-many-indexes", "table", "public._PostToTag");
    assert.equal(joinTable.location?.line, lineOf(file, "tags      Tag[]"));
    const kept = await relocated(file, false, "updated-at-without-trigger", "column", "public.User.createdAt");
    assert.equal(kept.location?.line, lineOf(file, "createdAt DateTime"));
  });

  test("a validation error is one line with the file and line, never a stack", async () => {
    const file = `${FIXTURES}/prisma-invalid.prisma`;
    await assert.rejects(resolveInputs([file]), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, `${file}:${lineOf(file, "owner Person")}: Type "Person" is neither a built-in type, nor refers to another model, composite type, or enum.`);
      return true;
    });
  });

  test("a Prisma Migrate folder with its schema.prisma stays a migration history", async () => {
    const folder = mkdtempSync(path.join(FIXTURES, ".tmp-"));
    try {
      cpSync("test/fixtures/layouts/prisma", folder, { recursive: true });
      writeFileSync(path.join(folder, "schema.prisma"), readFileSync(`${FIXTURES}/prisma-multi/base.prisma`, "utf8"));
      const layout = await resolveInputs([folder]);
      assert.equal(layout.layout, "prisma");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
