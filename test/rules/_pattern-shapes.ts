import { findPattern } from "../../src/patterns/index.js";

/** The SQL `schemawise pattern <name>` writes for public.orders (key id bigint): the real shapes the rules must accept. */
export function patternSql(name: string, options: Record<string, string> = {}, table = "orders"): string {
  return findPattern(name)!.sql({ schema: "public", table, key: [{ name: "id", type: "bigint" }] }, options);
}
