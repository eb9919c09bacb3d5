import { literal, num, textArray } from "./sql.js";

const INT64_MASK = (1n << 63n) - 1n;
const MASK_52 = "4503599627370495";
const TWO_52 = "4503599627370496.0";

/** FNV-1a: a stable 32-bit number for a label, so each column and purpose gets its own stream. */
function labelHash(label: string): bigint {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return BigInt(h);
}

/**
 * Deterministic per-row randomness as SQL: every value is a hash of the row number and a salt
 * derived from the seed and a label, so the same seed gives the same rows in any engine.
 */
export class Random {
  constructor(
    readonly seed: number,
    /** SQL expression of the row number. */
    readonly row: string,
    readonly scope: string,
  ) {}

  /** Another independent stream over the same rows. */
  child(label: string): Random {
    return new Random(this.seed, this.row, `${this.scope}/${label}`);
  }

  /** The same stream over other row numbers (e.g. a few distinct values reused by many rows). */
  over(row: string): Random {
    return new Random(this.seed, row, this.scope);
  }

  salt(label: string): string {
    const mixed = ((BigInt(Math.trunc(this.seed)) * 0x9e3779b1n) ^ (labelHash(`${this.scope}/${label}`) << 20n) ^ labelHash(label)) & INT64_MASK;
    return mixed.toString();
  }

  /** A non-negative int8. */
  bits(label: string): string {
    return `(hashint8extended(${this.row}, ${this.salt(label)}) & 9223372036854775807)`;
  }

  /** Uniform float8 in [0, 1). */
  unit(label: string): string {
    return `((hashint8extended(${this.row}, ${this.salt(label)}) & ${MASK_52})::float8 / ${TWO_52})`;
  }

  /** Uniform integer in [0, n). */
  below(label: string, n: number | string): string {
    return `(${this.bits(label)} % ${n})`;
  }

  /** Uniform integer in [low, high]. */
  between(label: string, low: number, high: number): string {
    if (high <= low) return num(low);
    return `(${num(low)} + ${this.below(label, num(high - low + 1))})`;
  }

  /**
   * One element of a vocabulary. Postgres walks a text[] element by element to reach index i;
   * a name[] has fixed-width elements (up to 63 bytes), so short words are looked up directly.
   */
  pick(label: string, values: readonly string[]): string {
    const short = values.every((v) => Buffer.byteLength(v) <= 63);
    const array = short ? `${textArray(values)}::name[]` : textArray(values);
    if (values.length === 1) return literal(values[0]!);
    return `(${array})[1 + ${this.below(label, values.length)}]${short ? "::text" : ""}`;
  }

  /**
   * An index in [0, n) with a Zipf-like skew (continuous power law, inverse CDF): rank 1 is the
   * most frequent. Ranks are scattered over the range so popular items are not all at the start.
   */
  zipf(label: string, n: number, exponent: number): string {
    const u = this.unit(label);
    const rank =
      Math.abs(exponent - 1) < 1e-9
        ? `floor(power(${num(n + 1)}::float8, ${u}))`
        : `floor(power(${num(Math.pow(n + 1, 1 - exponent) - 1)} * ${u} + 1, ${num(1 / (1 - exponent))}))`;
    return `((least(${n - 1}, greatest(0, ${rank}::int8 - 1)) * ${coprimeMultiplier(n)} + ${num(Number(BigInt(this.salt(label)) % BigInt(Math.max(1, n))))}) % ${n})`;
  }
}

/** A multiplier coprime with n: multiplying by it modulo n permutes 0..n-1. */
export function coprimeMultiplier(n: number): number {
  for (const prime of [1_000_003, 999_983, 7_919, 104_729, 15_485_863]) if (n % prime !== 0) return prime;
  return 1;
}
