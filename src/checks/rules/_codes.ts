/** Code columns (status, state, type, kind, role): what their names say, and the names that mean something else. Pure functions over the model. */
import type { Column, Table } from "../../catalog/model.js";
import type { Dialect } from "../conventions/types.js";
import { wordParts } from "./_shared.js";
import { snakeName } from "./_types.js";

/** Words that make a column a code drawn from a short list of values, alone or as the last word of its name. */
export const STATUS_WORDS = ["status", "state", "type", "kind", "role"] as const;

/**
 * Words before the status word that give it another meaning, where the values are an open
 * vocabulary rather than a fixed list: the OAuth/OIDC/SAML `state`, `session_state` and
 * `RelayState` parameters are opaque strings, MIME types come from an external registry, and an
 * OAuth `token_type` is whatever the authorization server returns (an extensible registry).
 */
const OPEN_VOCABULARY: Record<string, string[]> = {
  state: ["session", "relay", "oauth", "csrf"],
  // provider: the name of an external identity provider; attestation: a WebAuthn attestation
  // format (an IANA registry); job: the handler name a background-job queue dispatches on;
  // key: a key algorithm named by a crypto standard or a signing provider (RSA, EC, OKP…);
  // device: what a client or authenticator library reports about the device it runs on.
  type: ["content", "mime", "media", "token", "provider", "attestation", "job", "key", "device"],
};

/**
 * Words of a table name that make it a log: the type or kind of an entry there names what happened,
 * a set that grows with every feature and keeps old values in old rows, so teams keep it open.
 */
const LOG_WORDS = new Set(["log", "logs", "audit", "audits", "journal", "changelog"]);

/** Column words that make a table hold postal addresses, where `state` is a region, not a lifecycle. */
const ADDRESS_WORDS = new Set(["city", "country", "zip", "zipcode", "postal", "postcode", "street", "county"]);

/** The configured word the column name is, or ends with after an underscore; undefined when none. */
export function statusWord(column: Column, names: string[]): string | undefined {
  const snake = snakeName(column.name);
  return names.map((n) => snakeName(n)).find((n) => n.length > 0 && (snake === n || snake.endsWith(`_${n}`)));
}

/** Why a matching name is not a status code after all, or null. */
export function otherMeaning(table: Table, column: Column, word: string, dialect: Dialect): string | null {
  const snake = snakeName(column.name);
  // Rails reserves a `type` column for single-table inheritance: it holds class names, and Active Record refuses unknown ones.
  if (column.name === "type" && (dialect === "rails" || dialect === "gitlab")) return "single-table inheritance";
  const prefix = snake === word ? "" : snake.slice(0, -word.length - 1);
  const prefixParts = prefix ? prefix.split("_") : [];
  if (prefixParts.some((part) => OPEN_VOCABULARY[word]?.includes(part))) return "open vocabulary";
  // <x>_type beside <x>_id: the type half of a polymorphic reference (a class or table name), a design of its own.
  if (word === "type" && prefix && table.columns.some((c) => snakeName(c.name) === `${prefix}_id`)) return "polymorphic reference";
  if (word === "state" && table.columns.some((c) => wordParts(c.name).some((part) => ADDRESS_WORDS.has(part)))) return "postal address";
  if ((word === "type" || word === "kind") && wordParts(table.name).some((part) => LOG_WORDS.has(part))) return "log entry type";
  return null;
}

/** Meanings under which the values are not short codes of the application's own: registries of other systems, free-form regions. */
const OPEN_MEANINGS = new Set(["open vocabulary", "postal address"]);

/** Whether the column holds one of a short list of codes the application defines (a status, a type, a role…). */
export function isClosedCode(table: Table, column: Column, dialect: Dialect): boolean {
  const word = statusWord(column, [...STATUS_WORDS]);
  if (!word) return false;
  const meaning = otherMeaning(table, column, word, dialect);
  return meaning === null || !OPEN_MEANINGS.has(meaning);
}
