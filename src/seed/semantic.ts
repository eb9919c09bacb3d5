import type { Random } from "./random.js";
import * as V from "./vocab.js";

/** A text value expression, and whether it is already unique per row (it embeds the row number). */
export interface TextValue {
  sql: string;
  unique: boolean;
}

interface TextRule {
  test: RegExp;
  build: (r: Random, unique: boolean, table: string) => TextValue;
}

const lower = (values: readonly string[]) => values.map((v) => v.toLowerCase());
const EMAIL_FIRST = lower(V.FIRST_NAMES);
const EMAIL_LAST = lower(V.LAST_NAMES);
const PERSON_TABLE = /user|customer|person|people|member|author|employee|contact|account|student|patient|staff|profile|client|driver|owner/;

/** Two or three sentences. */
const paragraph = (r: Random) =>
  `${r.pick("s1", V.SENTENCES)} || ' ' || ${r.pick("s2", V.SENTENCES)} || CASE WHEN ${r.unit("s3?")} < 0.5 THEN ' ' || ${r.pick("s3", V.SENTENCES)} ELSE '' END`;
const fullName = (r: Random) => `${r.pick("first", V.FIRST_NAMES)} || ' ' || ${r.pick("last", V.LAST_NAMES)}`;
const suffix = (r: Random, unique: boolean, separator = "", modulo = 1000) => (unique ? `${separator ? `'${separator}' || ` : ""}${r.row}` : `${separator ? `'${separator}' || ` : ""}${r.below("n", modulo)}`);
const slug = (r: Random, unique: boolean) => `${r.pick("a", V.ADJECTIVES)} || '-' || ${r.pick("b", V.NOUNS)}${unique ? ` || '-' || ${r.row}` : ""}`;
const plain = (sql: string): TextValue => ({ sql, unique: false });

