import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heaviestMeasurement, improves } from "../../src/queries/evaluate.js";
import type { Measurement } from "../../src/queries/types.js";

describe("the advisor decides by work read, never by time", () => {
  test("a query that becomes served is an improvement", () => {
    assert.equal(improves({ served: false, buffers: 40 }, { served: true, buffers: 38 }), true);
  });

  test("halving the buffers read by more than a few pages is an improvement, whatever the times say", () => {
    assert.equal(improves({ served: true, buffers: 400, rowsRead: 5000, ms: 1 }, { served: true, buffers: 120, rowsRead: 800, ms: 3 }), true);
  });

  test("a time that halves while the same pages are read is not (the machine was busier before)", () => {
    assert.equal(improves({ served: true, buffers: 400, rowsRead: 5000, ms: 9 }, { served: true, buffers: 390, rowsRead: 5000, ms: 1 }), false);
  });

  test("a saving of a few pages does not pay for an index", () => {
    assert.equal(improves({ served: true, buffers: 10, rowsRead: 50 }, { served: true, buffers: 4, rowsRead: 10 }), false);
  });

  test("decisions look at the parameter set that does the most work, not the slowest one", () => {
    const m = (ms: number, buffers: number, rowsRead: number) => ({ ms, buffers, rowsRead }) as Measurement;
    assert.equal(heaviestMeasurement([m(9, 10, 10), m(1, 500, 20_000)])!.buffers, 500);
  });
});
