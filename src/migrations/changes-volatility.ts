/**
 * How often a default expression is evaluated when ADD COLUMN fills the existing rows: once
 * (stable or immutable, stored in the catalog since PG 11) or per row (volatile, a rewrite).
 */
import { nameList, walkNodes } from "../sources/ast.js";

/** Functions whose result differs per row: a default using one is evaluated for every row. */
const VOLATILE_FUNCTIONS = new Set([
  "random",
  "random_normal",
  "clock_timestamp",
  "timeofday",
  "gen_random_uuid",
  "gen_random_bytes",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "uuidv4",
  "uuidv7",
  "nextval",
  "setval",
  "lastval",
  "currval",
  "txid_current",
  "pg_current_xact_id",
]);

/** Built-in functions known to be stable or immutable (evaluated once for ADD COLUMN). */
const NON_VOLATILE_FUNCTIONS = new Set([
  "now",
  "statement_timestamp",
  "transaction_timestamp",
  "current_setting",
  "lower",
  "upper",
  "btrim",
  "ltrim",
  "rtrim",
  "trim",
  "concat",
  "concat_ws",
  "length",
  "char_length",
  "substring",
  "substr",
  "replace",
  "left",
  "right",
  "split_part",
  "format",
  "md5",
  "encode",
  "decode",
  "to_char",
  "to_date",
  "to_timestamp",
  "to_number",
  "date_trunc",
  "date_part",
  "extract",
  "timezone",
  "make_date",
  "make_time",
  "make_timestamp",
  "make_timestamptz",
  "make_interval",
  "age",
  "abs",
  "round",
  "floor",
  "ceil",
  "ceiling",
  "trunc",
  "power",
  "jsonb_build_object",
  "json_build_object",
  "jsonb_build_array",
  "json_build_array",
  "to_json",
  "to_jsonb",
  "array_fill",
  "current_database",
  "current_schema",
  "pg_backend_pid",
]);

export type Volatility = { kind: "stable" } | { kind: "volatile"; fn: string } | { kind: "unknown"; fn: string };

export function volatility(value: unknown): Volatility {
  let result: Volatility = { kind: "stable" };
  walkNodes(value, (node) => {
    if (result.kind === "volatile") return;
    if (node.kind === "FuncCall") {
      const fn = nameList(node.body.funcname).pop()?.toLowerCase() ?? "?";
      if (VOLATILE_FUNCTIONS.has(fn)) result = { kind: "volatile", fn };
      else if (!NON_VOLATILE_FUNCTIONS.has(fn) && result.kind === "stable") result = { kind: "unknown", fn };
    } else if (node.kind === "SubLink" && result.kind === "stable") result = { kind: "unknown", fn: "a subquery" };
  });
  return result;
}