/** Name-based generators, first match wins: the column name says what the value is. */
const TEXT_RULES: TextRule[] = [
  { test: /e_?mail/, build: (r) => ({ sql: `${r.pick("f", EMAIL_FIRST)} || '.' || ${r.pick("l", EMAIL_LAST)} || ${r.row} || '@' || ${r.pick("d", V.DOMAINS)}`, unique: true }) },
  { test: /user_?name|login|handle|nickname/, build: (r) => ({ sql: `${r.pick("f", EMAIL_FIRST)} || '_' || ${r.row}`, unique: true }) },
  { test: /first_?name|given_?name|forename/, build: (r) => plain(r.pick("first", V.FIRST_NAMES)) },
  { test: /last_?name|surname|family_?name/, build: (r) => plain(r.pick("last", V.LAST_NAMES)) },
  { test: /(full|display|recipient|contact|customer|author|person)_?name/, build: (r) => plain(fullName(r)) },
  { test: /company|organi[sz]ation|employer|vendor|supplier|brand/, build: (r) => plain(`${r.pick("last", V.LAST_NAMES)} || ' ' || ${r.pick("s", V.COMPANY_SUFFIXES)}`) },
  { test: /password|pass_hash|secret|token|digest|hash|api_key|salt/, build: (r) => ({ sql: `md5(${r.bits("h")}::text || ${r.row})`, unique: true }) },
  { test: /url|link|website|homepage|href|uri/, build: (r, u) => ({ sql: `'https://' || ${r.pick("d", V.DOMAINS)} || '/' || ${slug(r, u)}`, unique: u }) },
  { test: /domain|host/, build: (r, u) => ({ sql: `${r.pick("n", V.NOUNS)}${u ? ` || ${r.row}` : ""} || '.' || ${r.pick("d", ["com", "org", "net", "io", "dev"])}`, unique: u }) },
  { test: /slug|permalink/, build: (r, u) => ({ sql: slug(r, u), unique: u }) },
  { test: /currency/, build: (r) => plain(r.pick("c", V.COMMON_CURRENCIES)) },
  { test: /country_?code|country_?iso|^iso2?$/, build: (r) => plain(r.pick("c", V.COUNTRY_CODES)) },
  { test: /country|nation/, build: (r) => plain(r.pick("c", V.COUNTRIES)) },
  { test: /city|town|locality|location/, build: (r) => plain(r.pick("c", V.CITIES)) },
  { test: /state|region|province|county/, build: (r) => plain(r.pick("s", V.STATES)) },
  { test: /post_?code|postal|zip/, build: (r) => plain(`lpad(${r.below("z", 100_000)}::text, 5, '0')`) },
  { test: /street|address|line_?1|addr/, build: (r) => plain(`(1 + ${r.below("b", 9999)}) || ' ' || ${r.pick("s", V.STREETS)}`) },
  { test: /sku|barcode|ean|upc|serial|reference|ref_?code|code|number|no$/, build: (r, u) => ({ sql: `upper(left(${r.pick("w", V.NOUNS)}, 3)) || '-' || lpad(${u ? r.row : r.below("n", 1_000_000)}::text, 6, '0')`, unique: u }) },
  { test: /unit|apartment|suite|line_?2/, build: (r) => plain(`'Apt ' || (1 + ${r.below("a", 500)})`) },
  { test: /phone|mobile|tel|fax/, build: (r) => plain(`'+1-' || (200 + ${r.below("a", 800)}) || '-555-' || lpad(${r.below("n", 10_000)}::text, 4, '0')`) },
  { test: /colou?r/, build: (r) => plain(r.pick("c", V.COLORS)) },
  { test: /^size$|_size$/, build: (r) => plain(r.pick("s", V.SIZES)) },
  { test: /lang|locale/, build: (r) => plain(r.pick("l", V.LANGUAGES)) },
  { test: /time_?zone|tz$/, build: (r) => plain(r.pick("t", V.TIME_ZONES)) },
  { test: /ip(_?addr(ess)?)?$/, build: (r) => plain(`'10.' || ${r.below("a", 256)} || '.' || ${r.below("b", 256)} || '.' || ${r.below("c", 256)}`) },
  { test: /job|occupation|position_?title/, build: (r) => plain(`initcap(${r.pick("a", V.ADJECTIVES)}) || ' ' || ${r.pick("j", V.JOB_TITLES)}`) },
  { test: /label|tag/, build: (r, u) => ({ sql: `${r.pick("l", V.LABELS)}${u ? ` || ' ' || ${r.row}` : ""}`, unique: u }) },
  { test: /department|category|genre|section|topic/, build: (r, u) => ({ sql: `${r.pick("d", V.DEPARTMENTS)}${u ? ` || ' ' || ${r.row}` : ` || ' ' || initcap(${r.pick("n", V.NOUNS)})`}`, unique: u }) },
  { test: /status|state$|stage|phase/, build: (r) => plain(r.pick("s", ["active", "pending", "inactive", "archived"])) },
  { test: /kind|type|role|category|tier|plan/, build: (r) => plain(r.pick("k", ["standard", "basic", "premium", "custom"])) },
  { test: /title|headline|subject|caption/, build: (r) => plain(`initcap(${r.pick("a", V.ADJECTIVES)} || ' ' || ${r.pick("n", V.NOUNS)} || ' ' || ${r.pick("v", V.VERBS)} || ' ' || ${r.pick("m", V.NOUNS)})`) },
  { test: /note|comment|message|remark|reason|caption|hint/, build: (r) => plain(r.pick("s", V.SENTENCES)) },
  { test: /description|body|content|text|bio|about|summary|excerpt|detail|abstract/, build: (r) => plain(paragraph(r)) },
];

const PRODUCT_TABLE = /product|item|article|variant|sku|goods|listing|offer/;

