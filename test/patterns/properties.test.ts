/**
 * Each pattern's invariant, checked in the engine against random sequences of writes (fast-check):
 * the SQL `schemawise pattern` prints must keep its guarantees whatever the application does.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import type { Engine } from "../../src/engine/types.js";
import { attempt, count, inRollback, RUNS, withPattern } from "./helpers.js";

const id = [{ name: "id", type: "bigint" }];

describe("valid-time: no entity has two versions valid at the same moment", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE prices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, product_id integer NOT NULL, amount numeric(12,2) NOT NULL);",
      "valid-time",
      { schema: "public", table: "prices", key: id },
      { key: "product_id" },
    );
  });
  after(() => engine.close());

  const version = fc.record({ product: fc.integer({ min: 1, max: 3 }), start: fc.integer({ min: 0, max: 40 }), days: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }) });

  const insert = (v: { product: number; start: number; days?: number | undefined }) =>
    attempt(
      engine,
      "INSERT INTO prices (product_id, amount, valid_during) VALUES ($1, 10, tstzrange(DATE '2026-01-01' + $2::int, CASE WHEN $3::int IS NULL THEN NULL ELSE DATE '2026-01-01' + $2::int + $3::int END))",
      [v.product, v.start, v.days ?? null],
    );

  test("whatever versions are written, no two of one product overlap", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(version, { maxLength: 12 }), async (versions) =>
        inRollback(engine, async () => {
          for (const v of versions) {
            await insert(v);
            const overlapping = await count(engine, "SELECT count(*) AS n FROM prices a JOIN prices b ON a.product_id = b.product_id AND a.id < b.id AND a.valid_during && b.valid_during");
            assert.equal(overlapping, 0, `overlap after ${JSON.stringify(v)}`);
          }
        }),
      ),
      RUNS,
    );
  });

  test("open-ended versions with later starts are all taken, each closing the one before: the periods tile", async () => {
    const starts = fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 8 }).map((a) => [...a].sort((x, y) => x - y));
    await fc.assert(
      fc.asyncProperty(starts, async (days) =>
        inRollback(engine, async () => {
          for (const start of days) assert.ok(await insert({ product: 7, start }), `version from day ${start}`);
          const rows = await engine.query<{ lo: string; hi: string | null }>("SELECT lower(valid_during)::date::text AS lo, upper(valid_during)::date::text AS hi FROM prices WHERE product_id = 7 ORDER BY lower(valid_during)");
          assert.equal(rows.length, days.length);
          rows.forEach((row, i) => assert.equal(row.hi, rows[i + 1]?.lo ?? null, "each version ends where the next begins; the last is open"));
        }),
      ),
      RUNS,
    );
  });
});

describe("audit-trail: one log row per change, and the log cannot be edited", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE accounts (id bigint PRIMARY KEY, plan text NOT NULL);",
      "audit-trail",
      { schema: "public", table: "accounts", key: id },
      {},
    );
  });
  after(() => engine.close());

  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), id: fc.integer({ min: 1, max: 5 }), plan: fc.constantFrom("free", "pro") }),
    fc.record({ op: fc.constant("update" as const), id: fc.integer({ min: 1, max: 5 }), plan: fc.constantFrom("free", "pro") }),
    fc.record({ op: fc.constant("delete" as const), id: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ op: fc.constantFrom("edit-log" as const, "delete-log" as const, "truncate-log" as const) }),
  );

  test("the log holds exactly the changes made, in order, with their keys; editing it always fails", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 14 }), async (commands) =>
        inRollback(engine, async () => {
          const rows = new Map<number, string>();
          const expected: string[] = [];
          await engine.exec("SET LOCAL app.actor = 'tester'");
          for (const c of commands) {
            if (c.op === "insert") {
              if (await attempt(engine, "INSERT INTO accounts (id, plan) VALUES ($1, $2)", [c.id, c.plan])) {
                rows.set(c.id, c.plan);
                expected.push(`INSERT ${c.id}`);
              }
            } else if (c.op === "update") {
              assert.ok(await attempt(engine, "UPDATE accounts SET plan = $2 WHERE id = $1", [c.id, c.plan]));
              if (rows.has(c.id) && rows.get(c.id) !== c.plan) expected.push(`UPDATE ${c.id}`);
              if (rows.has(c.id)) rows.set(c.id, c.plan);
            } else if (c.op === "delete") {
              assert.ok(await attempt(engine, "DELETE FROM accounts WHERE id = $1", [c.id]));
              if (rows.delete(c.id)) expected.push(`DELETE ${c.id}`);
            } else {
              const sql = { "edit-log": "UPDATE audit_events SET reason = 'oops'", "delete-log": "DELETE FROM audit_events", "truncate-log": "TRUNCATE audit_events" }[c.op];
              assert.equal(await attempt(engine, sql), false, `${sql} must fail`);
            }
          }
          const log = await engine.query<{ entry: string; who: string }>("SELECT action || ' ' || (row_key->>'id') AS entry, changed_by AS who FROM audit_events ORDER BY id");
          assert.deepEqual(log.map((l) => l.entry), expected);
          assert.ok(log.every((l) => l.who === "tester"), "who comes from app.actor");
        }),
      ),
      RUNS,
    );
  });
});

describe("soft-delete: unique among live rows, deleted rows hidden from the live view", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, CONSTRAINT users_email_key UNIQUE (email));",
      "soft-delete",
      { schema: "public", table: "users", key: id, columns: { id: "bigint", email: "text" }, uniqueKeys: [{ name: "users_email_key", columns: ["email"] }] },
      {},
    );
  });
  after(() => engine.close());

  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), email: fc.constantFrom("a@x", "b@x", "c@x") }),
    fc.record({ op: fc.constant("soft-delete" as const), email: fc.constantFrom("a@x", "b@x", "c@x") }),
  );

  test("an email is taken again only once its live row is deleted; the view shows exactly the live rows", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 14 }), async (commands) =>
        inRollback(engine, async () => {
          const live = new Set<string>();
          let next = 1;
          for (const c of commands) {
            if (c.op === "insert") {
              const accepted = await attempt(engine, "INSERT INTO users (id, email) VALUES ($1, $2)", [next++, c.email]);
              assert.equal(accepted, !live.has(c.email), `insert ${c.email}`);
              live.add(c.email);
            } else {
              await attempt(engine, "UPDATE users SET deleted_at = now() WHERE email = $1 AND deleted_at IS NULL", [c.email]);
              live.delete(c.email);
            }
          }
          const shown = await engine.query<{ email: string }>("SELECT email FROM users_live ORDER BY email");
          assert.deepEqual(shown.map((r) => r.email), [...live].sort());
        }),
      ),
      RUNS,
    );
  });
});

describe("state-machine: only declared moves, each one in the history", () => {
  let engine: Engine;
  const moves: Record<string, string[]> = { draft: ["paid", "cancelled"], paid: ["shipped", "cancelled"], shipped: [], cancelled: [] };
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'draft');",
      "state-machine",
      { schema: "public", table: "orders", key: id, columns: { id: "bigint", status: "text" } },
      { transitions: "draft>paid,draft>cancelled,paid>shipped,paid>cancelled" },
    );
  });
  after(() => engine.close());

  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), id: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ op: fc.constant("move" as const), id: fc.integer({ min: 1, max: 3 }), to: fc.constantFrom("draft", "paid", "shipped", "cancelled", "lost") }),
  );

  test("a move succeeds exactly when it is declared; the history replays to the current status", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 14 }), async (commands) =>
        inRollback(engine, async () => {
          const status = new Map<number, string>();
          for (const c of commands) {
            if (c.op === "insert") {
              if (await attempt(engine, "INSERT INTO orders (id) VALUES ($1)", [c.id])) status.set(c.id, "draft");
            } else {
              const current = status.get(c.id);
              const accepted = await attempt(engine, "UPDATE orders SET status = $2 WHERE id = $1", [c.id, c.to]);
              const allowed = current === undefined || current === c.to || (moves[current] ?? []).includes(c.to);
              assert.equal(accepted, allowed, `${current} -> ${c.to}`);
              if (accepted && current !== undefined) status.set(c.id, c.to);
            }
          }
          for (const [order, now] of status) {
            const steps = await engine.query<{ from_state: string | null; to_state: string }>("SELECT from_state, to_state FROM orders_status_changes WHERE order_id = $1 ORDER BY id", [order]);
            assert.equal(steps[0]?.from_state, null, "the first status is recorded");
            steps.slice(1).forEach((s, i) => assert.equal(s.from_state, steps[i]!.to_state, "each step starts where the last ended"));
            assert.equal(steps.at(-1)?.to_state, now);
          }
        }),
      ),
      RUNS,
    );
  });
});

describe("exclusive-arc: exactly one parent", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint, photo_id bigint, video_id bigint);",
      "exclusive-arc",
      { schema: "public", table: "comments", key: id, columns: { id: "bigint", post_id: "bigint", photo_id: "bigint", video_id: "bigint" } },
      { columns: "post_id,photo_id,video_id" },
    );
  });
  after(() => engine.close());

  test("a row is accepted exactly when one parent column is set", async () => {
    const parent = fc.option(fc.integer({ min: 1, max: 9 }), { nil: null });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(parent, parent, parent), { maxLength: 10 }), async (rows) =>
        inRollback(engine, async () => {
          for (const [i, row] of rows.entries()) {
            const accepted = await attempt(engine, "INSERT INTO comments (id, post_id, photo_id, video_id) VALUES ($1, $2, $3, $4)", [i + 1, ...row]);
            assert.equal(accepted, row.filter((v) => v !== null).length === 1, JSON.stringify(row));
          }
        }),
      ),
      RUNS,
    );
  });
});

describe("tags: a tag once whatever its case, a row tagged once with it", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern("CREATE TABLE posts (id bigint PRIMARY KEY, title text NOT NULL);", "tags", { schema: "public", table: "posts", key: id }, {});
  });
  after(() => engine.close());

  test("tag names are unique ignoring case; a (post, tag) pair is unique; deleting a post drops its taggings", async () => {
    const command = fc.oneof(
      fc.record({ op: fc.constant("tag" as const), post: fc.integer({ min: 1, max: 3 }), name: fc.constantFrom("SQL", "sql", "Postgres", "postgres") }),
      fc.record({ op: fc.constant("delete-post" as const), post: fc.integer({ min: 1, max: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 14 }), async (commands) =>
        inRollback(engine, async () => {
          await engine.exec("INSERT INTO posts (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
          const pairs = new Set<string>();
          const posts = new Set([1, 2, 3]);
          for (const c of commands) {
            if (c.op === "tag") {
              await attempt(engine, "INSERT INTO tags (name) VALUES ($1)", [c.name]);
              const accepted = await attempt(engine, "INSERT INTO posts_tags (post_id, tag_id) SELECT $1, id FROM tags WHERE lower(name) = lower($2)", [c.post, c.name]);
              const key = `${c.post}:${c.name.toLowerCase()}`;
              assert.equal(accepted, posts.has(c.post) && !pairs.has(key), key);
              if (accepted) pairs.add(key);
            } else {
              await attempt(engine, "DELETE FROM posts WHERE id = $1", [c.post]);
              posts.delete(c.post);
              for (const key of [...pairs]) if (key.startsWith(`${c.post}:`)) pairs.delete(key);
            }
          }
          assert.equal(await count(engine, "SELECT count(*) AS n FROM posts_tags"), pairs.size);
          assert.equal(await count(engine, "SELECT count(*) AS n FROM tags GROUP BY lower(name) HAVING count(*) > 1"), 0);
        }),
      ),
      RUNS,
    );
  });
});

for (const options of [{}, { partition: "monthly" }]) {
describe(`archive${options.partition ? " --partition monthly" : ""}: every deleted row is in the archive, once, with its values`, () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      `CREATE TABLE folders (id integer PRIMARY KEY);
       CREATE TABLE documents (id bigint PRIMARY KEY, folder_id integer NOT NULL REFERENCES folders ON DELETE CASCADE, title text NOT NULL, body text, price numeric(8,2), labels text[]);`,
      "archive",
      { schema: "public", table: "documents", key: id },
      options,
    );
  });
  after(() => engine.close());

  const row = fc.record({
    id: fc.integer({ min: 1, max: 5 }),
    folder: fc.integer({ min: 1, max: 2 }),
    title: fc.constantFrom("a", "b", "it's"),
    body: fc.option(fc.constantFrom("x", "{\"json\": 1}", ""), { nil: null }),
    price: fc.option(fc.constantFrom("0.50", "12.00", "-3.25"), { nil: null }),
    labels: fc.option(fc.array(fc.constantFrom("p", "q", "has space"), { maxLength: 2 }), { nil: null }),
  });
  type Row = { id: number; folder: number; title: string; body: string | null; price: string | null; labels: string[] | null };
  const command = fc.oneof(
    row.map((r) => ({ op: "insert" as const, row: r })),
    fc.record({ op: fc.constant("retitle" as const), id: fc.integer({ min: 1, max: 5 }), title: fc.constantFrom("c", "d") }),
    fc.record({ op: fc.constant("delete" as const), id: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ op: fc.constant("delete-folder" as const), folder: fc.integer({ min: 1, max: 2 }) }),
  );
  const text = (r: Row) => JSON.stringify([r.id, r.folder, r.title, r.body, r.price, r.labels]);

  test("after any writes, the archive holds exactly the rows deleted so far (cascades included), with their values and who", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 14 }), async (commands) =>
        inRollback(engine, async () => {
          await engine.exec("SET LOCAL app.actor = 'archivist'; INSERT INTO folders VALUES (1), (2)");
          const live = new Map<number, Row>();
          const deleted: string[] = [];
          for (const c of commands) {
            if (c.op === "insert") {
              const r = c.row;
              if (await attempt(engine, "INSERT INTO documents VALUES ($1, $2, $3, $4, $5, $6)", [r.id, r.folder, r.title, r.body, r.price, r.labels])) live.set(r.id, r);
            } else if (c.op === "retitle") {
              await attempt(engine, "UPDATE documents SET title = $2 WHERE id = $1", [c.id, c.title]);
              const r = live.get(c.id);
              if (r) live.set(c.id, { ...r, title: c.title });
            } else {
              const gone = c.op === "delete" ? [...live.values()].filter((r) => r.id === c.id) : [...live.values()].filter((r) => r.folder === c.folder);
              const sql = c.op === "delete" ? "DELETE FROM documents WHERE id = $1" : "DELETE FROM folders WHERE id = $1";
              assert.ok(await attempt(engine, sql, [c.op === "delete" ? c.id : c.folder]));
              if (c.op === "delete-folder") await engine.exec(`INSERT INTO folders VALUES (${c.folder})`);
              for (const r of gone) {
                live.delete(r.id);
                deleted.push(text(r));
              }
            }
            const archived = await engine.query<Row & { folder_id: number; archived_by: string }>("SELECT id::int, folder_id, title, body, price::text, labels, archived_by FROM documents_archive");
            assert.deepEqual(archived.map((a) => text({ ...a, folder: a.folder_id })).sort(), [...deleted].sort());
            assert.ok(archived.every((a) => a.archived_by === "archivist"));
          }
        }),
      ),
      RUNS,
    );
  });

  test("a column the archive lacks makes the delete fail instead of losing its value", async () => {
    await inRollback(engine, async () => {
      await engine.exec("INSERT INTO folders VALUES (1); INSERT INTO documents (id, folder_id, title) VALUES (1, 1, 'a'); ALTER TABLE documents ADD COLUMN summary text");
      assert.ok(await attempt(engine, "UPDATE documents SET summary = 'kept' WHERE id = 1"));
      assert.equal(await attempt(engine, "DELETE FROM documents WHERE id = 1"), false);
      await engine.exec("ALTER TABLE documents_archive ADD COLUMN summary text");
      assert.ok(await attempt(engine, "DELETE FROM documents WHERE id = 1"));
      assert.equal(await count(engine, "SELECT count(*) AS n FROM documents_archive WHERE summary = 'kept'"), 1);
    });
  });

  if (options.partition) {
    test("each row lands in its month's partition, a month with none in the default one; a month is purged by dropping its partition", async () => {
      await inRollback(engine, async () => {
        await engine.exec("INSERT INTO folders VALUES (1); INSERT INTO documents (id, folder_id, title) VALUES (1, 1, 'a'), (2, 1, 'b'); DELETE FROM documents");
        const month = (await engine.query<{ name: string }>("SELECT 'documents_archive_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM') AS name"))[0]!.name;
        assert.deepEqual((await engine.query<{ part: string }>("SELECT DISTINCT tableoid::regclass::text AS part FROM documents_archive")).map((r) => r.part), [month]);
        await engine.exec("INSERT INTO documents_archive (id, folder_id, title, archived_at) VALUES (3, 1, 'c', '2099-05-02')");
        assert.equal(await count(engine, "SELECT count(*) AS n FROM documents_archive_default"), 1, "a month without a partition goes to the default one");
        assert.ok(await attempt(engine, "SELECT documents_archive_add_month('2099-06-10')"), "a later month is created ahead");
        assert.equal(await attempt(engine, "SELECT documents_archive_add_month('2099-05-20')"), false, "a month already in the default partition cannot get its own");
        await engine.exec(`DROP TABLE ${month}`);
        assert.equal(await count(engine, "SELECT count(*) AS n FROM documents_archive"), 1, "only the dropped month's rows are gone");
      });
    });
  }
});
}

/** Posts and comments, some written before the pattern (whose closing statement must count them). */
const POSTS_AND_COMMENTS = `CREATE TABLE posts (id integer PRIMARY KEY);
  CREATE TABLE comments (id integer PRIMARY KEY, post_id integer REFERENCES posts ON DELETE CASCADE);
  INSERT INTO posts VALUES (1), (2), (3);
  INSERT INTO comments VALUES (1, 1), (2, 1), (3, 2), (4, NULL);`;
