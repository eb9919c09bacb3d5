/**
 * `schemawise seed` in the shared report model: a table of what each table received, the problems,
 * and a summary line. Text and Markdown render it (src/report/); the JSON is the seed result with
 * the seed and the engine.
 */
import { newReport, type Line, type Report, type Section } from "../report/model.js";
import type { SeedResult } from "./types.js";

export interface SeedRun {
  seed: number;
  /** Which Postgres ran it, and a note when it is not the major asked for. */
  engine: { description: string; note?: string };
  dump?: string | undefined;
}

export function seedReport(result: SeedResult, run: SeedRun): Report {
  const total = result.tables.reduce((sum, t) => sum + t.rows, 0);
  const problems = result.problems.length;
  const kept = run.dump ? `data written to ${run.dump}` : "the data is dropped with the engine (--dump <file> keeps it)";
  return newReport({
    title: "schemawise: seed",
    sections: [tableSection(result), ...problemSection(result)],
    notes: run.engine.note ? [{ label: "engine:", text: run.engine.note }] : [],
    summary: {
      text:
        `${total.toLocaleString("en")} rows in ${result.tables.filter((t) => t.rows > 0).length} tables, ${(result.milliseconds / 1000).toFixed(1)} s, ` +
        `seed ${run.seed}, in ${run.engine.description}; ${kept}; ${problems} problem${problems === 1 ? "" : "s"}`,
      tone: problems > 0 ? "bad" : "dim",
    },
    document: { seed: run.seed, engine: run.engine, ...result },
  });
}

function tableSection(result: SeedResult): Section {
  const rows = result.tables.map((t) => {
    const seconds = t.milliseconds / 1000;
    const rate = t.rows > 0 && seconds > 0 ? Math.round(t.rows / seconds).toLocaleString("en") : "";
    const short = t.rows < t.target ? `of ${t.target.toLocaleString("en")}` : "";
    return [t.table, t.rows.toLocaleString("en"), `${seconds.toFixed(2)} s`, rate, short];
  });
  return {
    title: "",
    blocks: [
      {
        kind: "table",
        head: ["table", "rows", "time", "rows/s", ""],
        rows,
        align: ["left", "right", "right", "right", "left"],
        rowTone: result.tables.map((t) => (t.rows < t.target ? "warn" : undefined)),
        indent: 0,
      },
    ],
  };
}

function problemSection(result: SeedResult): Section[] {
  if (result.problems.length === 0) return [];
  const lines = result.problems.map((p): Line => [{ text: "problem", tone: "bad" }, { text: `  ${p.table}${p.subject ? ` (${p.subject})` : ""}: ${p.message}` }]);
  return [{ title: "", blocks: [{ kind: "lines", lines, indent: 0 }] }];
}
