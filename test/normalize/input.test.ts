import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UserError } from "../../src/engine/types.js";
import { readDelimited, sniffDelimiter } from "../../src/normalize/input/csv.js";
import { relationFromRows } from "../../src/normalize/input/encode.js";
import { inferColumnType } from "../../src/normalize/input/infer-type.js";

const dir = await mkdtemp(join(tmpdir(), "schemawise-csv-"));

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function column(relation: Awaited<ReturnType<typeof readDelimited>>, c: number): (string | null)[] {
  return [...relation.codes[c]!].map((code) => (code === -1 ? null : relation.values[c]![code]!));
}

test("a header row is detected and names the columns; types are inferred per column", async () => {
  const path = await fileWith("orders.csv", "id,customer,amount,placed_on,paid\n1,ann,10.50,2024-01-02,true\n2,bob,3,2024-02-03,false\n3,ann,,2024-03-04,t\n");
  const relation = await readDelimited(path);
  assert.deepEqual(relation.columns, ["id", "customer", "amount", "placed_on", "paid"]);
  assert.equal(relation.rowCount, 3);
  assert.deepEqual(relation.types, ["integer", "text", "numeric", "date", "boolean"]);
  assert.deepEqual(column(relation, 2), ["10.50", "3", null]);
  assert.equal(relation.name, "orders");
  assert.equal(relation.source, path);
});

test("a text-only header is detected when its names never recur as values", async () => {
  const relation = await readDelimited(await fileWith("people.csv", "name,department\nalice,sales\nbob,sales\ncarol,it\n"));
  assert.deepEqual(relation.columns, ["name", "department"]);
  assert.equal(relation.rowCount, 3);
});

test("headerless files get column1..n, whether the first row is numeric or repeats later", async () => {
  const numeric = await readDelimited(await fileWith("iris.csv", "5.1,3.5,Iris-setosa\n4.9,3.0,Iris-setosa\n"));
  assert.deepEqual(numeric.columns, ["column1", "column2", "column3"]);
  assert.equal(numeric.rowCount, 2);
  assert.equal(numeric.hasHeader, false, "the migration's \\copy must not skip a data row");
  const text = await readDelimited(await fileWith("nursery.csv", "usual,proper,complete\nusual,pretentious,complete\nusual,proper,foster\n"));
  assert.deepEqual(text.columns, ["column1", "column2", "column3"]);
  assert.equal(text.rowCount, 3);
  const forced = await readDelimited(await fileWith("forced.csv", "a,b\nc,d\n"), { header: false });
  assert.equal(forced.rowCount, 2);
  const named = await readDelimited(await fileWith("named.csv", "1,2\n3,4\n"), { header: true });
  assert.deepEqual(named.columns, ["1", "2"]);
  assert.equal(named.hasHeader, true);
});

test("quoted fields keep delimiters, quotes and newlines; equal values share a code", async () => {
  const path = await fileWith("quotes.csv", 'k,v\n1,"a, ""quoted"" value"\n2,"two\nlines"\n3,"a, ""quoted"" value"\n');
  const relation = await readDelimited(path);
  assert.deepEqual(column(relation, 1), ['a, "quoted" value', "two\nlines", 'a, "quoted" value']);
  assert.equal(relation.codes[1]![0], relation.codes[1]![2]);
  assert.equal(relation.values[1]!.length, 2);
});

test("empty cells (quoted or not) are NULL; nullValues adds more", async () => {
  const path = await fileWith("nulls.csv", 'a,b\n1,""\n2,\n3,?\n');
  assert.deepEqual(column(await readDelimited(path), 1), [null, null, "?"]);
  assert.deepEqual(column(await readDelimited(path, { nullValues: ["", "?"] }), 1), [null, null, null]);
});

test("tab-separated: .tsv means tab, other files are sniffed", async () => {
  const tsv = await readDelimited(await fileWith("t.tsv", "a\tb\n1,5\t2\n"));
  assert.deepEqual(column(tsv, 0), ["1,5"]);
  const sniffed = await readDelimited(await fileWith("t.txt", "a\tb\n1,5\t2\n3,5\t4\n"));
  assert.deepEqual(sniffed.columns, ["a", "b"]);
  assert.equal(sniffDelimiter("a;b;c\n1;2;3\n4;5;6\n"), ";");
  assert.equal(sniffDelimiter('a,b\n"x;y",2\n'), ",");
});

test("a ragged row and a missing file are user errors with the location", async () => {
  const path = await fileWith("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
  await assert.rejects(readDelimited(path), (error: unknown) => error instanceof UserError && error.message === `${path}:3: row has 2 fields, expected 3 as in the first row`);
  await assert.rejects(readDelimited(join(dir, "missing.csv")), (error: unknown) => error instanceof UserError && /missing\.csv: file not found/.test(error.message));
  const empty = await fileWith("empty.csv", "\n\n");
  await assert.rejects(readDelimited(empty), (error: unknown) => error instanceof UserError && error.message === `${empty}:1: the file has no rows`);
  const unclosed = await fileWith("unclosed.csv", 'a,b\n1,"open\n');
  await assert.rejects(readDelimited(unclosed), (error: unknown) => error instanceof UserError && error.message.startsWith(`${unclosed}:`));
});

test("type inference: leading zeros stay text, wide integers are bigint, mixed dates widen to timestamptz", () => {
  assert.equal(inferColumnType(["00123", "42"]), "text");
  assert.equal(inferColumnType(["1", "9000000000"]), "bigint");
  assert.equal(inferColumnType(["1", "2.5"]), "numeric");
  assert.equal(inferColumnType(["2024-01-01", "2024-01-01 10:00:00+02"]), "timestamptz");
  assert.equal(inferColumnType(["0b0e7c1e-3f0c-4a6e-9d2b-1c2d3e4f5a6b"]), "uuid");
  assert.equal(inferColumnType(['{"a":1}', "[1,2]"]), "jsonb");
  assert.equal(inferColumnType([]), "text");
});

test("relationFromRows encodes rows and rejects a ragged one", () => {
  const relation = relationFromRows("t", ["a", "b"], [["x", null], ["x", "1"]], "public.t");
  assert.deepEqual([...relation.codes[0]!], [0, 0]);
  assert.deepEqual([...relation.codes[1]!], [-1, 0]);
  assert.deepEqual(relation.types, ["text", "integer"]);
  assert.throws(() => relationFromRows("t", ["a", "b"], [["x"]], "public.t"), /row 1 has 1 values for 2 columns/);
});