const post = fc.option(fc.integer({ min: 1, max: 4 }), { nil: null });
const comment = fc.integer({ min: 1, max: 8 });

for (const shards of [undefined, "4"]) {
describe(`counter-cache${shards ? " --shards 4" : ""}: the count equals count(*) of the children`, () => {
  // Sharded, the count is the view's sum of the shards.
  const counts = shards ? "posts_comments_count" : "posts";
  let engine: Engine;
  before(async () => {
    // Rows written before the pattern: its closing UPDATE must count them.
    engine = await withPattern(
      POSTS_AND_COMMENTS,
      "counter-cache",
      { schema: "public", table: "posts", key: [{ name: "id", type: "integer" }] },
      shards ? { child: "comments", shards } : { child: "comments" },
    );
  });
  after(() => engine.close());

  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), id: comment, post }).map((c) => ({ ...c, sql: "INSERT INTO comments VALUES ($1, $2)", params: [c.id, c.post] })),
    fc.record({ op: fc.constant("move" as const), id: comment, post }).map((c) => ({ ...c, sql: "UPDATE comments SET post_id = $2 WHERE id = $1", params: [c.id, c.post] })),
    fc.record({ op: fc.constant("touch" as const), id: comment }).map((c) => ({ ...c, sql: "UPDATE comments SET post_id = post_id WHERE id = $1", params: [c.id] })),
    fc.record({ op: fc.constant("delete" as const), id: comment }).map((c) => ({ ...c, sql: "DELETE FROM comments WHERE id = $1", params: [c.id] })),
    fc.record({ op: fc.constant("delete-of-post" as const), post }).map((c) => ({ ...c, sql: "DELETE FROM comments WHERE post_id = $1", params: [c.post] })),
    fc.record({ op: fc.constant("delete-post" as const), id: fc.integer({ min: 1, max: 3 }) }).map((c) => ({ ...c, sql: "DELETE FROM posts WHERE id = $1", params: [c.id] })),
    fc.constant({ op: "truncate" as const, sql: "TRUNCATE comments", params: undefined }),
  );
  const drift = `SELECT count(*) AS n FROM ${counts} p WHERE p.comments_count <> (SELECT count(*) FROM comments c WHERE c.post_id = p.id)`;

  test("the rows there before are counted when the pattern is applied", async () => {
    const rows = await engine.query<{ id: number; comments_count: string }>(`SELECT id, comments_count FROM ${counts} ORDER BY id`);
    assert.deepEqual(rows.map((c) => [c.id, Number(c.comments_count)]), [[1, 2], [2, 1], [3, 0]]);
  });

  test("after any sequence of child writes (moves, cascades and TRUNCATE included), every counter equals count(*)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 16 }), async (commands) =>
        inRollback(engine, async () => {
          await engine.exec("INSERT INTO posts VALUES (4)");
          for (const c of commands) {
            await attempt(engine, c.sql, c.params);
            assert.equal(await count(engine, drift), 0, `counter drifted after ${c.sql} ${JSON.stringify(c.params)}`);
            if (shards) assert.equal(await count(engine, "SELECT count(*) AS n FROM posts_comments_count_shards s WHERE NOT EXISTS (SELECT FROM posts p WHERE p.id = s.post_id) OR s.shard NOT BETWEEN 0 AND 3"), 0, "no shard of a deleted parent, none out of range");
          }
        }),
      ),
      RUNS,
    );
  });
});
}

