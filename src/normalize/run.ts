/** `schemawise normalize` from input to report: read, discover, validate, diagnose, decompose, verify. */
import { discoverDependencies } from "./discovery/index.js";
import { decompose } from "./decompose/index.js";
import { mermaid } from "./decompose/mermaid.js";
import { ddl, migrationText } from "./decompose/sql.js";
import type { Decomposition } from "./decompose/types.js";
import { diagnose } from "./diagnose/index.js";
import type { Diagnosis } from "./diagnose/types.js";
import { validateOnWholeTable, type ValidationSummary } from "./source/validate.js";
import type { NormalizeInput } from "./source/types.js";
import type { DiscoveryResult } from "./types.js";
import { verifyEmbedded, verifyLive, type Verification } from "./verify.js";

export interface NormalizeOptions {
  maxLhs?: number;
  nullEqualsNull: boolean;
  maxError: number;
  /** Largest determinant of approximate dependencies (default: maxLhs). */
  approximateMaxLhs?: number;
  timeBudgetMs?: number;
  mode: "bcnf" | "3nf";
  verify: boolean;
  minScore?: number;
  onProgress?: (stage: string, done?: number, total?: number) => void;
}

export interface NormalizeResult {
  input: Omit<NormalizeInput, "engine" | "close" | "wholeTable">;
  discovery: DiscoveryResult;
  validation?: ValidationSummary;
  diagnosis: Diagnosis;
  decomposition: Decomposition;
  ddl: string;
  migration: string;
  mermaid: string;
  verification?: Verification;
}

export async function normalize(input: NormalizeInput, options: NormalizeOptions): Promise<NormalizeResult> {
  const { relation } = input;
  const progress = options.onProgress;
  progress?.("discovering dependencies");
  const discovered = await discoverDependencies(relation, {
    nullEqualsNull: options.nullEqualsNull,
    maxError: options.maxError,
    ...(options.maxLhs !== undefined ? { maxLhs: options.maxLhs } : {}),
    ...(options.approximateMaxLhs !== undefined ? { approximateMaxLhs: options.approximateMaxLhs } : {}),
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    onProgress: (phase, done, total) => progress?.(phase, done, total),
  });
  let discovery = discovered;
  let validation: ValidationSummary | undefined;
  let nullCounts: number[] | undefined;
  if (input.wholeTable) {
    const validated = await validateOnWholeTable(discovered, input.wholeTable, {
      columns: relation.columns.length,
      maxLhs: options.maxLhs ?? relation.columns.length,
      maxError: options.maxError,
      onProgress: (done, total) => progress?.("validating on the whole table", done, total),
    });
    discovery = validated.result;
    validation = validated.summary;
    nullCounts = await input.wholeTable.nullCounts();
  }
  progress?.("diagnosing");
  const { diagnosis, analysis } = diagnose(relation, discovery, { ...(options.minScore !== undefined ? { minScore: options.minScore } : {}), ...(nullCounts ? { nullCounts } : {}) });
  if (input.wholeTable) await measureOnWholeTable(diagnosis, input);
  const decomposition = decompose(analysis, diagnosis, { mode: options.mode, ...(input.declaredTypes ? { declaredTypes: input.declaredTypes } : {}) });
  const typeOf = (c: number) => input.declaredTypes?.[c] ?? relation.types[c]!;
  const result: NormalizeResult = {
    input: { relation, source: input.source, description: input.description, kind: input.kind, ...(input.declaredTypes ? { declaredTypes: input.declaredTypes } : {}), ...(input.sample ? { sample: input.sample } : {}) },
    discovery,
    ...(validation ? { validation } : {}),
    diagnosis,
    decomposition,
    ddl: ddl(decomposition, input.source),
    migration: migrationText(relation, decomposition, input.source, typeOf),
    mermaid: mermaid(decomposition),
  };
  if (options.verify) {
    progress?.("verifying the decomposition is lossless");
    result.verification = await runVerification(input, decomposition, diagnosis, typeOf);
  }
  return result;
}

/** The redundancy numbers of a sampled table's violations, counted on the whole table. */
async function measureOnWholeTable(diagnosis: Diagnosis, input: NormalizeInput): Promise<void> {
  for (const violation of diagnosis.violations) {
    const stats = await input.wholeTable!.groupStats(violation.lhs);
    violation.redundancy = {
      rows: stats.rows,
      distinctDeterminants: stats.distinct,
      rowsRepeatingDeterminant: stats.rowsInRepeatedGroups,
      redundantCells: (stats.rows - stats.distinct) * violation.rhs.length,
      largestGroup: stats.largestGroup,
    };
  }
}

async function runVerification(input: NormalizeInput, decomposition: Decomposition, diagnosis: Diagnosis, typeOf: (c: number) => string): Promise<Verification> {
  if (input.kind === "live" && input.source.kind === "table") {
    return verifyLive(input.engine!, input.relation, decomposition, input.source, diagnosis.duplicateRows);
  }
  // A loaded schema's engine holds the original table, so the migration runs exactly as written.
  return verifyEmbedded(input.relation, decomposition, input.source, {
    ...(input.kind === "schema" && input.engine ? { engine: input.engine } : {}),
    typeOf,
    duplicateRows: diagnosis.duplicateRows,
  });
}
