/**
 * The libpg-query AST is read in one place: src/sources/ast.ts gives a statement's node as its
 * @pgsql/types type (statementAs, nodeAs, walkNodes…), and every other module goes through it.
 * This test fails when a module reads the AST by string keys again: a private walker helper, a
 * node unwrapped by its kind's name, an ad hoc wrapper type, a field read off a statement's
 * untyped `ast`, or a generic walk over its objects.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

const HELPER_MODULE = "src/sources/ast.ts";

/**
 * Modules allowed to break a rule, each with the reason. Keep it short: an entry is a module still
 * to convert, or one whose `Record` is not the AST.
 */
const EXCEPTIONS: Record<string, { rules: RuleName[]; reason: string }> = {
  "src/queries/capability.ts": { rules: ["node by kind name"], reason: "reads EXPLAIN's JSON plan, whose `Alias` key is not the parser's node kind" },
};

type RuleName = "private walker" | "node by kind name" | "wrapper type" | "untyped AST" | "field off a statement's ast" | "generic walk";

/** Every node kind of the parser's AST, from the Node union of @pgsql/types. */
function nodeKinds(): string[] {
  const types = readFileSync("node_modules/@pgsql/types/types.d.ts", "utf8");
  const start = types.indexOf("export type Node =");
  const union = types.slice(start, types.indexOf("};", start) + 2);
  return [...union.matchAll(/\{\s*(\w+): \w+;\s*\}/g)].map((m) => m[1]!);
}

const KINDS = nodeKinds().join("|");

/** Whether the module deals with the parser's AST at all (the rules about generic code apply only there). */
function readsAst(text: string): boolean {
  return /from "libpg-query"|from "@pgsql\/types"|sources\/ast\.js"|from "\.\/ast\.js"|\.ast\b/.test(text);
}

const RULES: { name: RuleName; pattern: RegExp; onlyInAstModules?: boolean }[] = [
  // The copies ast.ts replaced: obj/list/str/names/node walkers of `unknown` values.
  { name: "private walker", pattern: /\bfunction\s+(?:obj|list|str|names|node|record)\s*[(<]|\bconst\s+(?:obj|list|str|names|node)\s*=\s*\(/g, onlyInAstModules: true },
  // `x.SelectStmt`, `x?.ColumnRef`, `x["A_Const"]`: a node unwrapped by its kind's name instead of nodeAs.
  { name: "node by kind name", pattern: new RegExp(`(?:[\\w)\\]](?:\\?\\.|\\.)(?:${KINDS})\\b(?!\\s*\\()|[\\w)\\]]\\s*(?:\\?\\.)?\\[\\s*["'\`](?:${KINDS})["'\`]\\s*\\])`, "g") },
  // `as { ResTarget?: { val: … } }`, `: { String: { sval: string } }[]`: a hand-written shape of a wrapped node.
  { name: "wrapper type", pattern: new RegExp(`(?:\\bas|:)\\s*\\(?\\s*\\{\\s*(?:${KINDS})\\??\\s*:\\s*[{A-Z]`, "g") },
  // Statement.ast is an opaque object (StatementBody): reading a field off it does not compile. AstNode was the
  // Record<string, unknown> it used to be; it and a Record<string, any> node type must not come back.
  { name: "untyped AST", pattern: /\bAstNode\b/g },
  { name: "untyped AST", pattern: /Record<string,\s*any>/g, onlyInAstModules: true },
  // `statement.ast?.relation`, `statement.ast["cmds"]`: statementAs(statement, kind) gives the typed node.
  { name: "field off a statement's ast", pattern: /\.ast\s*(?:\?\.|\.)\s*\[?\s*["'A-Za-z_]|\.ast\s*\[/g },
  // Object.entries/values over nodes: walkNodes/findNodes are the typed walk.
  { name: "generic walk", pattern: /\bObject\.(?:entries|values)\s*\(/g, onlyInAstModules: true },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** "file:line rule: text" for every place a rule is broken, outside the helper module and the exceptions. */
function violations(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    if (file === HELPER_MODULE) continue;
    const astModule = readsAst(text);
    for (const rule of RULES) {
      if ((rule.onlyInAstModules && !astModule) || EXCEPTIONS[file]?.rules.includes(rule.name)) continue;
      for (const match of text.matchAll(rule.pattern)) {
        const line = text.slice(0, match.index).split("\n").length;
        found.push(`${file}:${line} ${rule.name}: ${text.split("\n")[line - 1]!.trim()}`);
      }
    }
  }
  return found;
}

describe("AST access", () => {
  test("no module but src/sources/ast.ts reads the libpg-query AST by string keys", () => {
    const files = new Map(sourceFiles("src").map((file) => [file, readFileSync(file, "utf8")]));
    assert.deepEqual(violations(files), []);
  });

  test("the exceptions name modules that exist and still need them", () => {
    for (const [file, exception] of Object.entries(EXCEPTIONS)) {
      const text = readFileSync(file, "utf8");
      const stillNeeded = exception.rules.filter((name) => RULES.some((rule) => rule.name === name && [...text.matchAll(rule.pattern)].length > 0));
      assert.deepEqual(stillNeeded, exception.rules, `${file}: drop the exception for ${exception.rules.filter((r) => !stillNeeded.includes(r)).join(", ")}`);
    }
  });

  test("each rule catches the string-keyed reading it is meant for, and passes its typed form", () => {
    const uses = "import { nodeAs, statementAs } from \"../sources/ast.js\";\n";
    const caught = (code: string) => violations(new Map([["src/example.ts", uses + code]])).map((v) => v.replace(/^\S+ /, "").split(":")[0]);
    assert.deepEqual(caught("function obj(value: unknown) { return value as object; }"), ["private walker"]);
    assert.deepEqual(caught("const select = node.SelectStmt;"), ["node by kind name"]);
    assert.deepEqual(caught("const value = item?.ResTarget?.val;"), ["node by kind name"]);
    assert.deepEqual(caught('const c = node["A_Const"];'), ["node by kind name"]);
    assert.deepEqual(caught("const fields = (n as { ColumnRef: { fields: unknown[] } }).ColumnRef.fields;"), ["node by kind name", "wrapper type"]);
    assert.deepEqual(caught("let n: AstNode;"), ["untyped AST"]);
    assert.deepEqual(caught("type Node = Record<string, any>;"), ["untyped AST"]);
    assert.deepEqual(caught('const t = rangeVar(statement.ast?.["relation"]);'), ["field off a statement's ast"]);
    assert.deepEqual(caught("const c = statement.ast?.concurrent === true;"), ["field off a statement's ast"]);
    assert.deepEqual(caught("for (const v of Object.values(node)) visit(v);"), ["generic walk"]);
    // The typed forms, and code that only names a kind (a Set of statement kinds, a handler table).
    assert.deepEqual(caught('const select = nodeAs(node, "SelectStmt");'), []);
    assert.deepEqual(caught('const index = statementAs(statement, "IndexStmt")?.concurrent;'), []);
    assert.deepEqual(caught('const KINDS = new Set(["UpdateStmt", "DeleteStmt"]);'), []);
    assert.deepEqual(caught("const HANDLERS = { IndexStmt: createIndex };"), []);
    assert.deepEqual(caught("const sql = expressionSql({ TypeName: argType });"), []);
  });
});