for (const variant of ["adjacency", "closure", "ltree"]) {
describe(`hierarchy --variant ${variant}: no cycles, no path longer than the limit${variant === "adjacency" ? "" : `, the ${variant === "closure" ? "paths table" : "path column"} always matches the tree`}`, () => {
  const limit = 3;
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE nodes (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');",
      "hierarchy",
      { schema: "public", table: "nodes", key: [{ name: "id", type: "integer" }], columns: { id: "integer", name: "text" } },
      { "max-depth": String(limit), variant },
    );
  });
  after(() => engine.close());

  /** Rows from a root to the node, or Infinity on a cycle (the model mirrors what the trigger must allow). */
  const pathLength = (parents: Map<number, number | null>, node: number): number => {
    let length = 0;
    for (let at: number | null | undefined = node; at != null; at = parents.get(at)) if (++length > parents.size) return Infinity;
    return length;
  };
  const height = (parents: Map<number, number | null>, node: number): number =>
    1 + Math.max(0, ...[...parents].filter(([, p]) => p === node).map(([child]) => height(parents, child)));
  const allowed = (parents: Map<number, number | null>) => [...parents.keys()].every((n) => pathLength(parents, n) <= limit);

  /** The root-to-node keys of each node, from the model. */
  const ancestry = (parents: Map<number, number | null>, node: number): number[] => {
    const line: number[] = [];
    for (let at: number | null | undefined = node; at != null; at = parents.get(at)) line.unshift(at);
    return line;
  };
  /** What the variant derives from the tree, as sorted text: closure pairs with their distance, or ltree paths. */
  const modelPaths = (parents: Map<number, number | null>): string[] =>
    [...parents.keys()].flatMap((n) => {
      const line = ancestry(parents, n);
      return variant === "closure" ? line.map((a, i) => `${a}>${n}:${line.length - 1 - i}`) : [`${n}=${line.join(".")}`];
    }).sort();
  const derivedPaths = async (): Promise<string[]> =>
    (variant === "closure"
      ? await engine.query<{ p: string }>("SELECT ancestor_id || '>' || descendant_id || ':' || depth AS p FROM nodes_paths")
      : await engine.query<{ p: string }>("SELECT id || '=' || path::text AS p FROM nodes")
    ).map((r) => r.p).sort();

  const node = fc.integer({ min: 1, max: 6 });
  const parent = fc.option(node, { nil: null, freq: 3 });
  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), id: node, parent }),
    fc.record({ op: fc.constant("move" as const), id: node, parent }),
    fc.record({ op: fc.constant("delete" as const), id: node }),
  );

  test("a write is accepted exactly when the tree stays acyclic within the depth limit; the stored tree always is", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 16 }), async (commands) =>
        inRollback(engine, async () => {
          // Three levels to start from, so paths reach the limit within a few writes.
          await engine.exec("INSERT INTO nodes (id, parent_id) VALUES (1, NULL), (2, 1), (3, 2)");
          const parents = new Map<number, number | null>([[1, null], [2, 1], [3, 2]]);
          for (const c of commands) {
            const next = new Map(parents);
            let valid: boolean;
            let accepted: boolean;
            if (c.op === "delete") {
              valid = parents.has(c.id) && ![...parents.values()].includes(c.id);
              next.delete(c.id);
              accepted = await attempt(engine, "DELETE FROM nodes WHERE id = $1", [c.id]);
              if (!parents.has(c.id)) valid = accepted; // deleting nothing succeeds and changes nothing
            } else {
              const exists = parents.has(c.id);
              const parentExists = c.parent === null || parents.has(c.parent) || (c.op === "insert" && c.parent === c.id);
              next.set(c.id, c.parent);
              valid = (c.op === "insert" ? !exists : exists) && parentExists && c.parent !== c.id && allowed(next);
              accepted = c.op === "insert"
                ? await attempt(engine, "INSERT INTO nodes (id, parent_id) VALUES ($1, $2)", [c.id, c.parent])
                : await attempt(engine, "UPDATE nodes SET parent_id = $2 WHERE id = $1", [c.id, c.parent]);
              if (c.op === "move" && !exists) valid = accepted; // an UPDATE of no row succeeds and changes nothing
            }
            assert.equal(accepted, valid, `${JSON.stringify(c)} on ${JSON.stringify([...parents])}`);
            if (accepted && (c.op !== "move" || parents.has(c.id)) && (c.op !== "delete" || parents.has(c.id))) {
              parents.clear();
              for (const [k, v] of next) parents.set(k, v);
            }
          }
          const stored = new Map((await engine.query<{ id: number; parent_id: number | null }>("SELECT id, parent_id FROM nodes")).map((r) => [r.id, r.parent_id]));
          assert.deepEqual(stored, parents);
          assert.ok(allowed(stored), "no cycle, no path over the limit");
          assert.ok([...stored.keys()].every((n) => height(stored, n) <= limit));
          if (variant !== "adjacency") assert.deepEqual(await derivedPaths(), modelPaths(stored), `the ${variant} after ${JSON.stringify(commands)}`);
        }),
      ),
      RUNS,
    );
  });

  test("a chain one row deeper than the limit is refused, by insert or by moving a subtree under it", async () => {
    await inRollback(engine, async () => {
      await engine.exec("INSERT INTO nodes (id, parent_id) VALUES (1, NULL), (2, 1), (3, 2), (5, NULL), (6, 5)");
      assert.equal(await attempt(engine, "INSERT INTO nodes (id, parent_id) VALUES (4, 3)"), false, "a fourth level");
      assert.equal(await attempt(engine, "UPDATE nodes SET parent_id = 1 WHERE id = 5"), true, "5 and 6 under 1: three levels");
      assert.equal(await attempt(engine, "UPDATE nodes SET parent_id = 2 WHERE id = 5"), false, "5 and 6 under 2: four levels");
    });
  });

  test("two rows swapped into each other's parent is refused on the second move", async () => {
    await inRollback(engine, async () => {
      await engine.exec("INSERT INTO nodes (id) VALUES (1), (2)");
      assert.ok(await attempt(engine, "UPDATE nodes SET parent_id = 2 WHERE id = 1"));
      assert.equal(await attempt(engine, "UPDATE nodes SET parent_id = 1 WHERE id = 2"), false);
    });
  });
});
}

