import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { loadModule, parseSync } from "libpg-query";
import { arrayLiteral, expressionSql, psqlLiteral, qualified, quoteIdent, quoteLiteral } from "../../src/sql/text.js";

before(() => loadModule());

test("identifiers are quoted as Postgres's quote_ident quotes them", () => {
  assert.equal(quoteIdent("email"), "email");
  assert.equal(quoteIdent("type"), "type", "unreserved keywords stay bare");
  for (const keyword of ["order", "user", "select", "group", "table"]) assert.equal(quoteIdent(keyword), `"${keyword}"`);
  assert.equal(quoteIdent("userId"), '"userId"');
  assert.equal(quoteIdent('say "hi"'), '"say ""hi"""');
  assert.equal(qualified("public", "order"), '"order"');
  assert.equal(qualified("Auth", "users"), '"Auth".users');
});

test("literals: quotes doubled; arrays quoted for the array parser; psql's :'x' uses E'' for backslashes", () => {
  assert.equal(quoteLiteral("it's"), "'it''s'");
  assert.equal(arrayLiteral(["a,b", 'say "x"', null]), `'{"a,b","say \\"x\\"",NULL}'`);
  assert.equal(psqlLiteral("a\\b"), "E'a\\\\b'");
});

test("an expression is written back whole, a cast JSON path with its parentheses, unqualified on request", () => {
  const where = (sql: string) => (parseSync(`SELECT 1 FROM t WHERE ${sql}`).stmts[0]!.stmt as { SelectStmt: { whereClause: { A_Expr: { lexpr: unknown } } } }).SelectStmt.whereClause.A_Expr.lexpr;
  assert.equal(expressionSql(where("(o.attributes->>'weight')::numeric > 1"), { unqualify: true }), "CAST(attributes ->> 'weight' AS numeric)");
  assert.equal(expressionSql(where('lower(o."order") = $1'), { unqualify: true }), 'lower("order")');
});

/** Every piece of SQL text is quoted through src/sql/text.ts: no local quoting helpers elsewhere. */
test("no module outside src/sql/text.ts quotes identifiers or literals by hand", () => {
  const copies = [/replace\(\/"\/g, '""'\)/, /replace\(\/'\/g, "''"\)/, /function quote(Ident|Literal|Identifier)\b/];
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts") && path !== join("src", "sql", "text.ts")) {
        readFileSync(path, "utf8").split("\n").forEach((line, i) => {
          if (copies.some((pattern) => pattern.test(line))) offenders.push(`${path}:${i + 1}`);
        });
      }
    }
  };
  walk("src");
  assert.deepEqual(offenders, []);
});