export function semanticText(column: string, table: string, r: Random, unique: boolean): TextValue {
  const name = column.toLowerCase().replace(/_snapshot$|_copy$|_cache$/, "");
  if (/(^|_)name$/.test(name) || name === "name") return nameFor(name, table.toLowerCase(), r, unique);
  const rule = TEXT_RULES.find((candidate) => candidate.test.test(name));
  if (rule) return rule.build(r, unique, table);
  return { sql: `${r.pick("a", V.ADJECTIVES)} || ' ' || ${r.pick("n", V.NOUNS)}${unique ? ` || ' ' || ${r.row}` : ""}`, unique };
}

function nameFor(column: string, table: string, r: Random, unique: boolean): TextValue {
  const prefix = column.replace(/_?name$/, "");
  const subject = prefix || table;
  const tail = unique ? ` || ' ' || ${r.row}` : "";
  if (/first|given/.test(subject)) return plain(r.pick("first", V.FIRST_NAMES));
  if (/last|family|sur/.test(subject)) return plain(r.pick("last", V.LAST_NAMES));
  if (PERSON_TABLE.test(subject) || /full|display|recipient/.test(subject)) return { sql: `${fullName(r)}${tail}`, unique };
  if (PRODUCT_TABLE.test(subject)) {
    return { sql: `${r.pick("a", V.PRODUCT_ADJECTIVES)} || ' ' || ${r.pick("m", V.PRODUCT_MATERIALS)} || ' ' || ${r.pick("p", V.PRODUCTS)}${tail}`, unique };
  }
  if (/compan|organi|vendor|supplier|brand/.test(subject)) return { sql: `${r.pick("last", V.LAST_NAMES)} || ' ' || ${r.pick("s", V.COMPANY_SUFFIXES)}${tail}`, unique };
  if (/city|town/.test(subject)) return plain(r.pick("c", V.CITIES));
  if (/countr/.test(subject)) return plain(r.pick("c", V.COUNTRIES));
  return { sql: `initcap(${r.pick("a", V.ADJECTIVES)}) || ' ' || ${r.pick("n", V.NOUNS)}${tail}`, unique };
}

/** Default numeric range by name: what the number most likely counts or measures. */
export function numericRange(column: string): { min: number; max: number; money?: boolean } {
  const name = column.toLowerCase();
  if (/price|amount|cost|total|subtotal|fee|balance|salary|revenue|charge|payment|tax|discount|spent|budget/.test(name)) return { min: 1, max: 1000, money: true };
  if (/quantity|qty/.test(name)) return { min: 1, max: 10 };
  if (/stock|inventory|count|views|likes|clicks|visits/.test(name)) return { min: 0, max: 500 };
  if (/rating|stars/.test(name)) return { min: 1, max: 5 };
  if (/score|percent|pct|ratio|rate/.test(name)) return { min: 0, max: 100 };
  if (/age/.test(name)) return { min: 18, max: 90 };
  if (/year/.test(name)) return { min: 1990, max: 2025 };
  if (/^lat|latitude/.test(name)) return { min: -90, max: 90 };
  if (/^lng|^lon|longitude/.test(name)) return { min: -180, max: 180 };
  if (/depth|level/.test(name)) return { min: 1, max: 5 };
  if (/position|sort|order|rank|priority|sequence|seq|index/.test(name)) return { min: 0, max: 100 };
  if (/weight|height|width|length/.test(name)) return { min: 1, max: 100 };
  if (/version|revision/.test(name)) return { min: 1, max: 10 };
  return { min: 1, max: 1000 };
}

/** Share of true values for a flag, by name. */
export function trueShare(column: string): number {
  const name = column.toLowerCase();
  if (/active|enabled|visible|verified|published|available|valid|confirmed/.test(name)) return 0.85;
  if (/deleted|archived|banned|blocked|disabled|locked|default|primary|admin/.test(name)) return 0.1;
  return 0.5;
}

/** Share of NULLs by name when nothing is declared: most rows are not deleted, cancelled or archived. */
export function nullShare(column: string): number {
  return /^(deleted|archived|cancelled|canceled|banned|blocked|ended|closed|refunded|suspended|revoked)_(at|on|by)$/.test(column.toLowerCase()) ? 0.85 : 0.1;
}