describe("money: a valid currency with every amount, no overlapping rates per pair", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE invoices (id integer PRIMARY KEY);",
      "money",
      { schema: "public", table: "invoices", key: [{ name: "id", type: "integer" }], columns: { id: "integer" } },
      {},
    );
  });
  after(() => engine.close());

  test("an amount is stored exactly when it has a currency of three upper-case letters (and a currency only with an amount)", async () => {
    const amount = fc.option(fc.constantFrom("0", "19.99", "-5.0001", "123456789.1234"), { nil: null });
    const currency = fc.option(fc.constantFrom("EUR", "USD", "JPY", "eur", "EU", "EURO", "E1R", " EUR", ""), { nil: null });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(amount, currency), { maxLength: 10 }), async (rows) =>
        inRollback(engine, async () => {
          for (const [i, [a, c]] of rows.entries()) {
            const accepted = await attempt(engine, "INSERT INTO invoices (id, amount, currency) VALUES ($1, $2, $3)", [i + 1, a, c]);
            const valid = (a === null && c === null) || (a !== null && c !== null && /^[A-Z]{3}$/.test(c));
            assert.equal(accepted, valid, JSON.stringify([a, c]));
          }
          assert.equal(await count(engine, "SELECT count(*) AS n FROM invoices WHERE amount IS NOT NULL AND currency !~ '^[A-Z]{3}$'"), 0);
        }),
      ),
      RUNS,
    );
  });

  test("a rate is accepted exactly when its period overlaps no other rate of its pair; conversion uses the one valid then", async () => {
    const rate = fc.record({
      pair: fc.constantFrom(["EUR", "USD"], ["USD", "EUR"], ["EUR", "GBP"], ["EUR", "EUR"]),
      start: fc.integer({ min: 0, max: 30 }),
      days: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
      value: fc.constantFrom("1.08", "0.92", "0", "-1"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(rate, { maxLength: 12 }), async (rates) =>
        inRollback(engine, async () => {
          const taken: { pair: string; start: number; end: number; value: string }[] = [];
          for (const r of rates) {
            const end = r.days === null ? Infinity : r.start + r.days;
            const pair = r.pair.join(">");
            const valid = r.pair[0] !== r.pair[1] && Number(r.value) > 0 && !taken.some((t) => t.pair === pair && t.start < end && r.start < t.end);
            const accepted = await attempt(
              engine,
              "INSERT INTO exchange_rates (base_currency, quote_currency, rate, valid_during) VALUES ($1, $2, $3, tstzrange(TIMESTAMPTZ '2026-01-01' + make_interval(days => $4), TIMESTAMPTZ '2026-01-01' + make_interval(days => $5)))",
              [r.pair[0], r.pair[1], r.value, r.start, r.days === null ? null : end],
            );
            assert.equal(accepted, valid, JSON.stringify(r));
            if (accepted) taken.push({ pair, start: r.start, end, value: r.value });
          }
          assert.equal(await count(engine, "SELECT count(*) AS n FROM exchange_rates a JOIN exchange_rates b ON a.id < b.id AND (a.base_currency, a.quote_currency) = (b.base_currency, b.quote_currency) AND a.valid_during && b.valid_during"), 0);
          const day = 5;
          const current = taken.find((t) => t.pair === "EUR>USD" && t.start <= day && day < t.end);
          const converted = await attempt(engine, "SELECT exchange_rates_convert(100, 'EUR', 'USD', TIMESTAMPTZ '2026-01-01' + make_interval(days => $1))", [day]);
          assert.equal(converted, current !== undefined, "conversion fails exactly when no rate is valid");
          if (current) {
            const [row] = await engine.query<{ v: string }>("SELECT exchange_rates_convert(100, 'EUR', 'USD', TIMESTAMPTZ '2026-01-01' + make_interval(days => $1))::numeric(20,2)::text AS v", [day]);
            assert.equal(row!.v, (Number(current.value) * 100).toFixed(2));
          }
        }),
      ),
      RUNS,
    );
  });
});

