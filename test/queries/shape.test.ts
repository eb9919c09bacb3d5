import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { SchemaModel } from "../../src/catalog/model.js";
import { queryShape } from "../../src/queries/shape.js";
import type { QueryStatement } from "../../src/queries/types.js";
import { statementAs } from "../../src/sources/ast.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";

/** Only what the shape reader looks at: table names and their columns. */
const MODEL = {
  tables: [
    { schema: "public", name: "orders", columns: [{ name: "id" }, { name: "user_id" }, { name: "status" }, { name: "created_at" }] },
    { schema: "public", name: "users", columns: [{ name: "id" }, { name: "email" }] },
  ],
} as unknown as SchemaModel;

function shapeOf(sql: string) {
  const [statement] = parseFile({ path: "q.sql", text: sql }, 0).statements;
  const ast: QueryStatement | undefined = statementAs(statement, "SelectStmt");
  assert.ok(ast, "a SELECT");
  return queryShape(ast, sql, MODEL);
}

describe("queryShape", () => {
  before(ensureParser);

  test("reads relations, filters, joins and order of a typical query", () => {
    const shape = shapeOf(
      "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status IN ('paid', 'sent') AND o.created_at > $1 ORDER BY o.created_at DESC LIMIT 20",
    );
    assert.deepEqual(shape.relations.map((r) => `${r.alias}:${r.table.name}`), ["o:orders", "u:users"]);
    assert.deepEqual(shape.joins, [{ left: { relation: "u", column: "id" }, right: { relation: "o", column: "user_id" } }]);
    assert.deepEqual(shape.conditions.map((c) => [c.relation, c.column, c.op, c.value.kind]), [
      ["o", "status", "in", "const"],
      ["o", "created_at", "range", "param"],
    ]);
    assert.deepEqual(shape.orderBy, [{ relation: "o", column: "created_at", aggregate: false, descending: true }]);
    assert.deepEqual(shape.limit, { kind: "const", text: "20" });
  });

});
