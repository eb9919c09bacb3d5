/** The plan as text (phases, files, statements), JSON, or Markdown for a pull request. */
import { describeChange } from "./changes.js";
import { fileSql, type PlanFile } from "./files.js";
import { lockNote } from "./locks.js";
import type { Plan } from "./index.js";
import { PHASE_MEANING, PHASES, type Phase } from "./steps.js";
import type { Verification } from "./verify.js";

export function planJson(plan: Plan, verification?: Verification): string {
  const body = {
    from: plan.from.description,
    to: plan.to.description,
    pgVersion: plan.pgVersion,
    layout: plan.layout,
    changes: plan.changes.map((change) => ({ kind: change.kind, description: describeChange(change) })),
    phases: PHASES.map((phase) => ({
      phase,
      meaning: PHASE_MEANING[phase],
      ...(phase === "switch" ? { app: plan.app } : {}),
      files: plan.files.filter((f) => f.phase === phase).map((f) => ({ number: f.number, name: f.name, transaction: f.transaction, why: f.why, sql: f.statements })),
    })),
    unplanned: plan.unplanned,
    heldBack: plan.heldBack,
    ...(verification ? { verification } : {}),
    milliseconds: Math.round(plan.milliseconds),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function planText(plan: Plan, verification?: Verification): string {
  const lines = [`schemawise plan: ${plan.from.description} → ${plan.to.description} (PostgreSQL ${plan.pgVersion})`, ""];
  if (plan.changes.length === 0) return `${lines.join("\n")}The schemas are the same: nothing to do.\n`;
  lines.push(...guessedRenames(plan));
  const note = lockNote(plan.from.loaded.model, plan.pgVersion, plan.notNullProven);
  for (const phase of PHASES) lines.push(...phaseText(plan, phase, (f) => fileSql(f, { lockTimeout: true, note }).trimEnd()));
  lines.push(...notPlanned(plan, "- "));
  if (verification) lines.push(...verificationText(verification, "- "));
  lines.push(`${plan.changes.length} changes, ${plan.files.length} files, planned in ${(plan.milliseconds / 1000).toFixed(1)} s; layout ${plan.layout.name}${plan.layout.note ? ` (${plan.layout.note})` : ""}.`);
  return `${lines.join("\n")}\n`;
}

export function planMarkdown(plan: Plan, verification?: Verification): string {
  const lines = [`## schemawise plan`, "", `From ${plan.from.description} to ${plan.to.description}, on PostgreSQL ${plan.pgVersion}.`, ""];
  if (plan.changes.length === 0) return `${lines.join("\n")}The schemas are the same: nothing to do.\n`;
  const note = lockNote(plan.from.loaded.model, plan.pgVersion, plan.notNullProven);
  for (const phase of PHASES) {
    const text = phaseText(plan, phase, (f) => ["```sql", fileSql(f, { lockTimeout: true, note }).trimEnd(), "```"].join("\n"));
    if (phase === PHASES[0]) lines.push(...guessedRenames(plan));
    if (text.length > 0) lines.push(`### ${text[0]}`, ...text.slice(1));
  }
  lines.push(...notPlanned(plan, "- "));
  if (verification) lines.push(...verificationText(verification, "- "));
  return `${lines.join("\n")}\n`;
}

/** Renames found by structure are a guess: said first, with how to confirm or refuse one. */
function guessedRenames(plan: Plan): string[] {
  const guessed = plan.changes.filter((c) => (c.kind === "rename-table" || c.kind === "rename-column") && c.source === "structure");
  const splits = plan.changes.filter((c) => c.kind === "split-table");
  return [
    ...(guessed.length ? ["Renames found by structure (the data is kept through them; if one is really a drop and an add, run again with --no-rename-detection and name the real renames with --rename):", ...guessed.map((c) => `- ${describeChange(c)}`), ""] : []),
    ...(splits.length ? ["Columns moved to a new table, found by structure (their values are copied there; if they are really dropped, run again with --no-rename-detection, which also stops this guess):", ...splits.map((c) => `- ${describeChange(c)}`), ""] : []),
  ];
}

function phaseText(plan: Plan, phase: Phase, show: (file: PlanFile) => string): string[] {
  const files = plan.files.filter((f) => f.phase === phase);
  if (phase === "switch") {
    if (plan.app.length === 0) return [];
    return [`switch: ${PHASE_MEANING.switch}`, "", ...plan.app.map((a) => `- the application must ${a}`), ""];
  }
  if (files.length === 0) return [];
  return [`${phase}: ${PHASE_MEANING[phase]}`, "", ...files.flatMap((f) => [show(f), ""])];
}

function notPlanned(plan: Plan, bullet: string): string[] {
  const lines: string[] = [];
  if (plan.heldBack.length > 0) lines.push("Left out, data loss (rerun with --allow-data-loss once a backup is kept):", ...plan.heldBack.map((h) => `${bullet}${h}`), "");
  if (plan.unplanned.length > 0) lines.push("Not planned (do these by hand):", ...plan.unplanned.map((u) => `${bullet}${u.object}: ${u.reason}`), "");
  return lines;
}

function verificationText(v: Verification, bullet: string): string[] {
  const mark = (ok: boolean) => (ok ? "passed" : "FAILED");
  const lines = [`Proof (${(v.milliseconds / 1000).toFixed(1)} s):`];
  const warnings = v.rules.findings.filter((f) => f.severity !== "info");
  lines.push(`${bullet}(a) migration rules on the ${v.rules.files} files, every table taken as 10,000,000 rows: ${mark(v.rules.passed)}, ${warnings.length} warnings or errors, ${v.rules.findings.length - warnings.length} info`);
  for (const f of v.rules.findings) lines.push(`    ${f.file}:${f.line} ${f.severity} ${f.ruleId}: ${f.message}`);
  if (v.rules.note) lines.push(`    note: ${v.rules.note}`);
  lines.push(`${bullet}(b) current schema + plan = desired schema: ${mark(v.roundTrip.passed)}${v.roundTrip.remaining.length ? `, still different: ${v.roundTrip.remaining.join("; ")}` : ""}`);
  if (v.roundTrip.failedFile) lines.push(`    step ${v.roundTrip.failedFile.file} failed: ${v.roundTrip.failedFile.error}`);
  const lost = v.data.tables.filter((t) => !t.kept);
  lines.push(`${bullet}(c) ${v.data.seeded.toLocaleString("en")} seeded rows in ${v.data.tables.length} kept tables survive the plan: ${mark(v.data.passed)}${lost.length ? `, changed: ${lost.map((t) => t.table).join(", ")}` : ""}`);
  for (const p of v.data.problems) lines.push(`    ${p}`);
  const releases = [...new Set(v.workload.checks.map((c) => c.release))];
  if (releases.length === 0) lines.push(`${bullet}(d) workload: no schemawise.queries.sql next to either schema, nothing to run`);
  else {
    const failed = v.workload.checks.filter((c) => c.error);
    const queries = (release: string) => new Set(v.workload.checks.filter((c) => c.release === release).map((c) => c.query)).size;
    const what = releases.map((r) => (r === "old" ? `the current workload's ${queries(r)} queries after expand and backfill` : `the desired workload's ${queries(r)} queries after contract`)).join(", ");
    lines.push(`${bullet}(d) ${what} plan and run: ${mark(v.workload.passed)}`);
    for (const f of failed) lines.push(`    after ${f.phase}, ${f.release} ${f.query}: ${f.error}`);
  }
  lines.push("");
  return lines;
}
