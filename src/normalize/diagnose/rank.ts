/**
 * Ranks dependencies and keys so that the ones that describe the domain drive the design and the
 * accidental ones (true of this data by chance) do not. After Papenbrock & Naumann, "Data-driven
 * Schema Normalization" (EDBT 2017): short determinants whose values repeat, without NULLs, with
 * short values, next to what they determine and named like keys describe entities; long, unique
 * or free-text determinants are usually coincidence.
 */
import type { ColumnProfile, GroupStats } from "../profile.js";

export interface Score {
  /** 0 (surely accidental) to 1 (surely meaningful). */
  value: number;
  /** One short phrase per feature, saying how it counted. */
  reasons: string[];
}

/** Names of columns that identify something: id, *_id, code, *_code, *_no, *_number, *_key, sku, *_ref. */
const KEY_LIKE = /(^|_)(id|code|no|num|number|key|sku|ref|uuid)$/i;
/** Long text values are descriptions, not identifiers. */
const SHORT_VALUE = 16;
const FREE_TEXT = 40;

export function isKeyLikeName(name: string): boolean {
  return KEY_LIKE.test(name) || /[a-z0-9]Id$/.test(name);
}

interface Feature {
  weight: number;
  value: number;
  reason: string;
}

function combine(features: Feature[], penalty?: { factor: number; reason: string }): Score {
  const total = features.reduce((sum, f) => sum + f.weight, 0);
  let value = features.reduce((sum, f) => sum + f.weight * f.value, 0) / total;
  const reasons = features.map((f) => `${f.reason} (${f.value.toFixed(2)})`);
  if (penalty) {
    value *= penalty.factor;
    reasons.push(`${penalty.reason} (x${penalty.factor})`);
  }
  return { value: Math.round(value * 100) / 100, reasons };
}

function lengthFeature(size: number): Feature {
  return { weight: 0.2, value: 1 / size, reason: size === 1 ? "one-column determinant" : `${size}-column determinant` };
}

function valueLengthFeature(profiles: ColumnProfile[], columns: number[]): Feature {
  const average = columns.reduce((sum, c) => sum + profiles[c]!.averageLength, 0) / columns.length;
  const value = average <= SHORT_VALUE ? 1 : Math.max(0, SHORT_VALUE / average);
  const kind = average > FREE_TEXT ? "long free-text values" : average <= SHORT_VALUE ? "short values" : "longish values";
  return { weight: 0.15, value, reason: `${kind} (${average.toFixed(0)} character${average.toFixed(0) === "1" ? "" : "s"} on average)` };
}

function nameFeature(profiles: ColumnProfile[], columns: number[]): Feature {
  const keyLike = columns.filter((c) => isKeyLikeName(profiles[c]!.name));
  const value = keyLike.length === columns.length ? 1 : keyLike.length > 0 ? 0.75 : 0.4;
  return { weight: 0.2, value, reason: keyLike.length ? `named like a key (${keyLike.map((c) => profiles[c]!.name).join(", ")})` : "not named like a key" };
}

/** 1 when the columns sit side by side in the header, less the more other columns lie between them. */
function adjacencyFeature(columns: number[]): Feature {
  const span = Math.max(...columns) - Math.min(...columns) + 1;
  const value = columns.length / span;
  return { weight: 0.15, value, reason: value === 1 ? "adjacent in the header" : `${span - columns.length} other column(s) between them in the header` };
}

/**
 * Scores a determinant X for a dependency X → Y: how likely X names an entity of its own whose
 * attributes Y are stored redundantly here.
 */
export function scoreDeterminant(profiles: ColumnProfile[], lhs: number[], rhs: number[], stats: GroupStats, adjacentAtBest = false): Score {
  const repetition = stats.rows === 0 ? 0 : 1 - stats.distinct / stats.rows;
  const features: Feature[] = [
    lengthFeature(lhs.length),
    {
      weight: 0.3,
      value: repetition,
      reason: repetition === 0 ? "values never repeat" : `values repeat (${stats.distinct} distinct in ${stats.rows} rows)`,
    },
    valueLengthFeature(profiles, lhs),
    nameFeature(profiles, lhs),
    adjacentAtBest ? { weight: 0.15, value: 1, reason: "" } : adjacencyFeature([...lhs, ...rhs]),
  ];
  const nulls = lhs.filter((c) => profiles[c]!.nulls > 0);
  return combine(features, nulls.length ? { factor: 0.5, reason: `NULL in ${nulls.map((c) => profiles[c]!.name).join(", ")}, so it cannot be a primary key` } : undefined);
}

/** Scores a candidate key for the primary key: short, key-like names, short values, no NULLs, leftmost. */
export function scoreKey(profiles: ColumnProfile[], key: number[]): Score {
  const features: Feature[] = [
    lengthFeature(key.length),
    valueLengthFeature(profiles, key),
    nameFeature(profiles, key),
    { weight: 0.1, value: 1 / (1 + Math.min(...key)), reason: `starts at column ${Math.min(...key) + 1}` },
  ];
  const nulls = key.filter((c) => profiles[c]!.nulls > 0);
  return combine(features, nulls.length ? { factor: 0.3, reason: `NULL in ${nulls.map((c) => profiles[c]!.name).join(", ")}` } : undefined);
}

/**
 * The highest score `scoreDeterminant` can give lhs, whatever its right-hand side and however its
 * values repeat: from the column profiles alone, without a pass over the rows. Ranking goes through
 * determinants by this bound and measures only those that can still make the top.
 */
export function determinantUpperBound(profiles: ColumnProfile[], lhs: number[]): number {
  const best: GroupStats = { rows: 1, distinct: 0, rowsInRepeatedGroups: 1, largestGroup: 1, largestGroupRows: [] };
  return scoreDeterminant(profiles, lhs, [], best, true).value;
}
