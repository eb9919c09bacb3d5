import rule from "../../src/checks/rules/delimited-values.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** SQL that fills `column` of `table` by cycling through `values`, 50 rows each, so pg_stats keeps them all as most common values. */
function rows(table: string, column: string, values: string[]): string {
  const array = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ");
  return `INSERT INTO ${table} (${column}) SELECT (ARRAY[${array}])[1 + i % ${values.length}] FROM generate_series(1, ${values.length * 50}) AS i;\n`;
}

const tags = ["sql,postgres", "postgres", "sql, performance, index", "index,sql", "performance", "postgres,sql"];

ruleTester(rule, {
  valid: [
    {
      name: "prose with commas, JSON arrays, and numbers with separators",
      live: true,
      sql:
        "CREATE TABLE notes (id serial PRIMARY KEY, body text, doc text, amount text);\n" +
        rows("notes", "body", ["Fast, cheap and good", "Ship it, then fix it", "Hello, world and more", "One; two things", "No commas here", "Yes, of course not"]) +
        rows("notes", "doc", ['["a","b"]', '["b","c"]', '{"a":1,"b":2}', '["a"]', '{"x":1,"y":2}', '["c","a"]']) +
        rows("notes", "amount", ["1,000", "12,500", "3,14", "250", "1,250,000.50", "7,5"]) +
        "ANALYZE notes;",
    },
    {
      name: "fixed-arity records are not lists (city,country and lat,lng)",
      live: true,
      sql:
        "CREATE TABLE places (id serial PRIMARY KEY, city varchar(100), position text);\n" +
        rows("places", "city", ["Paris,France", "Lyon,France", "Berlin,Germany", "Munich,Germany", "Rome,Italy", "Milan,Italy"]) +
        rows("places", "position", ["48.85,2.35", "45.76,4.83", "52.52,13.40", "48.13,11.58", "41.90,12.49", "45.46,9.19"]) +
        "ANALYZE places;",
    },
    {
      name: "no statistics without a live database",
      sql: `CREATE TABLE posts (id serial PRIMARY KEY, tags text);\n${rows("posts", "tags", tags)}ANALYZE posts;`,
    },
    {
      name: "options: minValues not reached",
      live: true,
      sql: `CREATE TABLE posts (id serial PRIMARY KEY, tags text);\n${rows("posts", "tags", tags)}ANALYZE posts;`,
      options: { minValues: 10 },
    },
  ],
  invalid: [
    {
      name: "comma-separated tags",
      live: true,
      sql: `CREATE TABLE posts (id serial PRIMARY KEY, title text, tags text);\n${rows("posts", "tags", tags)}ANALYZE posts;`,
      findings: [
        {
          path: "public.posts.tags",
          message: "Column posts.tags holds delimited lists: 4 of its 6 most common values are ','-separated items",
          fixSql: /CREATE TABLE post_tags \(\n {2}post_id integer NOT NULL REFERENCES posts \(id\) ON DELETE CASCADE,\n {2}tag text NOT NULL,[^]*regexp_split_to_table\(btrim\(t\.tags\), '\\s\*,\\s\*'\)/,
        },
      ],
    },
    {
      name: "semicolon-separated emails and pipe-separated codes, no primary key",
      live: true,
      sql:
        "CREATE SCHEMA mail;\nCREATE TABLE mail.messages (recipients varchar(500), flags text);\n" +
        rows("mail.messages", "recipients", ["a@x.io;b@x.io", "b@x.io", "c@y.org;a@x.io;b@x.io", "c@y.org", "a@x.io;c@y.org", "d@z.net;a@x.io"]) +
        rows("mail.messages", "flags", ["SEEN|FLAGGED", "SEEN", "DRAFT|SEEN", "FLAGGED|DRAFT|SEEN", "ANSWERED|SEEN", "SEEN|ANSWERED"]) +
        "ANALYZE mail.messages;",
      findings: [
        { path: "mail.messages.recipients", message: "';'-separated", fixSql: "ALTER TABLE mail.messages ALTER COLUMN recipients TYPE text[] USING regexp_split_to_array" },
        { path: "mail.messages.flags", message: "'|'-separated", fixSql: "'\\s*\\|\\s*'" },
      ],
    },
    {
      name: "options: a lower share",
      live: true,
      sql: `CREATE TABLE posts (id serial PRIMARY KEY, tags text, topics text);\n${rows("posts", "tags", tags)}${rows("posts", "topics", ["a;b", "b;c;a", "a", "b", "c", "d"])}ANALYZE posts;`,
      options: { minShare: 0.3 },
      findings: [{ path: "public.posts.tags" }, { path: "public.posts.topics", message: "2 of its 6 most common values" }],
    },
  ],
});
