/**
 * Runs one rule module over real input, to read its findings as a reviewer would:
 *   node --import tsx scripts/try-rule.ts src/checks/rules/<id>.ts <paths...> [--var k=v] [--setup sql]
 * Works before the rule is registered. Prints one line per finding.
 */
import { pathToFileURL } from "node:url";
import { loadSchema } from "../src/pipeline/load.js";
import { filterFindings, resolveRuleSettings, runRules } from "../src/checks/run.js";
import type { Rule } from "../src/checks/types.js";
import { configSchema } from "../src/config/schema.js";

const [rulePath, ...rest] = process.argv.slice(2);
if (!rulePath || rest.length === 0) {
  console.error("usage: scripts/try-rule.ts <rule module> <paths...> [--var k=v] [--setup sql]");
  process.exit(2);
}
const paths: string[] = [];
const variables: Record<string, string> = {};
const setup: string[] = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === "--var") {
    const [k, v] = rest[++i]!.split("=");
    variables[k!] = v!;
  } else if (rest[i] === "--setup") setup.push(rest[++i]!);
  else paths.push(rest[i]!);
}
const rule = ((await import(pathToFileURL(rulePath).href)) as { default: Rule }).default;
const config = configSchema.parse({ variables, setup });
const loaded = await loadSchema({ paths }, config);
const settings = resolveRuleSettings(config, [rule]);
const { findings } = filterFindings(runRules(loaded.model, settings), loaded.sources.statements, config, undefined);
for (const f of findings) {
  const where = f.location ? `${f.location.file}:${f.location.line}` : f.object.path;
  console.log(`${f.severity} ${f.object.path} (${where}): ${f.message}`);
}
console.log(`${findings.length} finding(s) from ${rule.meta.id} on ${loaded.model.tables.length} tables`);
