import type { Relation } from "../types.js";
import { inferColumnType } from "./infer-type.js";

/** Dictionary-encodes one column as values arrive: equal strings get one code, NULL is -1. */
class ColumnEncoder {
  private readonly dictionary = new Map<string, number>();
  readonly values: string[] = [];
  private codes = new Int32Array(1024);
  length = 0;

  push(value: string | null): void {
    if (this.length === this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.length++] = value === null ? -1 : this.codeOf(value);
  }

  private codeOf(value: string): number {
    let code = this.dictionary.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.dictionary.set(value, code);
      this.values.push(value);
    }
    return code;
  }

  finish(): Int32Array {
    return this.codes.slice(0, this.length);
  }
}

/** Builds a Relation row by row without keeping the rows. */
export class RelationBuilder {
  private readonly encoders: ColumnEncoder[];
  private rows = 0;

  constructor(private readonly columns: string[]) {
    this.encoders = columns.map(() => new ColumnEncoder());
  }

  /** `row` must have one cell per column. */
  add(row: readonly (string | null)[]): void {
    for (let c = 0; c < this.encoders.length; c++) this.encoders[c]!.push(row[c] ?? null);
    this.rows++;
  }

  build(name: string, source: string): Relation {
    return {
      name,
      columns: [...this.columns],
      rowCount: this.rows,
      codes: this.encoders.map((e) => e.finish()),
      values: this.encoders.map((e) => e.values),
      types: this.encoders.map((e) => inferColumnType(e.values)),
      source,
    };
  }
}

/** A Relation from rows already in memory (a live table, a test). NULL cells are `null`. */
export function relationFromRows(name: string, columns: string[], rows: readonly (readonly (string | null)[])[], source: string): Relation {
  const builder = new RelationBuilder(columns);
  rows.forEach((row, index) => {
    if (row.length !== columns.length) {
      throw new RangeError(`${source}: row ${index + 1} has ${row.length} values for ${columns.length} columns`);
    }
    builder.add(row);
  });
  return builder.build(name, source);
}
