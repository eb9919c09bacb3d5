/**
 * Runs `schemawise check` (all rules, default config) over every schema and migration history in
 * ../shared/corpus and writes the findings-per-rule table into docs/corpus-findings.md, between
 * the corpus-table markers. `node --import tsx scripts/corpus-report.ts`
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { CORPUS, CORPUS_ITEMS, EXAMPLE_ITEMS, type CorpusItem } from "./corpus-items.js";
import { check } from "../src/check.js";
import { allRuleMetas } from "../src/checks/registry.js";
import { loadConfig } from "../src/config/load.js";
import { configSchema } from "../src/config/schema.js";

const DOC = "docs/corpus-findings.md";
const ITEMS: CorpusItem[] = [...CORPUS_ITEMS, ...EXAMPLE_ITEMS];

async function main(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.error(`${CORPUS} not found`);
    process.exit(2);
  }
  const counts = new Map<string, Map<string, number>>();
  const summary: string[] = [];
  for (const item of ITEMS) {
    const started = Date.now();
    // A checked folder may carry its own config (examples/antipatterns declares volumes).
    const { config } = await loadConfig(undefined, process.cwd(), item.paths);
    Object.assign(config, configSchema.parse({ ...config, variables: item.variables ?? config.variables, setup: item.setup ?? config.setup }));
    const report = await check({ paths: item.paths, config });
    const byRule = new Map<string, number>();
    for (const finding of report.findings) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
    counts.set(item.name, byRule);
    summary.push(
      `| ${item.name} | ${report.input.description} | ${report.input.statements} | ${report.input.failedStatements} | ${report.skipped.length} | ${report.findings.length} | ${((Date.now() - started) / 1000).toFixed(1)} s |`,
    );
    console.log(`${item.name}: ${report.findings.length} findings`);
  }
  const names = ITEMS.map((i) => i.name);
  const header = `| rule | ${names.map((n) => n.replace("examples/", "ex/")).join(" | ")} |`;
  const rows = allRuleMetas().map((meta) => `| \`${meta.id}\` | ${names.map((n) => counts.get(n)?.get(meta.id) ?? 0).join(" | ")} |`);
  const table = [
    "| input | detected as | statements | failed | skipped | findings | time |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...summary,
    "",
    header,
    `| --- | ${names.map(() => "---:").join(" | ")} |`,
    ...rows,
  ].join("\n");
  const doc = readFileSync(DOC, "utf8");
  const start = "<!-- corpus-table:start -->";
  const end = "<!-- corpus-table:end -->";
  const next = `${doc.slice(0, doc.indexOf(start) + start.length)}\n${table}\n${doc.slice(doc.indexOf(end))}`;
  writeFileSync(DOC, next);
  console.log(`wrote ${DOC}`);
}

await main();