describe("jsonb-attributes: only objects, hot keys mirrored in their columns", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE products (id integer PRIMARY KEY);",
      "jsonb-attributes",
      { schema: "public", table: "products", key: [{ name: "id", type: "integer" }], columns: { id: "integer" } },
      { keys: "color,size" },
    );
  });
  after(() => engine.close());

  const scalar = fc.oneof(fc.constantFrom("red", "blue", ""), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
  const value = fc.oneof(
    fc.dictionary(fc.constantFrom("color", "size", "tags"), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 3 }),
    fc.array(scalar, { maxLength: 3 }),
    scalar,
  );
  const write = fc.record({ op: fc.constantFrom("insert" as const, "update" as const), id: fc.integer({ min: 1, max: 4 }), value });

  test("a value is stored exactly when it is a JSON object; the key columns always equal the object's ->> values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(write, { maxLength: 12 }), async (writes) =>
        inRollback(engine, async () => {
          const rows = new Set<number>();
          for (const w of writes) {
            const json = JSON.stringify(w.value);
            const isObject = typeof w.value === "object" && w.value !== null && !Array.isArray(w.value);
            if (w.op === "insert") {
              const accepted = await attempt(engine, "INSERT INTO products (id, attributes) VALUES ($1, $2::jsonb)", [w.id, json]);
              assert.equal(accepted, isObject && !rows.has(w.id), `insert ${json}`);
              if (accepted) rows.add(w.id);
            } else {
              const accepted = await attempt(engine, "UPDATE products SET attributes = $2::jsonb WHERE id = $1", [w.id, json]);
              assert.equal(accepted, isObject || !rows.has(w.id), `update to ${json}`);
            }
          }
          assert.equal(await attempt(engine, "INSERT INTO products (id, attributes) VALUES (99, NULL)"), false, "SQL NULL is refused too");
          assert.equal(await count(engine, "SELECT count(*) AS n FROM products WHERE jsonb_typeof(attributes) <> 'object'"), 0);
          assert.equal(await count(engine, "SELECT count(*) AS n FROM products WHERE color IS DISTINCT FROM attributes->>'color' OR size IS DISTINCT FROM attributes->>'size'"), 0);
        }),
      ),
      RUNS,
    );
  });
});

