/**
 * Every recipe, planned and proven with data: the files pass the migration rules at 10 million rows
 * (a), the current schema plus the plan reads back as the desired one (b), and seeded rows keep
 * their values through it (c). Each case also checks the form the recipe must take.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planReport } from "../../src/plan/report.js";
import { formatReport } from "../../src/report/index.js";
import { planCase, proofProblems, runPlanWith, type PlanCase } from "./helpers.js";

function assertProven(result: PlanCase): void {
  const v = result.verification;
  assert.ok(v.rules.passed && v.roundTrip.passed && v.data.passed && v.workload.passed, `proof failed:\n${proofProblems(v)}\n${result.sql}`);
  assert.ok(v.data.tables.some((t) => t.rows > 0), "the proof ran on seeded rows");
}

const phaseOf = (result: PlanCase, pattern: RegExp) => result.plan.files.find((f) => f.statements.some((s) => pattern.test(s)))?.phase;

const CUSTOMERS = "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, name text);";

describe("schemawise plan recipes, proven with data", () => {
  test("columns added: nullable and constant default in expand, no backfill needed", async () => {
    const result = await planCase(CUSTOMERS, CUSTOMERS.replace("name text", "name text, note text, score integer NOT NULL DEFAULT 0"));
    assertProven(result);
    assert.equal(phaseOf(result, /ADD COLUMN score integer DEFAULT 0 NOT NULL/), "expand");
    assert.equal(result.plan.files.filter((f) => f.phase !== "expand").length, 0);
  });

  test("a column with a volatile default is added empty, filled in committed batches, then made NOT NULL through a validated check", async () => {
    const result = await planCase(CUSTOMERS, CUSTOMERS.replace("name text", "name text, token uuid NOT NULL DEFAULT gen_random_uuid()"));
    assert.equal(phaseOf(result, /ADD COLUMN token uuid$/), "expand");
    assert.match(result.sql, /UPDATE customers SET token = gen_random_uuid\(\) WHERE \(last_key IS NULL OR id > last_key\) AND id <= batch_end AND \(token IS NULL\);\n\s+last_key := batch_end;\n\s+COMMIT;/);
    assert.match(result.sql, /CHECK \(token IS NOT NULL\) NOT VALID[\s\S]*VALIDATE CONSTRAINT[\s\S]*SET NOT NULL/);
    assertProven(result);
  });

  test("NOT NULL on an existing column: NULLs get the default, CHECK NOT VALID, VALIDATE, SET NOT NULL, drop the check (contract)", async () => {
    const result = await planCase(CUSTOMERS, CUSTOMERS.replace("name text", "name text NOT NULL DEFAULT ''"));
    assertProven(result);
    assert.equal(phaseOf(result, /SET NOT NULL/), "contract");
    // The lock note knows the validated check spares SET NOT NULL its scan (from the plan's typed steps, not its SQL text).
    assert.match(formatReport(planReport(result.plan), "text"), /SET NOT NULL;\n-- locks: customers ACCESS EXCLUSIVE \(blocks reads and writes; brief\)/);
    assert.match(result.sql, /SET DEFAULT ''[\s\S]*NOT VALID[\s\S]*WHERE \(last_key IS NULL OR id > last_key\) AND id <= batch_end AND \(name IS NULL\)[\s\S]*VALIDATE CONSTRAINT customers_name_not_null_check[\s\S]*SET NOT NULL;\nALTER TABLE customers DROP CONSTRAINT customers_name_not_null_check/);
  });

  test("CHECK and FOREIGN KEY: NOT VALID, then VALIDATE in a transaction of its own", async () => {
    const from = `${CUSTOMERS} CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL, total numeric(10,2) NOT NULL);`;
    const to = from.replace("customer_id bigint NOT NULL", "customer_id bigint NOT NULL REFERENCES customers (id)").replace("total numeric(10,2) NOT NULL", "total numeric(10,2) NOT NULL CHECK (total >= 0)");
    const result = await planCase(from, to);
    assertProven(result);
    const validations = result.plan.files.filter((f) => f.statements.some((s) => /VALIDATE CONSTRAINT/.test(s)));
    assert.equal(validations.length, 2);
    assert.ok(validations.every((f) => f.statements.length === 1), "each VALIDATE alone in its file");
    assert.match(result.sql, /FOREIGN KEY \(customer_id\) REFERENCES customers\(id\) NOT VALID/);
  });

  test("UNIQUE: CREATE UNIQUE INDEX CONCURRENTLY alone outside a transaction, then ADD CONSTRAINT … USING INDEX", async () => {
    const result = await planCase(CUSTOMERS, CUSTOMERS.replace("email text NOT NULL", "email text NOT NULL UNIQUE"));
    assertProven(result);
    const build = result.plan.files.find((f) => f.statements.some((s) => s.startsWith("CREATE UNIQUE INDEX CONCURRENTLY customers_email_key")));
    assert.ok(build && !build.transaction && build.statements.length === 1);
    assert.match(result.sql, /ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key/);
  });

  test("indexes: created CONCURRENTLY in backfill, dropped CONCURRENTLY in contract", async () => {
    const from = `${CUSTOMERS} CREATE INDEX customers_name_idx ON customers (name);`;
    const to = `${CUSTOMERS} CREATE INDEX customers_email_lower_idx ON customers (lower(email)) WHERE name IS NOT NULL;`;
    const result = await planCase(from, to);
    assertProven(result);
    assert.equal(phaseOf(result, /CREATE INDEX CONCURRENTLY customers_email_lower_idx/), "backfill");
    assert.equal(phaseOf(result, /DROP INDEX CONCURRENTLY IF EXISTS customers_name_idx/), "contract");
  });

  test("enum values: ADD VALUE outside a transaction, in the desired order", async () => {
    const from = "CREATE TYPE status AS ENUM ('new', 'paid'); CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status status NOT NULL DEFAULT 'new');";
    const result = await planCase(from, from.replace("('new', 'paid')", "('new', 'pending', 'paid', 'shipped')"));
    assertProven(result);
    const adds = result.plan.files.filter((f) => f.statements.some((s) => s.includes("ADD VALUE")));
    assert.equal(adds.length, 2);
    assert.ok(adds.every((f) => !f.transaction));
    assert.match(result.sql, /ADD VALUE IF NOT EXISTS 'pending' BEFORE 'paid'/);
  });

  test("rename column by --rename: new column, two-way trigger, batched copy, switch, old column dropped in contract", async () => {
    const from = `${CUSTOMERS} CREATE INDEX customers_name_idx ON customers (name);`;
    const to = `CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, full_name text); CREATE INDEX customers_full_name_idx ON customers (full_name);`;
    const result = await planCase(from, to, {
      renames: [{ from: "customers.name", to: "customers.full_name" }],
      oldWorkload: "-- name: by_name\nSELECT id, email FROM customers WHERE name = $1;\n-- name: signup\nINSERT INTO customers (email, name) VALUES ($1, $2);\n",
      newWorkload: "-- name: by_full_name\nSELECT id, email FROM customers WHERE full_name = $1;\n-- name: signup\nINSERT INTO customers (email, full_name) VALUES ($1, $2);\n",
    });
    assertProven(result);
    assert.deepEqual([...new Set(result.verification.workload.checks.map((c) => `${c.phase} ${c.release}`))], ["expand old", "backfill old", "contract new"]);
    assert.equal(result.plan.changes.filter((c) => c.kind === "drop-column").length, 0, "a rename is not a drop");
    assert.equal(phaseOf(result, /CREATE TRIGGER customers_sync_full_name/), "expand");
    assert.equal(phaseOf(result, /DROP COLUMN name/), "contract");
    assert.ok(result.plan.app.some((a) => a.includes("full_name instead of name")));
  });

  test("rename column found by structure (the only column gone and the only one added of its type)", async () => {
    const result = await planCase(CUSTOMERS, CUSTOMERS.replace("name text", "display_name text"));
    assertProven(result);
    assert.ok(result.plan.changes.some((c) => c.kind === "rename-column" && c.source === "structure"));
  });

  test("rename table: rename with an updatable view under the old name, view dropped in contract", async () => {
    const result = await planCase(CUSTOMERS, CUSTOMERS.replace("customers", "clients"), {
      oldWorkload: "-- name: lookup\nSELECT id, name FROM customers WHERE email = $1;\n-- name: rename_someone\nUPDATE customers SET name = $2 WHERE id = $1;\n",
      newWorkload: "-- name: lookup\nSELECT id, name FROM clients WHERE email = $1;\n",
    });
    assertProven(result);
    assert.match(result.sql, /ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT \* FROM clients/);
    assert.equal(phaseOf(result, /DROP VIEW customers/), "contract");
  });

  test("type change the lock model calls binary coercible: one ALTER in expand", async () => {
    const from = "CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label varchar(20) NOT NULL);";
    const result = await planCase(from, from.replace("varchar(20)", "varchar(80)"));
    assertProven(result);
    assert.equal(phaseOf(result, /ALTER COLUMN label TYPE character varying\(80\)/), "expand");
  });

  test("type change that rewrites: a copy column of the new type, kept by a trigger, filled in batches, swapped in one short transaction", async () => {
    const from = "CREATE TABLE readings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, value integer NOT NULL);";
    const result = await planCase(from, from.replace("value integer", "value bigint"));
    assertProven(result);
    assert.match(result.sql, /ADD COLUMN value_new bigint/);
    assert.match(result.sql, /DROP COLUMN value;\n[\s\S]*RENAME COLUMN value_new TO value/);
  });

  test("drops are data loss: left out and listed without --allow-data-loss, in contract with it", async () => {
    const from = `${CUSTOMERS} CREATE TABLE legacy (id int PRIMARY KEY);`;
    const to = CUSTOMERS.replace(", name text", "");
    const without = await planCase(from, to);
    assert.deepEqual(without.plan.heldBack.sort(), ["drop column public.customers.name", "drop table public.legacy"]);
    assert.ok(!without.verification.roundTrip.passed, "the round trip shows what was left out");
    const withLoss = await planCase(from, to, { allowDataLoss: true });
    assertProven(withLoss);
    assert.equal(phaseOf(withLoss, /^DROP TABLE legacy/), "contract");
    assert.equal(phaseOf(withLoss, /DROP COLUMN name/), "contract");
  });

  test("a new table with a foreign key to an existing one, and a view over both", async () => {
    const to = `${CUSTOMERS} CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), body text NOT NULL);
      CREATE INDEX notes_customer_id_idx ON notes (customer_id);
      CREATE VIEW customer_notes AS SELECT c.email, n.body FROM customers c JOIN notes n ON n.customer_id = c.id;`;
    const result = await planCase(CUSTOMERS, to);
    assertProven(result);
    const create = result.plan.files.find((f) => f.statements.some((s) => s.startsWith("CREATE TABLE notes")))!;
    assert.ok(create.statements.some((s) => s.startsWith("CREATE INDEX notes_customer_id_idx")), "a new table's index is built with it, not CONCURRENTLY");
  });

  test("what it cannot plan is listed, never dropped silently", async () => {
    const from = "CREATE DOMAIN code AS varchar(10); CREATE TABLE people (id int PRIMARY KEY, code code, note text);";
    const result = await planCase(from, from.replace("varchar(10)", "integer").replace("note text", "note text NOT NULL"));
    assert.ok(result.plan.unplanned.some((u) => u.object === "domain public.code" && /base type/.test(u.reason)));
    assert.ok(!result.verification.roundTrip.passed);
  });

  test("enum values removed and reordered: a new type, each column moved through a copy (removed values mapped by --fill), the old type dropped and the new one renamed", async () => {
    const from = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok', name text);";
    const result = await planCase(from, from.replace("('sad', 'ok', 'happy')", "('happy', 'ok')"), { fills: new Map([["public.people.mood", "'ok'"]]) });
    assertProven(result);
    assert.equal(result.plan.unplanned.length, 0);
    assert.match(result.sql, /CREATE TYPE mood_new AS ENUM \('happy', 'ok'\)/);
    assert.match(result.sql, /NEW\.mood_new := \(SELECT \(CASE WHEN mood::text IN \('sad'\) THEN \('ok'\) ELSE mood::text END\)::mood_new FROM \(SELECT NEW\.\*\) AS row\)/);
    assert.match(result.sql, /ALTER TABLE people RENAME COLUMN mood_new TO mood;\nALTER TABLE people ALTER COLUMN mood SET DEFAULT 'ok'::mood_new/);
    assert.match(result.sql, /DROP TYPE mood;\nALTER TYPE mood_new RENAME TO mood/);
    assert.ok(result.plan.app.some((a) => a.includes("stop writing 'sad'")));
  });
});

describe("schemawise plan: functions and triggers", () => {
  test("functions re-created from their full definition (SECURITY DEFINER and SET kept), triggers added, dropped functions in contract", async () => {
    const from = `CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, updated_at timestamptz);
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
      CREATE FUNCTION old_helper(x int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$;`;
    const to = `CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, updated_at timestamptz);
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
      ALTER FUNCTION touch() SECURITY DEFINER SET search_path = public;
      CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();`;
    const result = await planCase(from, to);
    assertProven(result);
    assert.match(result.sql, /CREATE OR REPLACE FUNCTION public\.touch\(\)[\s\S]*SECURITY DEFINER[\s\S]*SET search_path TO 'public'/, "a change only the full definition shows is planned");
    assert.equal(phaseOf(result, /^CREATE TRIGGER posts_touch/), "expand");
    assert.equal(phaseOf(result, /^DROP FUNCTION old_helper\(x integer\)/), "contract");
  });
});

describe("schemawise plan: values the desired schema does not give", () => {
  const from = "CREATE TABLE versions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, num text NOT NULL);";
  const to = "CREATE TABLE versions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, num text NOT NULL, major text NOT NULL);";

  test("a NOT NULL column without a default: added nullable, the NOT NULL listed as not planned", async () => {
    const result = await planCase(from, to);
    assert.ok(result.plan.unplanned.some((u) => u.object === "column public.versions.major" && /--fill/.test(u.reason)));
    assert.match(result.sql, /ADD COLUMN major text;/);
    assert.deepEqual(result.verification.roundTrip.remaining, ["set public.versions.major NOT NULL"]);
  });

  test("--fill gives the value: batched fill, NULLs left by old code filled again, then NOT NULL through a validated check", async () => {
    const result = await planCase(from, to, { fills: new Map([["public.versions.major", "split_part(num, '.', 1)"]]) });
    assertProven(result);
    assert.equal(result.plan.unplanned.length, 0);
    assert.equal(phaseOf(result, /SET major = split_part\(num, '\.', 1\)/), "backfill");
    assert.equal(phaseOf(result, /SET NOT NULL/), "contract");
  });
});

describe("schemawise plan: proof (d), the workloads", () => {
  test("a new release's query that reads a column the plan drops fails after contract, and the proof says which", async () => {
    const result = await planCase(CUSTOMERS, CUSTOMERS.replace(", name text", ""), {
      allowDataLoss: true,
      oldWorkload: "-- name: names\nSELECT name FROM customers WHERE id = $1;\n",
      newWorkload: "-- name: names\nSELECT name FROM customers WHERE id = $1;\n",
    });
    const failed = result.verification.workload.checks.filter((c) => c.error);
    assert.deepEqual(failed.map((c) => `${c.phase} ${c.release} ${c.query}`), ["contract new names"]);
    assert.match(failed[0]!.error!, /column "name" does not exist/);
    assert.ok(!result.verification.passed);
    assert.ok(result.verification.workload.checks.some((c) => c.phase === "backfill" && c.release === "old" && !c.error), "the old release still reads it until the contract phase");
  });
});

describe("schemawise plan: changes with no fully online path, and the least-locking one", () => {
  test("serial → identity: in one short transaction, the serial's sequence renamed away, the identity set past the highest value, the old sequence dropped", async () => {
    const from = "CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);";
    const result = await planCase(from, "CREATE TABLE tickets (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title text NOT NULL);");
    assertProven(result);
    assert.equal(phaseOf(result, /ADD GENERATED BY DEFAULT AS IDENTITY/), "expand");
    assert.match(result.sql, /DROP DEFAULT;\nALTER SEQUENCE tickets_id_seq RENAME TO tickets_id_seq_old;\nALTER SEQUENCE tickets_id_seq_old OWNED BY NONE;\nALTER TABLE tickets ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;\nSELECT pg_catalog\.setval\(pg_catalog\.pg_get_serial_sequence\(.tickets., .id.\), pg_catalog\.nextval\(.tickets_id_seq_old.\)\);\nDROP SEQUENCE tickets_id_seq_old/);
    // The identity goes on after the serial's values: the next insert does not collide with a kept row.
    const next = await runPlanWith(result.plan, "INSERT INTO tickets (title) SELECT 'old' FROM generate_series(1, 5);", "INSERT INTO tickets (title) VALUES ('new') RETURNING id");
    assert.deepEqual(next, { rows: [{ id: 7 }] });
  });

  test("an identity column added to an existing table: added empty with a sequence as its default, numbered in batches, NOT NULL proven, made identity in one short transaction, then the primary key USING INDEX", async () => {
    const from = "CREATE TABLE visits (path text NOT NULL, at timestamptz NOT NULL DEFAULT now());";
    const to = "CREATE TABLE visits (path text NOT NULL, at timestamptz NOT NULL DEFAULT now(), id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);";
    const result = await planCase(from, to, { oldWorkload: "-- name: visit\nINSERT INTO visits (path) VALUES ($1);\n-- name: recent\nSELECT path FROM visits ORDER BY at DESC LIMIT 10;\n" });
    assertProven(result);
    assert.equal(result.plan.unplanned.length, 0);
    assert.match(result.sql, /ALTER TABLE visits ADD COLUMN id bigint;\nCREATE SEQUENCE visits_id_fill_seq AS bigint OWNED BY visits\.id;\nALTER TABLE visits ALTER COLUMN id SET DEFAULT pg_catalog\.nextval\('visits_id_fill_seq'::regclass\);/);
    assert.equal(phaseOf(result, /ADD COLUMN id bigint$/), "expand");
    assert.equal(phaseOf(result, /UPDATE visits SET id = pg_catalog\.nextval/), "backfill");
    assert.match(result.sql, /VALIDATE CONSTRAINT visits_id_not_null_check[\s\S]*SET NOT NULL[\s\S]*ADD GENERATED ALWAYS AS IDENTITY[\s\S]*CREATE UNIQUE INDEX CONCURRENTLY visits_pkey[\s\S]*ADD CONSTRAINT visits_pkey PRIMARY KEY USING INDEX visits_pkey/);
    assert.ok(result.plan.app.some((a) => a.includes("GENERATED ALWAYS refuses")));
    // Every existing row got its own number, and new rows go on after them.
    const next = await runPlanWith(result.plan, "INSERT INTO visits (path) SELECT 'p' || g FROM generate_series(1, 2500) g;", "INSERT INTO visits (path) VALUES ('new') RETURNING id, (SELECT count(DISTINCT id)::int FROM visits) AS numbered");
    assert.deepEqual(next, { rows: [{ id: "2501", numbered: 2500 }] }); // numbered: the 2,500 kept rows (RETURNING sees them before the insert)
  });

  test("a serial column added to an existing table: its own sequence as the default, existing rows numbered in batches, NOT NULL proven", async () => {
    const from = "CREATE TABLE visits (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, path text NOT NULL);";
    const result = await planCase(from, from.replace("path text NOT NULL", "path text NOT NULL, seq serial"));
    assertProven(result);
    assert.match(result.sql, /CREATE SEQUENCE visits_seq_seq AS integer OWNED BY visits\.seq;/);
    assert.doesNotMatch(result.sql, /IDENTITY|DROP SEQUENCE/);
  });

  test("a STORED generated column on an existing table: planned, with the rewrite it costs said in the file", async () => {
    const from = "CREATE TABLE people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, first text NOT NULL, last text NOT NULL);";
    const result = await planCase(from, from.replace("last text NOT NULL", "last text NOT NULL, full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED"));
    assertProven(result);
    const file = result.plan.files.find((f) => f.statements.some((s) => /ADD COLUMN full_name text GENERATED ALWAYS AS/.test(s)))!;
    assert.match(file.why.join(" "), /No safe path exists[\s\S]*rewrites people/);
    assert.deepEqual(file.acknowledged.flat().map((a) => a.rule), ["add-column-rewrite"]);
  });

  test("exclusion constraint on an existing table: in contract, the full lock of its build said in the file", async () => {
    const from = "CREATE EXTENSION IF NOT EXISTS btree_gist; CREATE TABLE bookings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL);";
    const to = from.replace("during tstzrange NOT NULL", "during tstzrange NOT NULL, CONSTRAINT bookings_no_overlap EXCLUDE USING gist (id WITH =, during WITH &&)");
    const result = await planCase(from, to);
    assertProven(result);
    const file = result.plan.files.find((f) => f.statements.some((s) => /ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist/.test(s)))!;
    assert.equal(file.phase, "contract");
    assert.match(file.why.join(" "), /ACCESS EXCLUSIVE/);
  });

  test("materialized views: a new one created WITH NO DATA then refreshed; a changed one built beside, refreshed, swapped by name with its index", async () => {
    const base = "CREATE TABLE sales (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, day date NOT NULL, amount numeric NOT NULL);";
    const from = `${base} CREATE MATERIALIZED VIEW daily AS SELECT day, sum(amount) AS total FROM sales GROUP BY day; CREATE UNIQUE INDEX daily_day ON daily (day);`;
    const to = `${base} CREATE MATERIALIZED VIEW daily AS SELECT day, sum(amount) AS total, count(*) AS n FROM sales GROUP BY day; CREATE UNIQUE INDEX daily_day ON daily (day);
      CREATE MATERIALIZED VIEW totals AS SELECT sum(amount) AS total FROM sales;`;
    const result = await planCase(from, to);
    assertProven(result);
    assert.match(result.sql, /CREATE MATERIALIZED VIEW totals AS[\s\S]*WITH NO DATA/);
    assert.equal(phaseOf(result, /^REFRESH MATERIALIZED VIEW totals/), "backfill");
    assert.match(result.sql, /CREATE MATERIALIZED VIEW daily_new AS[\s\S]*WITH NO DATA;\nCREATE UNIQUE INDEX daily_day_new ON public\.daily_new/);
    assert.match(result.sql, /DROP MATERIALIZED VIEW daily;\nALTER MATERIALIZED VIEW daily_new RENAME TO daily;\nALTER INDEX daily_day_new RENAME TO daily_day/);
  });

  test("domain: a check added NOT VALID then VALIDATE alone, a removed check dropped in expand, a new default", async () => {
    const from = "CREATE DOMAIN code AS text CONSTRAINT code_short CHECK (length(VALUE) < 5000); CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code code);";
    const to = from.replace("CONSTRAINT code_short CHECK (length(VALUE) < 5000)", "DEFAULT 'x' CONSTRAINT code_nonblank CHECK (VALUE <> '')");
    const result = await planCase(from, to);
    assertProven(result);
    assert.equal(phaseOf(result, /ALTER DOMAIN code DROP CONSTRAINT code_short/), "expand");
    assert.match(result.sql, /ALTER DOMAIN code ADD CONSTRAINT code_nonblank CHECK \(VALUE <> ''::text\) NOT VALID/);
    const validate = result.plan.files.find((f) => f.statements.some((s) => s === "ALTER DOMAIN code VALIDATE CONSTRAINT code_nonblank"))!;
    assert.equal(validate.statements.length, 1);
    assert.equal(validate.phase, "contract");
  });

  test("partitions: a new one created on its own, its bound proven by a validated CHECK, attached without a scan; a gone one detached CONCURRENTLY and dropped", async () => {
    const base = "CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at);";
    const p = (y: number) => `CREATE TABLE events_${y} PARTITION OF events FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01');`;
    const result = await planCase(`${base} ${p(2024)} ${p(2025)}`, `${base} ${p(2025)} ${p(2026)}`, { allowDataLoss: true });
    assertProven(result);
    assert.match(result.sql, /CREATE TABLE events_2026 \(LIKE events INCLUDING DEFAULTS[^\n]*\nALTER TABLE events_2026 ADD CONSTRAINT events_2026_partition_check CHECK \(\(at IS NOT NULL\) AND \(at >= '2026-01-01'::date\) AND \(at < '2027-01-01'::date\)\);\n/);
    assert.match(result.sql, /ATTACH PARTITION events_2026 FOR VALUES FROM \('2026-01-01'\) TO \('2027-01-01'\);\nALTER TABLE events_2026 DROP CONSTRAINT events_2026_partition_check/);
    const detach = result.plan.files.find((f) => f.statements.some((s) => s === "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY"))!;
    assert.ok(!detach.transaction && detach.phase === "contract");
    assert.equal(phaseOf(result, /^DROP TABLE events_2024/), "contract");
  });

  test("an existing table attached as a partition: its bound proven by a CHECK NOT VALID, validated, then ATTACH skips the scan", async () => {
    const base = "CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at); CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');";
    const old = "CREATE TABLE events_old (id bigint NOT NULL, at date NOT NULL CHECK (at < '2025-01-01'), body text);";
    const result = await planCase(`${base} ${old}`, `${base} ${old} ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM (MINVALUE) TO ('2025-01-01');`);
    assertProven(result);
    assert.doesNotMatch(result.sql, /CREATE TABLE events_old/);
    assert.match(result.sql, /ADD CONSTRAINT events_old_partition_check CHECK[\s\S]*NOT VALID[\s\S]*VALIDATE CONSTRAINT events_old_partition_check[\s\S]*ATTACH PARTITION events_old/);
  });
});

describe("schemawise plan: a primary key's type", () => {
  test("integer → bigint of a serial key and the foreign key to it: copies kept by triggers, unique index built CONCURRENTLY, one short swap per table, keys back USING INDEX, foreign keys NOT VALID then validated", async () => {
    const from = `CREATE TABLE orders (id serial PRIMARY KEY, placed date NOT NULL);
      CREATE TABLE lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id integer NOT NULL REFERENCES orders (id), qty int NOT NULL);
      CREATE INDEX lines_order_id_idx ON lines (order_id);`;
    const to = from.replace("id serial PRIMARY KEY", "id bigserial PRIMARY KEY").replace("order_id integer", "order_id bigint");
    const result = await planCase(from, to);
    assertProven(result);
    assert.equal(result.plan.unplanned.length, 0);
    assert.equal(phaseOf(result, /^CREATE UNIQUE INDEX CONCURRENTLY orders_pkey_new ON orders USING btree \(id_new\)/), "backfill");
    assert.match(result.sql, /ALTER TABLE lines DROP CONSTRAINT lines_order_id_fkey;\nALTER SEQUENCE orders_id_seq OWNED BY NONE;\n[\s\S]*ALTER TABLE orders DROP COLUMN id;\n[^\n]*\nALTER TABLE orders RENAME COLUMN id_new TO id;\nALTER SEQUENCE orders_id_seq OWNED BY orders\.id;\nALTER SEQUENCE orders_id_seq AS bigint;[\s\S]*ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey_new;\n\n/);
    // The referencing column changes type too: its own swap, after the key's, adds the foreign key back.
    assert.match(result.sql, /ALTER TABLE lines RENAME COLUMN order_id_new TO order_id;\nALTER INDEX lines_order_id_idx_new RENAME TO lines_order_id_idx;\nALTER TABLE lines ADD CONSTRAINT lines_order_id_fkey FOREIGN KEY \(order_id\) REFERENCES orders\(id\) NOT VALID;\n/);
    assert.equal(result.plan.files.filter((f) => f.statements.some((s) => s === "ALTER TABLE lines VALIDATE CONSTRAINT lines_order_id_fkey")).length, 1);
  });
});

describe("schemawise plan: row-level security and grants", () => {
  test("policies created in expand (inert until RLS is on), RLS enabled and forced in contract, a changed policy altered, a dropped one dropped; grants in expand, revokes in contract", async () => {
    const base = "CREATE TABLE docs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner text NOT NULL, body text);";
    const from = `${base}
      CREATE POLICY docs_old ON docs FOR DELETE TO PUBLIC USING (false);
      CREATE POLICY docs_read ON docs FOR SELECT TO PUBLIC USING (owner = current_user);
      GRANT SELECT, UPDATE ON docs TO pg_monitor;`;
    const to = `${base}
      ALTER TABLE docs ENABLE ROW LEVEL SECURITY; ALTER TABLE docs FORCE ROW LEVEL SECURITY;
      CREATE POLICY docs_read ON docs FOR SELECT TO PUBLIC USING (owner = current_user OR body IS NULL);
      CREATE POLICY docs_write ON docs AS RESTRICTIVE FOR INSERT TO pg_monitor WITH CHECK (owner = current_user);
      GRANT SELECT, INSERT ON docs TO pg_monitor WITH GRANT OPTION;`;
    const result = await planCase(from, to);
    assertProven(result);
    assert.equal(phaseOf(result, /^CREATE POLICY docs_write ON docs AS RESTRICTIVE FOR INSERT TO pg_monitor WITH CHECK \(\(owner = CURRENT_USER\)\)$/), "expand");
    assert.equal(phaseOf(result, /^ALTER POLICY docs_read ON docs TO PUBLIC USING/), "contract");
    assert.equal(phaseOf(result, /^DROP POLICY docs_old ON docs$/), "contract");
    assert.equal(phaseOf(result, /^ALTER TABLE docs ENABLE ROW LEVEL SECURITY$/), "contract");
    assert.equal(phaseOf(result, /^ALTER TABLE docs FORCE ROW LEVEL SECURITY$/), "contract");
    assert.equal(phaseOf(result, /^GRANT INSERT ON TABLE docs TO pg_monitor WITH GRANT OPTION$/), "expand");
    assert.equal(phaseOf(result, /^REVOKE UPDATE ON TABLE docs FROM pg_monitor$/), "contract");
    assert.ok(result.plan.app.some((a) => a.includes("row-level security is enabled in contract")));
  });

  test("a key's type changed and the referencing column's not: the key's swap drops the foreign key and adds it back NOT VALID, validated after; a key whose serial default goes away drops its sequence with the old column", async () => {
    const from = `CREATE TABLE orders (id serial PRIMARY KEY, placed date NOT NULL);
      CREATE TABLE lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));`;
    const result = await planCase(from, from.replace("id serial PRIMARY KEY", "id bigserial PRIMARY KEY"));
    assertProven(result);
    assert.match(result.sql, /ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey_new;\nALTER TABLE lines ADD CONSTRAINT lines_order_id_fkey FOREIGN KEY \(order_id\) REFERENCES orders\(id\) NOT VALID;\n/);
    assert.equal(phaseOf(result, /^ALTER TABLE lines VALIDATE CONSTRAINT lines_order_id_fkey$/), "contract");
    // A new table's foreign key to the retyped key waits for the key's swap (until then the key has the old type).
    const text = await planCase("CREATE TABLE hooks (id serial PRIMARY KEY, url text NOT NULL);", "CREATE TABLE hooks (id text PRIMARY KEY, url text NOT NULL); CREATE TABLE calls (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, hook_id text NOT NULL REFERENCES hooks (id));");
    assertProven(text);
    assert.doesNotMatch(text.sql, /OWNED BY|nextval/);
    assert.equal(phaseOf(text, /^ALTER TABLE calls ADD CONSTRAINT calls_hook_id_fkey FOREIGN KEY \(hook_id\) REFERENCES hooks\(id\) NOT VALID$/), "contract");
  });
});

describe("schemawise plan: a kept materialized view's indexes", () => {
  test("an index added to an existing materialized view is built CONCURRENTLY, a removed one dropped CONCURRENTLY", async () => {
    const base = "CREATE TABLE sales (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, day date NOT NULL, amount numeric NOT NULL); CREATE MATERIALIZED VIEW daily AS SELECT day, sum(amount) AS total FROM sales GROUP BY day;";
    const result = await planCase(`${base} CREATE INDEX daily_total ON daily (total);`, `${base} CREATE UNIQUE INDEX daily_day ON daily (day);`);
    assertProven(result);
    assert.equal(phaseOf(result, /^CREATE UNIQUE INDEX CONCURRENTLY daily_day ON public\.daily USING btree \(day\)$/), "backfill");
    assert.equal(phaseOf(result, /^DROP INDEX CONCURRENTLY IF EXISTS daily_total$/), "contract");
  });
});

describe("schemawise plan: a table split", () => {
  const users = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, street text NOT NULL, city text);";
  const split = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE); CREATE TABLE user_addresses (user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE, street text NOT NULL, city text);";

  test("columns moved to a new table that references the kept one: triggers both ways, a batched copy, proven twice, the columns dropped in contract, with no --allow-data-loss", async () => {
    const result = await planCase(users, split, {
      oldWorkload: "-- name: address\nSELECT street, city FROM users WHERE id = $1;\n-- name: move\nUPDATE users SET street = $2, city = $3 WHERE id = $1;\n",
      newWorkload: "-- name: address\nSELECT a.street, a.city FROM users u JOIN user_addresses a ON a.user_id = u.id WHERE u.id = $1;\n",
    });
    assertProven(result);
    assert.deepEqual(result.plan.heldBack, [], "the moved columns are not data loss");
    assert.equal(result.plan.unplanned.length, 0);
    assert.ok(result.plan.changes.some((c) => c.kind === "split-table" && c.link === "extension"));
    assert.equal(phaseOf(result, /^CREATE TRIGGER users_split_user_addresses AFTER INSERT OR UPDATE ON users/), "expand");
    assert.equal(phaseOf(result, /^ALTER TABLE users ALTER COLUMN street DROP NOT NULL$/), "expand");
    assert.equal(phaseOf(result, /INSERT INTO user_addresses \(user_id, street, city\) SELECT id, street, city FROM \(SELECT id, street, city FROM users WHERE \(last_key IS NULL OR id > last_key\) AND id <= batch_end FOR KEY SHARE\)/), "backfill");
    assert.equal(result.plan.files.filter((f) => f.name === "check_split_users_user_addresses").map((f) => f.phase).join(), "backfill,contract");
    assert.equal(phaseOf(result, /^ALTER TABLE users DROP COLUMN street$/), "contract");
    assert.ok(result.plan.app.some((a) => a.includes("in public.user_addresses")));
  });

  test("while old and new code both run, a write on either side reaches the other; deletes by the old code take the moved row along", async () => {
    const result = await planCase(users, split);
    const oldCode = "INSERT INTO users (email, street, city) VALUES ('old@x', 'Old St', 'Oldtown'); UPDATE users SET city = 'Moved' WHERE email = 'a@x'; DELETE FROM users WHERE email = 'b@x';";
    const newCode = `INSERT INTO users (email) VALUES ('new@x'); INSERT INTO user_addresses (user_id, street) SELECT id, 'New St' FROM users WHERE email = 'new@x';
      UPDATE user_addresses SET street = 'Changed St' WHERE user_id = (SELECT id FROM users WHERE email = 'c@x');
      DO $$ BEGIN IF (SELECT street FROM users WHERE email = 'c@x') IS DISTINCT FROM 'Changed St' THEN RAISE EXCEPTION 'the old code does not see the new code''s write'; END IF; END $$;`;
    const outcome = await runPlanWith(result.plan, "INSERT INTO users (email, street, city) VALUES ('a@x', 'A St', 'Atown'), ('b@x', 'B St', NULL), ('c@x', 'C St', 'Ctown');", "SELECT u.email, a.street, a.city FROM users u LEFT JOIN user_addresses a ON a.user_id = u.id ORDER BY u.email", { expand: oldCode, backfill: newCode });
    assert.deepEqual(outcome, {
      rows: [
        { email: "a@x", street: "A St", city: "Moved" },
        { email: "c@x", street: "Changed St", city: "Ctown" },
        { email: "new@x", street: "New St", city: null },
        { email: "old@x", street: "Old St", city: "Oldtown" },
      ],
    });
  });

  test("a lookup table the kept one references (normalize's split on a dependency): one row per key, the foreign key NOT VALID then validated", async () => {
    // The current CHECK pins the dependency (tax_percent is a function of tax_rate_id), so the seeded rows hold one value per key, as real rows would.
    const from = "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tax_rate_id integer NOT NULL CHECK (tax_rate_id IN (1, 2, 3)), tax_percent integer NOT NULL CHECK (tax_percent = tax_rate_id * 5), total numeric(10,2) NOT NULL);";
    const to = "CREATE TABLE tax_rates (tax_rate_id integer PRIMARY KEY, tax_percent integer NOT NULL); CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tax_rate_id integer NOT NULL CHECK (tax_rate_id IN (1, 2, 3)) REFERENCES tax_rates (tax_rate_id), total numeric(10,2) NOT NULL);";
    const result = await planCase(from, to, {
      oldWorkload: "-- name: tax\nSELECT total * tax_percent / 100 FROM orders WHERE id = $1;\n",
      newWorkload: "-- name: tax\nSELECT o.total * t.tax_percent / 100 FROM orders o JOIN tax_rates t USING (tax_rate_id) WHERE o.id = $1;\n",
    });
    assertProven(result);
    assert.ok(result.plan.changes.some((c) => c.kind === "split-table" && c.link === "lookup"));
    assert.match(result.sql, /INSERT INTO tax_rates \(tax_rate_id, tax_percent\) SELECT DISTINCT tax_rate_id, tax_percent FROM/);
    assert.match(result.sql, /FOREIGN KEY \(tax_rate_id\) REFERENCES tax_rates\(tax_rate_id\) NOT VALID[\s\S]*VALIDATE CONSTRAINT orders_tax_rate_id_fkey[\s\S]*DROP COLUMN tax_percent/);
  });

  test("a new table that refuses what the kept one accepts is not split: listed with the reason, the columns kept", async () => {
    const result = await planCase(users, split.replace("street text NOT NULL, city text)", "street text NOT NULL CHECK (street <> ''), city text)"));
    assert.match(result.plan.unplanned.find((u) => u.object === "split of public.users into public.user_addresses")?.reason ?? "", /user_addresses has check user_addresses_street_check, which users does not: the old code's writes copied into it could fail/);
    assert.doesNotMatch(result.sql, /DROP COLUMN street/);
    assert.ok(result.verification.data.passed, "nothing is lost");
    // A lookup left empty: the foreign key to it is not planned either (its validation would fail on the kept rows).
    const lookup = await planCase(
      "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tax_rate_id integer NOT NULL, tax_percent integer NOT NULL);",
      "CREATE TABLE tax_rates (tax_rate_id integer PRIMARY KEY, tax_percent integer NOT NULL CHECK (tax_percent < 50)); CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tax_rate_id integer NOT NULL REFERENCES tax_rates (tax_rate_id));",
    );
    assert.deepEqual(lookup.plan.unplanned.map((u) => u.object), ["split of public.orders into public.tax_rates", "add foreign-key orders_tax_rate_id_fkey on public.orders"]);
    assert.equal(lookup.verification.roundTrip.failedFile, undefined, "every planned file runs");
  });

  test("a lookup whose values are not one per key: the check stops the plan before anything is dropped, naming a row", async () => {
    const from = "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, region text NOT NULL, region_manager text NOT NULL);";
    const to = "CREATE TABLE regions (region text PRIMARY KEY, region_manager text NOT NULL); CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, region text NOT NULL REFERENCES regions (region));";
    const result = await planCase(from, to);
    const outcome = await runPlanWith(result.plan, "INSERT INTO orders (region, region_manager) VALUES ('north', 'Ann'), ('north', 'Bob');", "SELECT region_manager FROM orders ORDER BY id");
    assert.ok("error" in outcome && /orders row [12]: its region_manager not the same as in regions for its region/.test(outcome.error) && / backfill check_split_orders_regions$/.test(outcome.at), JSON.stringify(outcome));
    // Meanwhile the new code writes orders without the manager, and changes one in regions: the old code reads both in orders.
    const newCode = `INSERT INTO regions (region, region_manager) VALUES ('east', 'Eve') ON CONFLICT (region) DO NOTHING; INSERT INTO orders (region) VALUES ('north'), ('east');
      UPDATE regions SET region_manager = 'Sam' WHERE region = 'south'; UPDATE orders SET region = 'east' WHERE id = 1;
      DO $$ BEGIN IF (SELECT string_agg(region_manager, ',' ORDER BY id) FROM orders) IS DISTINCT FROM 'Eve,Ann,Sam,Ann,Eve' THEN RAISE EXCEPTION 'the old code does not see the new code''s writes'; END IF; END $$;`;
    const agreeing = await runPlanWith(result.plan, "INSERT INTO orders (region, region_manager) VALUES ('north', 'Ann'), ('north', 'Ann'), ('south', 'Sue');", "SELECT r.region, r.region_manager, count(*)::int AS orders FROM orders o JOIN regions r USING (region) GROUP BY 1, 2 ORDER BY 1", { backfill: newCode });
    assert.deepEqual(agreeing, { rows: [{ region: "east", region_manager: "Eve", orders: 2 }, { region: "north", region_manager: "Ann", orders: 2 }, { region: "south", region_manager: "Sam", orders: 1 }] });
  });
});

describe("schemawise plan: partitioning an existing table", () => {
  const events = "CREATE TABLE events (id bigserial PRIMARY KEY, at date NOT NULL CHECK (at >= '2024-01-01' AND at < '2027-01-01'), kind text NOT NULL, body text); CREATE INDEX events_kind_idx ON events (kind);";
  const partitioned = `CREATE TABLE events (id bigserial, at date NOT NULL CHECK (at >= '2024-01-01' AND at < '2027-01-01'), kind text NOT NULL, body text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
    CREATE INDEX events_kind_idx ON events (kind);
    ${[2024, 2025, 2026].map((y) => `CREATE TABLE events_${y} PARTITION OF events FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01');`).join(" ")}`;

  test("a partitioned copy built beside it, kept in step by a trigger, filled in batches, checked, swapped in by name (after the switch, as its key changes), the old table dropped last", async () => {
    const result = await planCase(events, partitioned, {
      oldWorkload: "-- name: recent\nSELECT id, kind FROM events WHERE at > $1 ORDER BY at DESC LIMIT 20;\n-- name: log\nINSERT INTO events (at, kind) VALUES ($1, $2);\n",
      newWorkload: "-- name: recent\nSELECT id, kind FROM events WHERE at > $1 ORDER BY at DESC LIMIT 20;\n",
    });
    assertProven(result);
    assert.equal(result.plan.unplanned.length, 0);
    assert.deepEqual(result.plan.heldBack, []);
    assert.match(result.sql, /CREATE TABLE events_new \([\s\S]*CONSTRAINT events_pkey_new PRIMARY KEY \(id, at\)\n\) PARTITION BY RANGE \(at\);\nCREATE TABLE events_2024 PARTITION OF events_new FOR VALUES FROM \('2024-01-01'\) TO \('2025-01-01'\);/);
    assert.match(result.sql, /CREATE INDEX events_kind_idx_new ON public\.events_new USING btree \(kind\)/);
    assert.equal(phaseOf(result, /^CREATE TRIGGER events_sync_partitioned AFTER INSERT OR UPDATE OR DELETE ON events/), "expand");
    assert.equal(phaseOf(result, /FOR SHARE\) AS batch ON CONFLICT DO NOTHING/), "backfill");
    assert.equal(phaseOf(result, /EXCEPT ALL/), "backfill");
    const swap = result.plan.files.find((f) => f.name === "swap_events_partitioned")!;
    assert.deepEqual(swap.statements, [
      "DROP TRIGGER events_sync_partitioned ON events",
      "DROP TRIGGER events_sync_partitioned_truncate ON events",
      "DROP FUNCTION events_sync_partitioned()",
      "ALTER SEQUENCE events_id_seq OWNED BY events_new.id",
      "ALTER TABLE events RENAME TO events_old",
      "ALTER TABLE events_old RENAME CONSTRAINT events_pkey TO events_pkey_old",
      "ALTER INDEX events_kind_idx RENAME TO events_kind_idx_old",
      "ALTER TABLE events_new RENAME TO events",
      "ALTER TABLE events RENAME CONSTRAINT events_pkey_new TO events_pkey",
      "ALTER INDEX events_kind_idx_new RENAME TO events_kind_idx",
    ]);
    assert.ok(swap.transaction && swap.phase === "contract");
    assert.equal(phaseOf(result, /^DROP TABLE events_old$/), "contract");
    assert.ok(result.plan.app.some((a) => a.includes("primary key becomes (id, at)")));
  });

  test("writes while the copy is built reach the partitioned table, and the sequence goes on after the swap", async () => {
    const result = await planCase(events, partitioned);
    const meanwhile = "INSERT INTO events (at, kind) VALUES ('2026-05-01', 'new'); UPDATE events SET at = '2024-02-02', body = 'moved' WHERE kind = 'a'; DELETE FROM events WHERE kind = 'b';";
    const outcome = await runPlanWith(result.plan, "INSERT INTO events (at, kind) VALUES ('2025-03-01', 'a'), ('2025-04-01', 'b'), ('2026-01-01', 'c');", "INSERT INTO events (at, kind) VALUES ('2024-12-31', 'after') RETURNING id, (SELECT string_agg(concat_ws(' ', id, tableoid::regclass, kind, body), '; ' ORDER BY id) FROM events) AS rows", { expand: meanwhile });
    assert.deepEqual(outcome, { rows: [{ id: "5", rows: "1 events_2024 a moved; 3 events_2026 c; 4 events_2026 new" }] });
  });

  test("what the copy cannot swap in is not planned, and the reason says what to do instead", async () => {
    const result = await planCase(`${events} CREATE VIEW recent_events AS SELECT * FROM events WHERE at > '2026-01-01';`, `${partitioned} CREATE VIEW recent_events AS SELECT * FROM events WHERE at > '2026-01-01';`);
    const reason = result.plan.unplanned.find((u) => u.object === "table public.events")?.reason ?? "";
    assert.match(reason, /view public\.recent_events reads it[\s\S]*Instead: partition it in a plan of its own/);
  });
});
