import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Diagnostic } from "vscode-languageserver-protocol/node";
import { ROOT } from "../helpers/cli.js";
import { testServerUrl } from "../helpers/server.js";
import { LspClient } from "./client.js";

/** Two Drizzle files of one schema (drizzle.config.ts names their folder): orders.ts references customers.ts. */
const CUSTOMERS = `import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const customers = pgTable("customers", {
  id: uuid("id").defaultRandom().primaryKey(),
  email: text("email").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
});
`;

const ORDERS = `import { pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";

export const orders = pgTable("orders", {
  id: uuid("id").defaultRandom().primaryKey(),
  customerId: uuid("customer_id").notNull().references(() => customers.id, { onDelete: "restrict" }),
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
});
`;

const ORDERS_INDEXED = `import { index, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").defaultRandom().primaryKey(),
    customerId: uuid("customer_id").notNull().references(() => customers.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [index("orders_customer_id_idx").on(t.customerId)],
);
`;

const CONFIG = `export default { dialect: "postgresql", schema: "./db" };\n`;

/** Uses drizzle-orm for queries only: not a schema, so the server leaves it alone. */
const CLIENT = `import { eq } from "drizzle-orm";\nexport const byId = (id: string) => eq;\n`;

const BROKEN = `import { pgTable, text } from "drizzle-orm/pg-core";

const settings: { column?: { name: string } } = {};

export const broken = pgTable("broken", {
  id: text("id").primaryKey(),
  note: text(settings.column!.name),
});
`;

/** A multi-file Prisma schema whose folder also keeps its migrations (Prisma's prismaSchemaFolder layout). */
const PRISMA_MAIN = `datasource db {
  provider = "postgresql"
}

model Author {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  createdAt DateTime @default(now()) @db.Timestamptz(3)
  posts     Post[]
}
`;

const PRISMA_POST = `model Post {
  id        Int      @id @default(autoincrement())
  title     String
  authorId  Int
  author    Author   @relation(fields: [authorId], references: [id], onDelete: Restrict)
  createdAt DateTime @default(now()) @db.Timestamptz(3)
}
`;

function lineOf(text: string, needle: string): number {
  const line = text.split("\n").findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return line;
}

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.find((d) => d.code === code);
  assert.ok(found, `${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  return found;
}

describe("schemawise lsp on Drizzle and Prisma schemas (scripted client, checks on the test server)", () => {
  let client: LspClient;
  const workspace = mkdtempSync(join(tmpdir(), "schemawise-lsp-code-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(workspace, name), text);
    return join(workspace, name);
  };

  before(async () => {
    // The schema's packages resolve from the project, as they would in a real one.
    symlinkSync(join(ROOT, "node_modules"), join(workspace, "node_modules"), "dir");
    mkdirSync(join(workspace, "db"));
    mkdirSync(join(workspace, "prisma/schema/migrations/20240101000000_init"), { recursive: true });
    file("drizzle.config.ts", CONFIG);
    file("db/customers.ts", CUSTOMERS);
    file("db/orders.ts", ORDERS);
    file("client.ts", CLIENT);
    file("broken.ts", BROKEN);
    file("prisma/schema/main.prisma", PRISMA_MAIN);
    file("prisma/schema/post.prisma", PRISMA_POST);
    file("prisma/schema/migrations/20240101000000_init/migration.sql", "CREATE TABLE authors (id serial PRIMARY KEY);\n");
    client = new LspClient(["--engine", await testServerUrl()]);
    await client.initialize(workspace);
  });

  after(() => {
    if (client.child.exitCode === null) client.child.kill();
    rmSync(workspace, { recursive: true, force: true });
  });

  test("a Drizzle file of a drizzle.config.ts schema: its finding at the .references(…), the fix in Drizzle, no SQL quick fix", async () => {
    const orders = join(workspace, "db/orders.ts");
    await client.open(orders, ORDERS, "typescript");
    const diagnostics = await client.diagnostics(orders, { version: 1 });
    const unindexed = byCode(diagnostics, "foreign-key-without-index");
    assert.equal(unindexed.range.start.line, lineOf(ORDERS, ".references(() => customers.id"));
    assert.match(unindexed.message, /`index\("orders_customer_id_idx"\)\.on\(t\.customerId\)`/);
    assert.deepEqual(await client.codeActions(orders, [unindexed]), [], "the fix is Drizzle code, not an SQL edit of this file");
  });

  test("an edit is checked when saved, not while typing: the saved index clears the finding", async () => {
    const orders = join(workspace, "db/orders.ts");
    await client.change(orders, 2, ORDERS_INDEXED);
    writeFileSync(orders, ORDERS_INDEXED);
    await client.save(orders);
    const diagnostics = await client.diagnostics(orders, { version: 2 });
    assert.ok(!diagnostics.some((d) => d.code === "foreign-key-without-index"), JSON.stringify(diagnostics));
  });

  test("a schema that throws while loading: one error at the throwing line, not at the top of the file", async () => {
    const broken = join(workspace, "broken.ts");
    await client.open(broken, BROKEN, "typescript");
    // A load error is published as the CLI's one-line error is printed, without a finding's version.
    const [error, ...more] = await client.diagnostics(broken);
    assert.equal(more.length, 0);
    assert.equal(error!.range.start.line, lineOf(BROKEN, "settings.column!.name"));
    assert.match(error!.message, /^Cannot read properties of undefined/);
  });

  test("Prisma: a file of a multi-file schema, checked with the others; the relation without an index at its @relation, with the @@index fix; a module that only queries with drizzle-orm gets nothing", async () => {
    const schema = join(workspace, "prisma/schema/post.prisma");
    const queries = join(workspace, "client.ts");
    await client.open(queries, CLIENT, "typescript");
    await client.open(schema, PRISMA_POST, "prisma");
    const diagnostics = await client.diagnostics(schema, { version: 1 });
    const unindexed = byCode(diagnostics, "foreign-key-without-index");
    assert.equal(unindexed.range.start.line, lineOf(PRISMA_POST, "author    Author   @relation("));
    assert.match(unindexed.message, /add `@@index\(\[authorId\]\)` to model Post/);
    assert.ok(!client.hasPublished(queries), "client.ts is no schema");
  });

  test("shutdown and exit: exit code 0", async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });
});
