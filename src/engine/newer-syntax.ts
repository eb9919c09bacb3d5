/**
 * SQL that a PostgreSQL major accepts but older majors reject. When the SQL runs on a newer engine
 * than the one the team deploys (PGlite is PostgreSQL 18), these constructs pass the engine and
 * must still be reported. Each entry names the major that introduced it, as its release notes say
 * (https://www.postgresql.org/docs/release/<major>.0/).
 */
import type { Statement } from "../sources/types.js";

export interface NewerConstruct {
  /** The first major that accepts it. */
  since: number;
  what: string;
}

type Node = Record<string, unknown>;

interface Detector {
  since: number;
  what: string;
  /** Called with each node's type and body, e.g. ("FuncCall", {...}). */
  matches(type: string, body: Node): boolean;
}

const calls = (names: string[]) => (type: string, body: Node) => type === "FuncCall" && names.includes(lastName(body["funcname"]));

const MULTIRANGES = ["int4multirange", "int8multirange", "nummultirange", "datemultirange", "tsmultirange", "tstzmultirange"];

const DETECTORS: Detector[] = [
  // PostgreSQL 18
  { since: 18, what: "uuidv7()", matches: calls(["uuidv7"]) },
  { since: 18, what: "casefold()", matches: calls(["casefold"]) },
  { since: 18, what: "a virtual generated column (before 18, GENERATED ALWAYS AS needs STORED)", matches: (t, b) => t === "Constraint" && b["contype"] === "CONSTR_GENERATED" && b["generated_kind"] === "v" },
  { since: 18, what: "WITHOUT OVERLAPS in a key", matches: (t, b) => t === "Constraint" && b["without_overlaps"] === true },
  { since: 18, what: "a NOT ENFORCED constraint", matches: (t, b) => t === "Constraint" && (b["contype"] === "CONSTR_CHECK" || b["contype"] === "CONSTR_FOREIGN") && b["is_enforced"] !== true },
  { since: 18, what: "a named or NOT VALID NOT NULL constraint", matches: (t, b) => t === "Constraint" && b["contype"] === "CONSTR_NOTNULL" && (Array.isArray(b["keys"]) || b["skip_validation"] === true) },
  { since: 18, what: "RETURNING WITH (OLD/NEW AS …)", matches: (t) => t === "ReturningOption" },
  // PostgreSQL 17
  { since: 17, what: "JSON_TABLE", matches: (t) => t === "JsonTable" },
  { since: 17, what: "JSON_QUERY / JSON_VALUE / JSON_EXISTS", matches: (t) => t === "JsonFuncExpr" },
  { since: 17, what: "JSON() / JSON_SCALAR() / JSON_SERIALIZE()", matches: (t) => t === "JsonParseExpr" || t === "JsonScalarExpr" || t === "JsonSerializeExpr" },
  { since: 17, what: "MERGE … RETURNING", matches: (t, b) => t === "MergeStmt" && (b["returningList"] !== undefined || b["returningClause"] !== undefined) },
  { since: 17, what: "ALTER COLUMN … SET EXPRESSION", matches: (t, b) => t === "AlterTableCmd" && b["subtype"] === "AT_SetExpression" },
  { since: 17, what: "random(min, max)", matches: (t, b) => calls(["random"])(t, b) && Array.isArray(b["args"]) && b["args"].length === 2 },
  // PostgreSQL 16
  { since: 16, what: "a subquery in FROM without an alias", matches: (t, b) => t === "RangeSubselect" && b["alias"] === undefined },
  { since: 16, what: "SQL/JSON constructors (JSON_OBJECT, JSON_ARRAY, JSON_OBJECTAGG, JSON_ARRAYAGG)", matches: (t) => ["JsonObjectConstructor", "JsonArrayConstructor", "JsonArrayQueryConstructor", "JsonObjectAgg", "JsonArrayAgg"].includes(t) },
  { since: 16, what: "IS JSON", matches: (t) => t === "JsonIsPredicate" },
  { since: 16, what: "any_value()", matches: calls(["any_value"]) },
  // PostgreSQL 15
  { since: 15, what: "MERGE", matches: (t) => t === "MergeStmt" },
  { since: 15, what: "UNIQUE NULLS NOT DISTINCT", matches: (t, b) => t === "Constraint" && b["nulls_not_distinct"] === true },
  { since: 15, what: "a security_invoker view", matches: (t, b) => t === "ViewStmt" && Array.isArray(b["options"]) && b["options"].some((o) => defName(o) === "security_invoker") },
  // PostgreSQL 14
  { since: 14, what: "CREATE OR REPLACE TRIGGER", matches: (t, b) => t === "CreateTrigStmt" && b["replace"] === true },
  { since: 14, what: "DETACH PARTITION … CONCURRENTLY", matches: (t, b) => t === "PartitionCmd" && b["concurrent"] === true },
  { since: 14, what: "SEARCH / CYCLE in a recursive query", matches: (t) => t === "CTESearchClause" || t === "CTECycleClause" },
  { since: 14, what: "multirange types", matches: (t, b) => t === "TypeName" && MULTIRANGES.includes(lastName(b["names"])) },
  { since: 14, what: "date_bin(), trim_array(), string_to_table() or bit_count()", matches: calls(["date_bin", "trim_array", "string_to_table", "bit_count"]) },
];

/** The constructs in a statement that the target major does not accept, each once. */
export function constructsNewerThan(statement: Statement, target: number): NewerConstruct[] {
  const relevant = DETECTORS.filter((d) => d.since > target);
  if (!statement.ast || relevant.length === 0) return [];
  const found = new Map<string, NewerConstruct>();
  const check = (type: string, body: Node) => {
    for (const detector of relevant) if (!found.has(detector.what) && detector.matches(type, body)) found.set(detector.what, { since: detector.since, what: detector.what });
  };
  // The statement's own node is unwrapped: its type is the statement's kind.
  check(statement.kind, statement.ast as Node);
  visit(statement.ast, check);
  return [...found.values()].sort((a, b) => b.since - a.since);
}

/** Calls back with (type, body) for every `{ Type: body }` node of the AST. */
function visit(node: unknown, onNode: (type: string, body: Node) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, onNode);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      // Type names sit unwrapped under a typeName field (ColumnDef, TypeCast…).
      if (/^[A-Z]/.test(key)) onNode(key, value as Node);
      else if (key === "typeName") onNode("TypeName", value as Node);
    }
    visit(value, onNode);
  }
}

function lastName(names: unknown): string {
  if (!Array.isArray(names) || names.length === 0) return "";
  const last = names[names.length - 1] as { String?: { sval?: string } };
  return (last.String?.sval ?? "").toLowerCase();
}

function defName(option: unknown): string | undefined {
  return (option as { DefElem?: { defname?: string } }).DefElem?.defname;
}
