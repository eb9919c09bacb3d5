/**
 * Precision of every rule on ../shared/corpus, kept true: `npm run precision`.
 *
 * Runs `schemawise check` (default configuration, migration rules included on histories) on every
 * corpus item, counts findings per rule and item, draws a fixed-seed random sample of up to 12
 * findings per rule, and joins it with the verdicts people wrote in docs/precision/<rule>.json
 * (real or noise, with a one-line reason, judged as that project's engineers would). It rewrites
 * docs/precision.md and lists what needs attention: sampled findings nobody judged yet, and judged
 * findings that vanished (a fix, or a lost real finding that needs a written reason).
 *
 * `npm run precision -- --show <rule>` prints that rule's sampled findings in full, for judging.
 * `npm run precision -- --list <rule,rule> [--items <item,item>]` runs the corpus (or those items)
 * and prints every finding of those rules with its verdict, writing nothing: for working on a rule.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { check } from "../src/check.js";
import { allRuleMetas } from "../src/checks/registry.js";
import type { Finding } from "../src/checks/types.js";
import { loadConfig } from "../src/config/load.js";
import { configSchema } from "../src/config/schema.js";
import { CORPUS, CORPUS_ITEMS } from "./corpus-items.js";

const DOC = "docs/precision.md";
const VERDICTS = "docs/precision";
const SAMPLE_SIZE = 12;
const SEED = "schemawise-precision-1";
/** The last run's findings, for `--show` (not committed). */
const CACHE = ".precision-cache.json";

interface Verdict {
  item: string;
  path: string;
  verdict: "real" | "noise";
  reason: string;
  /** For a finding no longer reported: why (required when it was judged real). */
  gone?: string;
}

interface Found {
  item: string;
  finding: Finding;
  key: string;
}

const keyOf = (item: string, finding: Finding) => `${item}:${finding.fingerprint}`;
const rank = (key: string) => createHash("sha256").update(`${SEED}:${key}`).digest("hex");

async function main(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.error(`${CORPUS} not found: the precision table is measured on the shared corpus`);
    process.exit(2);
  }
  const show = option("--show");
  const list = option("--list")?.split(",");
  const only = option("--items")?.split(",");
  let all: Found[] = [];
  let lines = new Map<string, number>();
  if (show && existsSync(CACHE)) {
    // Judging reads the last run's findings instead of running the corpus again.
    const cached = JSON.parse(readFileSync(CACHE, "utf8")) as { all: Found[]; lines: [string, number][] };
    all = cached.all;
    lines = new Map(cached.lines);
  } else for (const item of CORPUS_ITEMS.filter((i) => !only || only.includes(i.name))) {
    const { config } = await loadConfig(undefined, process.cwd(), item.paths);
    Object.assign(config, configSchema.parse({ ...config, variables: item.variables ?? config.variables, setup: item.setup ?? config.setup }));
    const report = await check({ paths: item.paths, config });
    for (const finding of report.findings) all.push({ item: item.name, finding, key: keyOf(item.name, finding) });
    lines.set(item.name, item.paths.reduce((sum, path) => sum + sqlLines(path), 0));
    process.stderr.write(`${item.name}: ${report.findings.length} findings\n`);
  }
  const verdicts = readVerdicts();
  if (list) {
    for (const found of all.filter((f) => list.includes(f.finding.ruleId))) printFinding(found, verdicts.get(found.key)?.verdict ?? (samplesKeys(all, found) ? "unjudged, sampled" : "unjudged"));
    return;
  }
  if (!show) writeFileSync(CACHE, JSON.stringify({ all, lines: [...lines] }));
  const rules = allRuleMetas().map((meta) => meta.id);
  const byRule = new Map(rules.map((id) => [id, all.filter((f) => f.finding.ruleId === id)]));
  const samples = new Map([...byRule].map(([id, found]) => [id, sampleOf(found)]));

  if (show) {
    for (const sampled of samples.get(show) ?? []) printFinding(sampled, verdicts.get(sampled.key)?.verdict ?? "unjudged");
    return;
  }

  const present = new Set(all.map((f) => f.key));
  const vanished = [...verdicts].filter(([key]) => !present.has(key));
  const unjudged = [...samples.values()].flat().filter((s) => !verdicts.has(s.key));
  writeFileSync(DOC, render({ all, lines, byRule, samples, verdicts, vanished }));
  console.log(`wrote ${DOC}: ${all.length} findings, ${unjudged.length} sampled findings without a verdict, ${vanished.length} judged findings gone`);
  for (const s of unjudged) console.log(`  to judge: ${s.finding.ruleId}  ${s.key}  ${s.finding.object.path}`);
  for (const [key, v] of vanished) if (v.verdict === "real" && !v.gone) console.log(`  real finding gone without a reason: ${v.rule}  ${key}  ${v.path}`);
}

function option(name: string): string | undefined {
  return process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
}

function sampleOf(found: Found[]): Found[] {
  return [...found].sort((a, b) => rank(a.key).localeCompare(rank(b.key))).slice(0, SAMPLE_SIZE);
}

