/**
 * `schemawise plan` in the shared report model: the guessed renames first, then each phase with its
 * meaning and its files' SQL (the lock each statement takes under it), what the application release
 * must do, what is held back or not planned, and the proof. Text and Markdown render it
 * (src/report/); the JSON is the plan's own document (`planDocument`).
 */
import { newReport, type Block, type Line, type Report, type Section, type Tone } from "../report/model.js";
import { describeChange } from "./changes.js";
import { fileSql, type PlanFile } from "./files.js";
import type { Plan } from "./index.js";
import { lockNote } from "./locks.js";
import { PHASE_MEANING, PHASES, type Phase } from "./steps.js";
import type { Verification } from "./verify.js";

/** `--format json`: the changes, the phases with their files' statements, what is not planned and the proof. */
export function planDocument(plan: Plan, verification?: Verification): unknown {
  return {
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
}

export function planReport(plan: Plan, verification?: Verification): Report {
  const sections = [...guessedRenames(plan), ...phaseSections(plan), ...notPlanned(plan), ...(verification ? [proofSection(verification)] : [])];
  return newReport({
    title: `schemawise plan: ${plan.from.description} → ${plan.to.description} (PostgreSQL ${plan.pgVersion})`,
    textTitle: true,
    sections,
    summary: { text: summaryText(plan), tone: summaryTone(plan, verification) },
    document: planDocument(plan, verification),
  });
}

function summaryText(plan: Plan): string {
  if (plan.changes.length === 0) return "The schemas are the same: nothing to do.";
  const layout = `layout ${plan.layout.name}${plan.layout.note ? ` (${plan.layout.note})` : ""}`;
  return `${plan.changes.length} changes, ${plan.files.length} files, planned in ${seconds(plan.milliseconds)}; ${layout}.`;
}

function summaryTone(plan: Plan, verification: Verification | undefined): Tone {
  if (verification && !verification.passed) return "bad";
  return plan.unplanned.length > 0 || plan.heldBack.length > 0 ? "warn" : "good";
}

const lines = (entries: Line[], indent = 1): Block => ({ kind: "lines", lines: entries, indent });

/** Renames and splits found by structure are a guess: said first, with how to refuse one. */
function guessedRenames(plan: Plan): Section[] {
  const guessed = plan.changes.filter((c) => (c.kind === "rename-table" || c.kind === "rename-column") && c.source === "structure");
  const splits = plan.changes.filter((c) => c.kind === "split-table");
  const sections: Section[] = [];
  if (guessed.length > 0) {
    const why = "The data is kept through them. If one is really a drop and an add, run again with --no-rename-detection and name the real renames with --rename.";
    sections.push({ title: "Renames found by structure", blocks: [lines([why], 0), lines(guessed.map(describeChange))] });
  }
  if (splits.length > 0) {
    const why = "Their values are copied there. If they are really dropped, run again with --no-rename-detection, which also stops this guess.";
    sections.push({ title: "Columns moved to a new table, found by structure", blocks: [lines([why], 0), lines(splits.map(describeChange))] });
  }
  return sections;
}

/** Each phase with its meaning: its files' SQL, each statement followed by the lock it takes; the switch phase says what the application must do. */
function phaseSections(plan: Plan): Section[] {
  const note = lockNote(plan.from.loaded.model, plan.pgVersion, plan.notNullProven);
  const sql = (file: PlanFile): Block => ({ kind: "code", language: "sql", text: fileSql(file, { lockTimeout: true, note }) });
  return PHASES.flatMap((phase): Section[] => {
    const blocks = plan.files.filter((f) => f.phase === phase).map(sql);
    if (phase === "switch" && plan.app.length > 0) blocks.unshift(lines(plan.app.map((duty) => `the application must ${duty}`)));
    return blocks.length > 0 ? [{ title: phaseTitle(phase), blocks }] : [];
  });
}

function phaseTitle(phase: Phase): string {
  return `${phase}: ${PHASE_MEANING[phase]}`;
}

function notPlanned(plan: Plan): Section[] {
  const sections: Section[] = [];
  if (plan.heldBack.length > 0) sections.push({ title: "Left out, data loss", note: "rerun with --allow-data-loss once a backup is kept", blocks: [lines(plan.heldBack)] });
  if (plan.unplanned.length > 0) sections.push({ title: "Not planned", note: "do these by hand", blocks: [lines(plan.unplanned.map((u) => `${u.object}: ${u.reason}`))] });
  return sections;
}

/** The proof's four parts, (a) to (d), each with its verdict and the lines that explain a failure. */
function proofSection(v: Verification): Section {
  const entries: Line[] = [];
  const warnings = v.rules.findings.filter((f) => f.severity !== "info");
  entries.push(verdict(`(a) migration rules on the ${v.rules.files} files, every table taken as 10,000,000 rows: `, v.rules.passed, `, ${warnings.length} warnings or errors, ${v.rules.findings.length - warnings.length} info`));
  for (const f of v.rules.findings) entries.push(`  ${f.file}:${f.line} ${f.severity} ${f.ruleId}: ${f.message}`);
  if (v.rules.note) entries.push(`  note: ${v.rules.note}`);
  entries.push(verdict("(b) current schema + plan = desired schema: ", v.roundTrip.passed, v.roundTrip.remaining.length ? `, still different: ${v.roundTrip.remaining.join("; ")}` : ""));
  if (v.roundTrip.failedFile) entries.push(`  step ${v.roundTrip.failedFile.file} failed: ${v.roundTrip.failedFile.error}`);
  const lost = v.data.tables.filter((t) => !t.kept);
  entries.push(verdict(`(c) ${v.data.seeded.toLocaleString("en")} seeded rows in ${v.data.tables.length} kept tables survive the plan: `, v.data.passed, lost.length ? `, changed: ${lost.map((t) => t.table).join(", ")}` : ""));
  for (const problem of v.data.problems) entries.push(`  ${problem}`);
  entries.push(...workloadProof(v.workload));
  return { title: `Proof (${seconds(v.milliseconds)})`, blocks: [lines(entries)] };
}

function workloadProof(workload: Verification["workload"]): Line[] {
  const releases = [...new Set(workload.checks.map((c) => c.release))];
  if (releases.length === 0) return ["(d) workload: no schemawise.queries.sql next to either schema, nothing to run"];
  const queries = (release: string) => new Set(workload.checks.filter((c) => c.release === release).map((c) => c.query)).size;
  const what = releases.map((r) => (r === "old" ? `the current workload's ${queries(r)} queries after expand and backfill` : `the desired workload's ${queries(r)} queries after contract`)).join(", ");
  const failed = workload.checks.filter((c) => c.error).map((f): Line => `  after ${f.phase}, ${f.release} ${f.query}: ${f.error}`);
  return [verdict(`(d) ${what} plan and run: `, workload.passed, ""), ...failed];
}

function verdict(before: string, passed: boolean, after: string): Line {
  return [{ text: before }, passed ? { text: "passed", tone: "good" } : { text: "FAILED", tone: "bad" }, ...(after ? [{ text: after }] : [])];
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
