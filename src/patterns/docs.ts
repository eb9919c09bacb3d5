import type { Pattern, PatternTarget } from "./types.js";

/** The example each page shows: the table and options a reader can try as they are. */
export const EXAMPLES: Record<string, { target: PatternTarget; options: Record<string, string>; command: string }> = {
  "valid-time": { target: { schema: "public", table: "prices", key: [{ name: "id", type: "bigint" }] }, options: { key: "product_id" }, command: "schemawise pattern valid-time --table prices --key product_id --on db/schema.sql" },
  bitemporal: { target: { schema: "public", table: "prices", key: [{ name: "id", type: "bigint" }] }, options: { key: "product_id" }, command: "schemawise pattern bitemporal --table prices --key product_id --on db/schema.sql" },
  "audit-trail": { target: { schema: "public", table: "accounts", key: [{ name: "id", type: "bigint" }] }, options: {}, command: "schemawise pattern audit-trail --table accounts --on db/schema.sql" },
  "soft-delete": {
    target: { schema: "public", table: "users", key: [{ name: "id", type: "bigint" }], uniqueKeys: [{ name: "users_email_key", columns: ["email"] }] },
    options: {},
    command: "schemawise pattern soft-delete --table users --on db/schema.sql",
  },
  "state-machine": {
    target: { schema: "public", table: "orders", key: [{ name: "id", type: "bigint" }] },
    options: { transitions: "draft>paid,paid>shipped,draft>cancelled,paid>cancelled" },
    command: "schemawise pattern state-machine --table orders --transitions draft>paid,paid>shipped,draft>cancelled,paid>cancelled --on db/schema.sql",
  },
  "exclusive-arc": { target: { schema: "public", table: "comments", key: [{ name: "id", type: "bigint" }] }, options: { columns: "post_id,photo_id" }, command: "schemawise pattern exclusive-arc --table comments --columns post_id,photo_id --on db/schema.sql" },
  archive: { target: { schema: "public", table: "invoices", key: [{ name: "id", type: "bigint" }] }, options: {}, command: "schemawise pattern archive --table invoices --on db/schema.sql" },
  "counter-cache": { target: { schema: "public", table: "posts", key: [{ name: "id", type: "bigint" }] }, options: { child: "comments" }, command: "schemawise pattern counter-cache --table posts --child comments --on db/schema.sql" },
  hierarchy: { target: { schema: "public", table: "categories", key: [{ name: "id", type: "bigint" }] }, options: { "max-depth": "8" }, command: "schemawise pattern hierarchy --table categories --max-depth 8 --on db/schema.sql" },
  money: { target: { schema: "public", table: "invoices", key: [{ name: "id", type: "bigint" }] }, options: { column: "total" }, command: "schemawise pattern money --table invoices --column total --on db/schema.sql" },
  "jsonb-attributes": { target: { schema: "public", table: "products", key: [{ name: "id", type: "bigint" }] }, options: { keys: "color,size" }, command: "schemawise pattern jsonb-attributes --table products --keys color,size --on db/schema.sql" },
  "multi-tenant": { target: { schema: "public", table: "projects", key: [{ name: "id", type: "bigint" }] }, options: {}, command: "schemawise pattern multi-tenant --table projects --on db/schema.sql" },
  "materialized-view": { target: { schema: "public", table: "orders", key: [{ name: "id", type: "bigint" }] }, options: { group: "status" }, command: "schemawise pattern materialized-view --table orders --group status --on db/schema.sql" },
  tags: { target: { schema: "public", table: "posts", key: [{ name: "id", type: "bigint" }] }, options: {}, command: "schemawise pattern tags --table posts --on db/schema.sql" },
};

/** docs/patterns/<name>.md, generated from the pattern's own metadata and SQL (npm run docs). */
export function patternPage(pattern: Pattern): string {
  const example = EXAMPLES[pattern.name];
  const lines = [
    `# ${pattern.name}`,
    "",
    `${capitalise(pattern.summary)}.`,
    "",
    "## What it guarantees",
    "",
    ...pattern.guarantees.map((g) => `- ${g}`),
    "",
    "## What it costs",
    "",
    ...pattern.costs.map((c) => `- ${c}`),
    "",
    "## Options",
    "",
    "- `--table <[schema.]table>`: the table it is written for; `--on <schema files>` reads its key, column types and unique keys from the schema.",
    ...Object.entries(pattern.options).map(([name, meaning]) => `- \`--${name}\`: ${meaning}.`),
    "",
    "The guarantees are checked by property tests in `test/patterns/properties.test.ts`: random sequences of writes run in Postgres against this SQL.",
  ];
  if (example) {
    lines.push("", "## Example", "", "```sh", example.command, "```", "", "```sql", pattern.sql(example.target, example.options).trim(), "```");
  }
  return `${lines.join("\n")}\n`;
}

export function patternIndex(patterns: readonly Pattern[]): string {
  return [
    "# Patterns",
    "",
    "`schemawise pattern <name> --table <table> [--on <schema>]` writes these as SQL for one of your tables: `-o <file>` writes a file, `--out <migrations folder>` the folder's next migration, named and ordered as its runner (Prisma, Drizzle, Diesel, Flyway, golang-migrate, dbmate, numbered files) expects. `schemawise pattern` lists them.",
    "",
    "| pattern | what it gives |",
    "| --- | --- |",
    ...patterns.map((p) => `| [\`${p.name}\`](${p.name}.md) | ${p.summary} |`),
    "",
  ].join("\n");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