describe("multi-tenant: a session of tenant 1 never sees or writes tenant 2's rows", () => {
  const role = "schemawise_tenant_test_app";
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE projects (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');",
      "multi-tenant",
      { schema: "public", table: "projects", key: [{ name: "id", type: "integer" }], columns: { id: "integer", name: "text" } },
      { role },
    );
  });
  after(() => engine.close());

  const asTenant = (tenant: string) => engine.exec(`SET LOCAL ROLE ${role}; SET LOCAL app.tenant_id = '${tenant}'`);
  const tenantTwo = async () => {
    await engine.exec("RESET ROLE");
    const rows = await engine.query<{ id: number; name: string }>("SELECT id, name FROM projects WHERE tenant_id = 2 ORDER BY id");
    await asTenant("1");
    return rows;
  };

  const id = fc.integer({ min: 1, max: 6 });
  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), id, tenant: fc.constantFrom("1", "2", null) }),
    fc.record({ op: fc.constant("rename" as const), id }),
    fc.record({ op: fc.constant("rename-all" as const) }),
    fc.record({ op: fc.constant("move" as const), id, tenant: fc.constantFrom("1", "2") }),
    fc.record({ op: fc.constant("delete" as const), id }),
    fc.record({ op: fc.constant("delete-all" as const) }),
  );

  test("whatever tenant 1 runs, it sees only its rows, cannot write a row of tenant 2, and tenant 2's rows stay as they were", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 12 }), async (commands) =>
        inRollback(engine, async () => {
          await engine.exec("INSERT INTO projects (id, name, tenant_id) VALUES (1, 'a1', 1), (2, 'b2', 2), (3, 'b3', 2), (4, 'a4', 1)");
          const before = await tenantTwo();
          for (const c of commands) {
            let accepted: boolean;
            if (c.op === "insert") {
              accepted = c.tenant === null
                ? await attempt(engine, "INSERT INTO projects (id, name) VALUES ($1, 'new')", [c.id])
                : await attempt(engine, "INSERT INTO projects (id, name, tenant_id) VALUES ($1, 'new', $2)", [c.id, c.tenant]);
              if (c.tenant === "2") assert.equal(accepted, false, "insert for tenant 2");
            } else if (c.op === "move") {
              accepted = await attempt(engine, "UPDATE projects SET tenant_id = $2 WHERE id = $1", [c.id, c.tenant]);
            } else {
              const sql = { rename: "UPDATE projects SET name = 'renamed' WHERE id = $1", "rename-all": "UPDATE projects SET name = 'renamed'", delete: "DELETE FROM projects WHERE id = $1", "delete-all": "DELETE FROM projects" }[c.op];
              accepted = await attempt(engine, sql, "id" in c ? [c.id] : undefined);
              assert.ok(accepted, `${sql} runs (on tenant 1's rows only)`);
            }
            assert.equal(await count(engine, "SELECT count(*) AS n FROM projects WHERE tenant_id IS DISTINCT FROM 1"), 0, "tenant 1 sees only its rows");
            assert.deepEqual(await tenantTwo(), before, `tenant 2's rows after ${JSON.stringify(c)}`);
          }
        }),
      ),
      RUNS,
    );
  });

  test("a session of the role without app.tenant_id sees nothing and writes nothing; the owner sees every row", async () => {
    await inRollback(engine, async () => {
      await engine.exec("INSERT INTO projects (id, tenant_id) VALUES (1, 1), (2, 2)");
      await engine.exec(`SET LOCAL ROLE ${role}`);
      assert.equal(await count(engine, "SELECT count(*) AS n FROM projects"), 0);
      assert.equal(await attempt(engine, "INSERT INTO projects (id, tenant_id) VALUES (3, 1)"), false);
      await asTenant("2");
      assert.equal(await count(engine, "SELECT count(*) AS n FROM projects"), 1);
      await engine.exec("RESET ROLE");
      assert.equal(await count(engine, "SELECT count(*) AS n FROM projects"), 2);
    });
  });
});