/** Whether the finding would be in its rule's sample on a full run (only meaningful on the whole corpus). */
function samplesKeys(all: Found[], found: Found): boolean {
  return sampleOf(all.filter((f) => f.finding.ruleId === found.finding.ruleId)).some((s) => s.key === found.key);
}

function printFinding(found: Found, verdict: string): void {
  const f = found.finding;
  const where = f.location ? `${f.location.file}:${f.location.line}` : f.object.path;
  const covers = f.members ? `\ncovers ${f.members.length}: ${f.members.slice(0, 12).map((m) => m.path).join(", ")}` : "";
  console.log(`## ${found.key}  [${verdict}]\n${found.item}  ${f.ruleId}  ${f.object.path}  ${where}\n${f.message}\nfix: ${f.fix.description}${covers}\n`);
}

/**
 * An independent second judge (docs/precision-second-judge.json: { "<item>:<fingerprint>": { verdict, reason } }),
 * who judged a stratified sample blind to the verdicts above: agreement, and precision by volume by its verdicts.
 */
function secondJudge(all: Found[], byRule: Map<string, Found[]>, verdicts: Map<string, Verdict & { rule: string }>): string[] {
  const path = "docs/precision-second-judge.json";
  if (!existsSync(path)) return [];
  const second = JSON.parse(readFileSync(path, "utf8")) as Record<string, { verdict: string; reason: string }>;
  const present = new Map(all.map((f) => [f.key, f]));
  const judged = Object.entries(second).filter(([key]) => present.has(key));
  const both = judged.filter(([key]) => verdicts.has(key));
  const agree = both.filter(([key, v]) => verdicts.get(key)!.verdict === v.verdict).length;
  const perRule = new Map<string, { real: number; of: number }>();
  for (const [key, v] of judged) {
    const rule = present.get(key)!.finding.ruleId;
    const entry = perRule.get(rule) ?? { real: 0, of: 0 };
    entry.of++;
    if (v.verdict === "real") entry.real++;
    perRule.set(rule, entry);
  }
  const volume = [...perRule.keys()].reduce((sum, rule) => sum + (byRule.get(rule)?.length ?? 0), 0);
  const weighted = [...perRule].reduce((sum, [rule, e]) => sum + ((byRule.get(rule)?.length ?? 0) * e.real) / e.of, 0);
  const lines = [
    "## Second judge",
    "",
    `An independent reviewer judged ${Object.keys(second).length} sampled findings (two per rule) without seeing the verdicts above; ${judged.length} of them are still reported.`,
    `- Agreement with the verdicts above: ${agree} of ${both.length} (${pct(agree, both.length)}).`,
    `- Precision by volume by the second judge's verdicts (rules it judged, ${volume} findings): ${pct(weighted, volume)}.`,
    "",
    "| rule | findings | second judge: real / judged |",
    "| --- | ---: | ---: |",
    ...[...perRule].sort((a, b) => (byRule.get(b[0])?.length ?? 0) - (byRule.get(a[0])?.length ?? 0)).map(([rule, e]) => `| \`${rule}\` | ${byRule.get(rule)?.length ?? 0} | ${e.real} / ${e.of} |`),
    "",
    "Where the two judges differ:",
    "",
    "| finding | verdict above | its reason | second judge | second judge's reason |",
    "| --- | --- | --- | --- | --- |",
    ...both
      .filter(([key, v]) => verdicts.get(key)!.verdict !== v.verdict)
      .map(([key, v]) => `| \`${present.get(key)!.finding.ruleId}\` ${key} | ${verdicts.get(key)!.verdict} | ${cell(verdicts.get(key)!.reason)} | ${v.verdict} | ${cell(v.reason)} |`),
    "",
  ];
  return lines;
}

/** Text for a markdown table cell. */
const cell = (text: string | undefined) => (text ?? "").replace(/\|/g, "\\|");

function pct(part: number, whole: number): string {
  return whole === 0 ? "n/a" : `${Math.round((100 * part) / whole)} %`;
}

/** Verdicts, one JSON file per rule: { "<item>:<fingerprint>": { item, path, verdict, reason } }. */
function readVerdicts(): Map<string, Verdict & { rule: string }> {
  const verdicts = new Map<string, Verdict & { rule: string }>();
  if (!existsSync(VERDICTS)) mkdirSync(VERDICTS, { recursive: true });
  for (const file of readdirSync(VERDICTS).filter((f) => f.endsWith(".json"))) {
    const rule = file.replace(/\.json$/, "");
    const entries = JSON.parse(readFileSync(join(VERDICTS, file), "utf8")) as Record<string, Verdict>;
    for (const [key, verdict] of Object.entries(entries)) verdicts.set(key, { ...verdict, rule });
  }
  return verdicts;
}

function sqlLines(path: string): number {
  if (!statSync(path).isDirectory()) return path.endsWith(".sql") ? readFileSync(path, "utf8").split("\n").length : 0;
  return readdirSync(path).reduce((sum, entry) => sum + sqlLines(join(path, entry)), 0);
}

