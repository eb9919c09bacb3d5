// The English locale alone: the package entry loads every locale (~0.5 s at start-up).
import { faker } from "@faker-js/faker/locale/en";

/** Word lists from faker's English definitions, read once and cleaned for the formats they feed. */
const d = faker.definitions;

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (value && typeof value === "object") return Object.values(value).flatMap(list);
  return [];
}

const unique = (values: string[]) => [...new Set(values)];
const lettersOnly = (values: string[]) => unique(values.map((v) => v.toLowerCase()).filter((v) => /^[a-z]+$/.test(v)));
// Postgres scans a text array element by element, so long lists cost per row: keep them short.
const cap = (values: string[], n = 200) => (values.length <= n ? values : values.filter((_, i) => i % Math.ceil(values.length / n) === 0));

export const FIRST_NAMES = cap(unique(list(d.person.first_name)).filter((n) => /^[A-Za-z]+$/.test(n)), 200);
export const LAST_NAMES = cap(unique(list(d.person.last_name)).filter((n) => /^[A-Za-z]+$/.test(n)), 200);
export const NAME_WORDS = lettersOnly([...FIRST_NAMES, ...LAST_NAMES]);
export const CITIES = cap(list(d.location.city_name), 300);
export const COUNTRIES = cap(list(d.location.country), 250);
export const COUNTRY_CODES = unique((d.location.country_code as unknown as { alpha2: string }[]).map((c) => c.alpha2));
export const STATES = list(d.location.state);
export const STREETS = cap(list(d.location.street_name), 300);
export const NOUNS = cap(lettersOnly(list(d.word.noun)), 200);
export const ADJECTIVES = cap(lettersOnly(list(d.word.adjective)), 200);
export const VERBS = cap(lettersOnly(list(d.word.verb)), 300);
export const LOREM = cap(lettersOnly(list(d.lorem.word)), 300);
export const PRODUCT_ADJECTIVES = list((d.commerce.product_name as { adjective: string[] }).adjective);
export const PRODUCT_MATERIALS = list((d.commerce.product_name as { material: string[] }).material);
export const PRODUCTS = list((d.commerce.product_name as { product: string[] }).product);
export const DEPARTMENTS = list(d.commerce.department);
export const COLORS = list(d.color.human);
export const CURRENCIES = unique(list((d.finance.currency as unknown as { code: string }[]).map((c) => c.code))).filter((c) => /^[A-Z]{3}$/.test(c));
export const JOB_TITLES = unique(list(d.person.job_type));
export const COMPANY_SUFFIXES = ["Inc", "LLC", "Group", "Ltd", "and Sons", "Partners"];
export const DOMAINS = ["example.com", "example.org", "example.net", "mail.test", "inbox.test"];
export const TIME_ZONES = cap(list(d.location.time_zone), 200);
export const SIZES = ["XS", "S", "M", "L", "XL", "XXL"];
export const LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "ja", "zh", "pl"];
export const LABELS = ["Home", "Work", "Other", "Billing", "Shipping"];
export const COMMON_CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK", "PLN", "BRL", "INR", "MXN"];

/**
 * Lorem sentences made once with a fixed generator: picking whole sentences costs one array
 * lookup per row, where assembling words per row costs one per word.
 */
export const SENTENCES = makeSentences(300);

/** Short sentences (at most 63 bytes, so they are looked up directly; see Random.pick). */
function makeSentences(count: number): string[] {
  let state = 0x9e3779b9;
  const next = (n: number) => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % n;
  const out: string[] = [];
  while (out.length < count) {
    const words = Array.from({ length: 4 + next(6) }, () => LOREM[next(LOREM.length)]!);
    const text = words.join(" ");
    const sentence = `${text[0]!.toUpperCase()}${text.slice(1)}.`;
    if (sentence.length <= 63) out.push(sentence);
  }
  return out;
}