describe("materialized-view: a refresh gives the query's result and never blocks readers", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE items (id integer PRIMARY KEY, category text, region text NOT NULL);",
      "materialized-view",
      { schema: "public", table: "items", key: [{ name: "id", type: "integer" }], columns: { id: "integer", category: "text", region: "text" } },
      { group: "category,region" },
    );
  });
  after(() => engine.close());

  const summary = "SELECT category, region, row_count::int AS n FROM items_summary ORDER BY 1, 2";
  const live = "SELECT category, region, count(*)::int AS n FROM items GROUP BY 1, 2 ORDER BY 1, 2";
  const id = fc.integer({ min: 1, max: 6 });
  const category = fc.option(fc.constantFrom("a", "b"), { nil: null });
  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), id, category, region: fc.constantFrom("eu", "us") }),
    fc.record({ op: fc.constant("recategorise" as const), id, category }),
    fc.record({ op: fc.constant("delete" as const), id }),
    fc.record({ op: fc.constant("refresh" as const) }),
  );

  test("after each concurrent refresh the view equals its query on the data (NULL groups included), and stays unchanged between refreshes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 14 }), async (commands) =>
        inRollback(engine, async () => {
          await engine.exec("SELECT refresh_items_summary()");
          let shown = await engine.query(summary);
          for (const c of commands) {
            if (c.op === "insert") await attempt(engine, "INSERT INTO items VALUES ($1, $2, $3)", [c.id, c.category, c.region]);
            else if (c.op === "recategorise") await attempt(engine, "UPDATE items SET category = $2 WHERE id = $1", [c.id, c.category]);
            else if (c.op === "delete") await attempt(engine, "DELETE FROM items WHERE id = $1", [c.id]);
            else {
              assert.ok(await attempt(engine, "SELECT refresh_items_summary()"));
              shown = await engine.query(live);
            }
            assert.deepEqual(await engine.query(summary), shown);
          }
        }),
      ),
      RUNS,
    );
  });

  test("the refresh holds an EXCLUSIVE lock on the view (SELECT's ACCESS SHARE does not wait for it), where a plain refresh would hold ACCESS EXCLUSIVE", async () => {
    const modes = "SELECT string_agg(mode, ',' ORDER BY mode) AS m FROM pg_locks WHERE relation = 'items_summary'::regclass AND pid = pg_backend_pid()";
    await inRollback(engine, async () => {
      await engine.exec("SELECT refresh_items_summary()");
      const [held] = await engine.query<{ m: string }>(modes);
      assert.ok(held!.m.split(",").includes("ExclusiveLock"), held!.m);
      assert.ok(!held!.m.includes("AccessExclusiveLock"), held!.m);
    });
    await inRollback(engine, async () => {
      await engine.exec("REFRESH MATERIALIZED VIEW items_summary");
      const [held] = await engine.query<{ m: string }>(modes);
      assert.ok(held!.m.includes("AccessExclusiveLock"), "the counter-case: a plain refresh blocks readers");
    });
  });
});