interface Tables {
  all: Found[];
  lines: Map<string, number>;
  byRule: Map<string, Found[]>;
  samples: Map<string, Found[]>;
  verdicts: Map<string, Verdict & { rule: string }>;
  vanished: [string, Verdict & { rule: string }][];
}

function render({ all, lines, byRule, samples, verdicts, vanished }: Tables): string {
  const items = CORPUS_ITEMS.map((i) => i.name);
  const totalLines = [...lines.values()].reduce((a, b) => a + b, 0);
  const out: string[] = [];
  out.push("# Precision of the rules on real schemas", "");
  out.push(
    "Measured by `npm run precision` on every item of `../shared/corpus` (default configuration; migration-safety rules included on histories, as `schemawise check` runs them).",
    `For each rule a random sample of up to ${SAMPLE_SIZE} of its findings (fixed seed \`${SEED}\`) is judged as that project's engineers would judge it: **real** when they would fix it or want it in review, **noise** when they would dismiss it.`,
    "Verdicts live in `docs/precision/<rule>.json`, one line of reason each; the script recomputes the counts, keeps this page in step, and lists sampled findings that have no verdict yet and judged findings that disappeared.",
    "Precision by volume weights each rule's sampled precision by its number of findings.",
    "",
  );
  const judgedRules = [...samples].filter(([, s]) => s.some((f) => verdicts.has(f.key)));
  let realWeighted = 0;
  let judgedVolume = 0;
  const ruleRows: string[] = [];
  for (const [id, found] of byRule) {
    if (found.length === 0) continue;
    const sample = samples.get(id) ?? [];
    const judged = sample.filter((s) => verdicts.has(s.key));
    const real = judged.filter((s) => verdicts.get(s.key)!.verdict === "real").length;
    const precision = judged.length > 0 ? real / judged.length : undefined;
    if (precision !== undefined) {
      realWeighted += precision * found.length;
      judgedVolume += found.length;
    }
    ruleRows.push(`| \`${id}\` | ${found.length} | ${judged.length}/${sample.length} | ${real} | ${judged.length - real} | ${precision === undefined ? "not judged" : `${Math.round(precision * 100)} %`} |`);
  }
  out.push("## Summary", "");
  out.push(`- Findings: ${all.length} on ${totalLines.toLocaleString("en")} lines of SQL, ${((all.length / totalLines) * 1000).toFixed(1)} per 1,000 lines.`);
  out.push(`- Precision by volume (rules with a judged sample, ${judgedVolume} findings): ${judgedVolume > 0 ? `${Math.round((realWeighted / judgedVolume) * 100)} %` : "not judged"}.`);
  out.push(`- Rules with findings: ${ruleRows.length}; with a judged sample: ${judgedRules.length}.`, "");
  out.push("| rule | findings | judged | real | noise | precision |", "| --- | ---: | ---: | ---: | ---: | ---: |", ...ruleRows, "");
  out.push("## Findings per item", "");
  out.push("| item | lines of SQL | findings | per 1,000 lines |", "| --- | ---: | ---: | ---: |");
  for (const item of items) {
    const count = all.filter((f) => f.item === item).length;
    const n = lines.get(item) ?? 0;
    out.push(`| ${item} | ${n.toLocaleString("en")} | ${count} | ${n > 0 ? ((count / n) * 1000).toFixed(1) : "-"} |`);
  }
  out.push("", "## Findings per rule and item", "");
  out.push(`| rule | ${items.join(" | ")} |`, `| --- | ${items.map(() => "---:").join(" | ")} |`);
  for (const [id, found] of byRule) {
    if (found.length === 0) continue;
    out.push(`| \`${id}\` | ${items.map((item) => found.filter((f) => f.item === item).length).join(" | ")} |`);
  }
  out.push("", "## The judged sample", "");
  for (const [id, sample] of samples) {
    if (sample.length === 0) continue;
    out.push(`### \`${id}\``, "", "| item | object | verdict | reason |", "| --- | --- | --- | --- |");
    for (const s of sample) {
      const v = verdicts.get(s.key);
      out.push(`| ${s.item} | \`${s.finding.object.path}\` | ${v?.verdict ?? "not judged"} | ${v?.reason.replace(/\|/g, "\\|") ?? ""} |`);
    }
    out.push("");
  }
  out.push(...secondJudge(all, byRule, verdicts));
  if (vanished.length > 0) {
    const lostReal = vanished.filter(([, v]) => v.verdict === "real");
    out.push(
      "## Judged findings no longer reported",
      "",
      `${vanished.length} judged findings are gone: ${vanished.length - lostReal.length} judged noise, ${lostReal.length} judged real. A real one may go only for a written reason (\`gone\` in its verdict): ${lostReal.filter(([, v]) => !v.gone).length} have none yet.`,
      "",
      "| rule | item | object | was | reason it was judged so | why it is gone |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const [, v] of [...lostReal, ...vanished.filter(([, x]) => x.verdict !== "real")]) {
      out.push(`| \`${v.rule}\` | ${v.item} | \`${v.path}\` | ${v.verdict} | ${cell(v.reason)} | ${cell(v.gone)} |`);
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

await main();
