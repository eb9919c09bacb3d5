/**
 * Helpers for the soft-delete rules: which marker columns really mean "this row is deleted", which
 * key columns identify a row for good (so uniqueness across deleted rows is intended), and which
 * columns reference another table. Pure functions over the model.
 */
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { wordParts } from "./_shared.js";
import { tableNamesFor } from "./_keys.js";

/**
 * Whether a marker column records soft deletion. A boolean flag does. A timestamp does only when
 * it can be NULL and is not filled in on insert: a NOT NULL deleted_at (or one that defaults to
 * now()) is set on every row, so the table is a log of deletions (tombstones), not live rows with
 * some marked deleted.
 */
export function isSoftDeleteMarker(column: Column): boolean {
  if (column.baseTypeName === "bool") return true;
  if (column.notNull) return false;
  return !/^(now\(\)|CURRENT_TIMESTAMP|clock_timestamp\(\)|statement_timestamp\(\)|transaction_timestamp\(\)|LOCALTIMESTAMP)/i.test(column.default ?? "");
}

/** Name parts of secrets and one-time codes: unique for good, whatever happens to the row. */
const TOKEN_WORDS = new Set(["token", "secret", "nonce", "otp"]);
/** Words that may follow a token word and keep it a token: email_change_token_new, api_token_hash. */
const TOKEN_QUALIFIERS = new Set(["current", "new", "old", "next", "previous", "hash", "hashed", "digest"]);
/** A code that is a credential rather than a classification: access_code, invite_code (not plan_code, country_code). */
const CREDENTIAL_CODE_PREFIXES = new Set(["access", "invite", "invitation", "verification", "confirmation", "auth", "authorization", "reset", "recovery", "share", "join", "referral", "activation", "pairing"]);
/**
 * Last name parts of a row's own identifier. Not slug: whether a deleted post's slug may be reused
 * is a product decision, and often the wanted one.
 */
const IDENTIFIER_WORDS = new Set(["id", "uuid", "guid", "ulid"]);

/** Does a foreign key, or (when the schema leaves them undeclared) the name, make the column a reference to another table? */
export function isReference(model: SchemaModel, table: Table, column: Column, declaresForeignKeys: boolean): boolean {
  if (table.constraints.some((c) => c.type === "foreign-key" && c.columns.includes(column.name))) return true;
  if (declaresForeignKeys) return false;
  const parts = wordParts(column.name);
  const last = parts[parts.length - 1];
  if (parts.length < 2 || (last !== "id" && last !== "uuid")) return false;
  const stem = parts.slice(0, -1).join("_");
  const names = new Set(tableNamesFor(stem));
  return model.tables.some((t) => t !== table && names.has(wordParts(t.name).join("_")));
}

/**
 * Why a key column identifies its row for good, so that keeping it unique across deleted rows is the
 * intent (a soft-deleted row must not lend its id or token to a new one), or undefined: a secret or
 * one-time token, a credential code, or the row's own identifier (uuid typed, or named …_id, …_uuid)
 * that references no other table.
 */
export function permanentIdentifier(model: SchemaModel, table: Table, column: Column, declaresForeignKeys: boolean): string | undefined {
  const parts = wordParts(column.name);
  const last = parts[parts.length - 1] ?? "";
  const tokenAt = parts.findIndex((p) => TOKEN_WORDS.has(p));
  if (tokenAt >= 0 && parts.slice(tokenAt + 1).every((p) => TOKEN_QUALIFIERS.has(p) || TOKEN_WORDS.has(p))) return "a token";
  if (last === "code" && parts.length >= 2 && CREDENTIAL_CODE_PREFIXES.has(parts[parts.length - 2]!)) return "a credential code";
  if (isReference(model, table, column, declaresForeignKeys)) return undefined;
  if (column.baseTypeName === "uuid" || IDENTIFIER_WORDS.has(last)) return "an identifier";
  return undefined;
}
