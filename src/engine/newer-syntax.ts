/**
 * SQL that a PostgreSQL major accepts but older majors reject. When the SQL runs on a newer engine
 * than the one the team deploys (PGlite is PostgreSQL 18), these constructs pass the engine and
 * must still be reported. Each entry names the major that introduced it, as its release notes say
 * (https://www.postgresql.org/docs/release/<major>.0/).
 */
import { lastName, nodeAs, statementNode, walkNodes, type AnyNode } from "../sources/ast.js";
import type { Statement } from "../sources/types.js";

export interface NewerConstruct {
  /** The first major that accepts it. */
  since: number;
  what: string;
}

interface Detector {
  since: number;
  what: string;
  /** Called with each node of the statement, e.g. { kind: "FuncCall", body: {...} }. */
  matches(node: AnyNode): boolean;
}

const calls = (names: string[]) => (n: AnyNode) => n.kind === "FuncCall" && names.includes(lastName(n.body.funcname).toLowerCase());

const MULTIRANGES = ["int4multirange", "int8multirange", "nummultirange", "datemultirange", "tsmultirange", "tstzmultirange"];

const DETECTORS: Detector[] = [
  // PostgreSQL 18
  { since: 18, what: "uuidv7()", matches: calls(["uuidv7"]) },
  { since: 18, what: "casefold()", matches: calls(["casefold"]) },
  { since: 18, what: "a virtual generated column (before 18, GENERATED ALWAYS AS needs STORED)", matches: (n) => n.kind === "Constraint" && n.body.contype === "CONSTR_GENERATED" && n.body.generated_kind === "v" },
  { since: 18, what: "WITHOUT OVERLAPS in a key", matches: (n) => n.kind === "Constraint" && n.body.without_overlaps === true },
  { since: 18, what: "a NOT ENFORCED constraint", matches: (n) => n.kind === "Constraint" && (n.body.contype === "CONSTR_CHECK" || n.body.contype === "CONSTR_FOREIGN") && n.body.is_enforced !== true },
  { since: 18, what: "a named or NOT VALID NOT NULL constraint", matches: (n) => n.kind === "Constraint" && n.body.contype === "CONSTR_NOTNULL" && (Array.isArray(n.body.keys) || n.body.skip_validation === true) },
  { since: 18, what: "RETURNING WITH (OLD/NEW AS …)", matches: (n) => n.kind === "ReturningOption" },
  // PostgreSQL 17
  { since: 17, what: "JSON_TABLE", matches: (n) => n.kind === "JsonTable" },
  { since: 17, what: "JSON_QUERY / JSON_VALUE / JSON_EXISTS", matches: (n) => n.kind === "JsonFuncExpr" },
  { since: 17, what: "JSON() / JSON_SCALAR() / JSON_SERIALIZE()", matches: (n) => n.kind === "JsonParseExpr" || n.kind === "JsonScalarExpr" || n.kind === "JsonSerializeExpr" },
  { since: 17, what: "MERGE … RETURNING", matches: (n) => n.kind === "MergeStmt" && n.body.returningClause !== undefined },
  { since: 17, what: "ALTER COLUMN … SET EXPRESSION", matches: (n) => n.kind === "AlterTableCmd" && n.body.subtype === "AT_SetExpression" },
  { since: 17, what: "random(min, max)", matches: (n) => calls(["random"])(n) && n.kind === "FuncCall" && n.body.args?.length === 2 },
  // PostgreSQL 16
  { since: 16, what: "a subquery in FROM without an alias", matches: (n) => n.kind === "RangeSubselect" && n.body.alias === undefined },
  { since: 16, what: "SQL/JSON constructors (JSON_OBJECT, JSON_ARRAY, JSON_OBJECTAGG, JSON_ARRAYAGG)", matches: (n) => ["JsonObjectConstructor", "JsonArrayConstructor", "JsonArrayQueryConstructor", "JsonObjectAgg", "JsonArrayAgg"].includes(n.kind) },
  { since: 16, what: "IS JSON", matches: (n) => n.kind === "JsonIsPredicate" },
  { since: 16, what: "any_value()", matches: calls(["any_value"]) },
  // PostgreSQL 15
  { since: 15, what: "MERGE", matches: (n) => n.kind === "MergeStmt" },
  { since: 15, what: "UNIQUE NULLS NOT DISTINCT", matches: (n) => n.kind === "Constraint" && n.body.nulls_not_distinct === true },
  { since: 15, what: "a security_invoker view", matches: (n) => n.kind === "ViewStmt" && (n.body.options ?? []).some((o) => nodeAs(o, "DefElem")?.defname === "security_invoker") },
  // PostgreSQL 14
  { since: 14, what: "CREATE OR REPLACE TRIGGER", matches: (n) => n.kind === "CreateTrigStmt" && n.body.replace === true },
  { since: 14, what: "DETACH PARTITION … CONCURRENTLY", matches: (n) => n.kind === "PartitionCmd" && n.body.concurrent === true },
  { since: 14, what: "SEARCH / CYCLE in a recursive query", matches: (n) => n.kind === "CTESearchClause" || n.kind === "CTECycleClause" },
  { since: 14, what: "multirange types", matches: (n) => n.kind === "TypeName" && MULTIRANGES.includes(lastName(n.body.names).toLowerCase()) },
  { since: 14, what: "date_bin(), trim_array(), string_to_table() or bit_count()", matches: calls(["date_bin", "trim_array", "string_to_table", "bit_count"]) },
];

/** The constructs in a statement that the target major does not accept, each once. */
export function constructsNewerThan(statement: Statement, target: number): NewerConstruct[] {
  const relevant = DETECTORS.filter((d) => d.since > target);
  const own = statementNode(statement);
  if (!own || relevant.length === 0) return [];
  const found = new Map<string, NewerConstruct>();
  const check = (node: AnyNode) => {
    for (const detector of relevant) if (!found.has(detector.what) && detector.matches(node)) found.set(detector.what, { since: detector.since, what: detector.what });
  };
  check(own);
  walkNodes(statement.ast, check);
  return [...found.values()].sort((a, b) => b.since - a.since);
}