describe("bitemporal: one fact per entity and moment as known at any moment; what was known stays readable", () => {
  let engine: Engine;
  before(async () => {
    engine = await withPattern(
      "CREATE TABLE prices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, product_id integer NOT NULL, amount numeric(12,2) NOT NULL);",
      "bitemporal",
      { schema: "public", table: "prices", key: id },
      { key: "product_id" },
    );
  });
  after(() => engine.close());

  const day = (n: number) => `DATE '2026-01-01' + ${n}`;
  const command = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), product: fc.integer({ min: 1, max: 2 }), start: fc.integer({ min: 0, max: 30 }), days: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }), amount: fc.integer({ min: 1, max: 99 }) }),
    fc.record({ op: fc.constant("correct" as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 99 }) }),
    fc.record({ op: fc.constant("reperiod" as const), pick: fc.nat(), start: fc.integer({ min: 0, max: 30 }), days: fc.integer({ min: 1, max: 10 }) }),
    fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }),
    fc.record({ op: fc.constantFrom("edit-history" as const, "delete-history" as const, "forge-recorded" as const), pick: fc.nat() }),
  );
  type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

  /** Each command in a transaction of its own (autocommit): the transaction time moves on between them. */
  const run = async (sql: string): Promise<boolean> => {
    try {
      await engine.exec(sql);
      return true;
    } catch {
      return false;
    }
  };
  const ids = async (where: string) => (await engine.query<{ id: string }>(`SELECT id::text AS id FROM prices WHERE ${where} ORDER BY id`)).map((r) => r.id);
  // The facts, not the surrogate key: a kept copy gets a new id.
  const knownAt = async (at: string) => JSON.stringify(await engine.query(`SELECT product_id, amount::text, valid_during::text FROM prices_as_known_at('${at}') ORDER BY 1, 2, 3`));

  const apply = async (c: Command): Promise<void> => {
    if (c.op === "insert") {
      await run(`INSERT INTO prices (product_id, amount, valid_during) VALUES (${c.product}, ${c.amount}, tstzrange(${day(c.start)}, ${c.days === null ? "NULL" : `${day(c.start)} + ${c.days}`}))`);
      return;
    }
    const history = c.op === "edit-history" || c.op === "delete-history";
    const rows = await ids(history ? "NOT upper_inf(recorded_during)" : "upper_inf(recorded_during)");
    const row = rows[c.pick % Math.max(rows.length, 1)];
    if (row === undefined) return;
    const before = await engine.query(`SELECT * FROM prices WHERE id = ${row}`);
    const sql = {
      correct: `UPDATE prices SET amount = ${"amount" in c ? c.amount : 0} WHERE id = ${row}`,
      reperiod: `UPDATE prices SET valid_during = tstzrange(${day("start" in c ? c.start : 0)}, ${day("start" in c ? c.start : 0)} + ${"days" in c ? c.days : 1}) WHERE id = ${row}`,
      delete: `DELETE FROM prices WHERE id = ${row}`,
      "edit-history": `UPDATE prices SET amount = amount + 1 WHERE id = ${row}`,
      "delete-history": `DELETE FROM prices WHERE id = ${row}`,
      "forge-recorded": `UPDATE prices SET recorded_during = tstzrange('2000-01-01', NULL) WHERE id = ${row}`,
    }[c.op];
    const accepted = await run(sql);
    if (history || c.op === "forge-recorded") {
      assert.equal(accepted, false, `${sql} must fail`);
      assert.deepEqual(await engine.query(`SELECT * FROM prices WHERE id = ${row}`), before, "the row is unchanged");
    } else if (c.op === "delete") {
      assert.ok(accepted);
      assert.deepEqual(await ids(`id = ${row} AND NOT upper_inf(recorded_during)`), [row], "a deleted row is kept, no longer current");
    } else if (c.op === "correct") {
      assert.ok(accepted);
      const was = (before[0] as { amount: string }).amount;
      const kept = await count(engine, `SELECT count(*) AS n FROM prices p, prices o WHERE o.id = ${row} AND p.id <> o.id AND p.product_id = o.product_id AND p.valid_during = o.valid_during AND upper(p.recorded_during) = lower(o.recorded_during) AND p.amount = $1`, [was]);
      assert.equal(kept, Number(was) === c.amount ? 0 : 1, "the row as it was before a correction is kept (an update that changes nothing keeps nothing)");
    }
  };

  test("after any writes no two facts of a product overlap in both times, history is read-only, and every past state reads back unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 12 }), async (commands) => {
        await engine.exec("TRUNCATE prices");
        const snapshots: { at: string; state: string }[] = [];
        for (const c of commands) {
          await apply(c);
          const overlapping = await count(engine, "SELECT count(*) AS n FROM prices a JOIN prices b ON a.product_id = b.product_id AND a.id < b.id AND a.valid_during && b.valid_during AND a.recorded_during && b.recorded_during");
          assert.equal(overlapping, 0, `overlap after ${JSON.stringify(c)}`);
          const at = (await engine.query<{ at: string }>("SELECT clock_timestamp()::text AS at"))[0]!.at;
          snapshots.push({ at, state: await knownAt(at) });
          for (const s of snapshots) assert.equal(await knownAt(s.at), s.state, `what was known at ${s.at} changed after ${JSON.stringify(c)}`);
        }
        const current = await ids("upper_inf(recorded_during) AND valid_during @> now()");
        assert.deepEqual((await engine.query<{ id: string }>("SELECT id::text AS id FROM prices_current ORDER BY id")).map((r) => r.id), current);
      }),
      RUNS,
    );
  });

  test("a new open-ended version closes the current one at its start, and the version before the close is kept", async () => {
    await engine.exec("TRUNCATE prices");
    assert.ok(await run(`INSERT INTO prices (product_id, amount, valid_during) VALUES (9, 10, tstzrange(${day(0)}, NULL))`));
    assert.ok(await run(`INSERT INTO prices (product_id, amount, valid_during) VALUES (9, 12, tstzrange(${day(5)}, NULL))`));
    const rows = await engine.query<{ amount: string; valid: string; current: boolean }>("SELECT amount::text AS amount, valid_during::text AS valid, upper_inf(recorded_during) AS current FROM prices WHERE product_id = 9 ORDER BY id");
    assert.deepEqual(rows.map((r) => [r.amount, r.current]), [["10.00", true], ["12.00", true], ["10.00", false]]);
    assert.match(rows[0]!.valid, /^\["2026-01-01 [^"]*","2026-01-06 [^"]*"\)$/, "the first version now ends where the second begins");
    assert.match(rows[2]!.valid, /^\["2026-01-01 [^"]*",\)$/, "the kept copy is open-ended, as it was known before");
  });
});
