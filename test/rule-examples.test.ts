/**
 * The bad and good examples that `schemawise explain` prints (and docs/rules/*.md shows) are run
 * here: every rule must fire on its bad example and stay silent on its good one. Users copy these,
 * so an example that does not run, or a "good" one the rule reports, is a bug in the example.
 *
 * Context an example needs is written in the example itself:
 * - design and input rules: the example is a whole schema (it creates what it references);
 *   `-- config: <yaml>` lines give what the config file would (volumes, writeHeavy), and
 *   `-- schemawise check … --pg-version N` the target major; an example that runs ANALYZE shows
 *   data on a live database (--url) and is read back from one, with its statistics;
 * - workload rules: the example is a workload file; its `-- schema: <sql>` lines are the schema it
 *   runs against (the capability check of `schemawise queries`, without generated data);
 * - migration rules: the example is a migration run against EXAMPLE_DATABASE below, the database
 *   every migration example is written against (it cannot be part of the example: a table the
 *   migration creates itself is new, and new tables have no hazards). Lines such as
 *   `-- next migration`, `-- migration 2` or `-- release 2` start another migration file, run
 *   after the earlier ones; a migration whose comments say it runs outside a transaction block
 *   (or that the runner opens no transaction) runs statement by statement. A
 *   `-- schemawise-ignore <rule>: <why>` line suppresses the statement below it, as in a run.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { allRuleMetas, rulesOfStage } from "../src/checks/registry.js";
import type { RuleStage } from "../src/checks/types.js";
import { EXAMPLE_RUNNERS, EXCEPTIONS, expectation, judge, SERVER_LACKS, serverLacksSeen, type ExampleRunner } from "./helpers/rule-examples.js";

function examplesOf(meta: { id: string; badExample: string; goodExample: string }, run: ExampleRunner) {
  describe(meta.id, () => {
    for (const which of ["bad", "good"] as const) {
      test(`${which} example`, async () => {
        const sql = which === "bad" ? meta.badExample : meta.goodExample;
        let found: string[];
        try {
          found = await run(meta.id, sql);
        } catch (error) {
          if (expectation(meta.id, which)) return; // still cannot run: the exception still holds
          throw error;
        }
        judge(meta.id, which, found);
      });
    }
  });
}

/** The stages in the order their rules are listed. */
const STAGES: RuleStage[] = ["design", "input", "workload", "migration"];

for (const stage of STAGES) {
  describe(`${stage} rules`, () => {
    for (const rule of rulesOfStage(stage)) examplesOf(rule.meta, EXAMPLE_RUNNERS[stage]);
  });
}

test("every statement listed as one the test server cannot run is still rejected", () => {
  assert.deepEqual([...serverLacksSeen].sort(), Object.keys(SERVER_LACKS).sort(), "remove the entries no example needs");
});

test("every exception names an example of a rule", () => {
  const ids = new Set(allRuleMetas().map((meta) => meta.id));
  const unknown = Object.keys(EXCEPTIONS).filter((key) => !ids.has(key.replace(/ (bad|good)$/, "")));
  assert.deepEqual(unknown, [], "exceptions for rules that do not exist");
});

test("this file runs the examples of every rule `schemawise explain` knows", () => {
  const run = STAGES.flatMap((stage) => rulesOfStage(stage).map((rule) => rule.meta.id));
  assert.deepEqual(run.sort(), allRuleMetas().map((meta) => meta.id).sort());
});
