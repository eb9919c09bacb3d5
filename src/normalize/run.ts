/** `schemawise normalize` from input to report: read, discover, validate, diagnose, decompose, verify. */
import { Deadline } from "./discovery/deadline.js";
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
import { BUDGET_SPENT, verifyEmbedded, verifyLive, type Verification } from "./verify.js";

export interface NormalizeOptions {
  maxLhs?: number;
  nullEqualsNull: boolean;
  maxError: number;
  /** Largest determinant of approximate dependencies (default: maxLhs). */
  approximateMaxLhs?: number;
  /** For the whole run: discovery gets most of it, ranking, decomposition and verification the rest. */
  timeBudgetMs?: number;
  /** When the time budget started (Date.now()): the CLI starts it before reading the input. Default: now. */
  startedAt?: number;
  /** Memory the run may use (JS heap and buffers); past it, each phase stops cleanly with what it has. */
  maxMemoryBytes?: number;
  /** Determinants ranked and diagnosed in detail (default DEFAULT_MAX_RANKED). */
  maxRanked?: number;
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
  budget: BudgetReport;
}

/** What the budget allowed: the limits, and each thing cut short to stay within them. */
export interface BudgetReport {
  timeBudgetMs?: number;
  maxMemoryBytes?: number;
  elapsedMs: number;
  /** One sentence per phase cut short, saying what is missing. */
  cuts: string[];
}

/** Share of the time budget for discovery; ranking, decomposition and verification share the rest. */
const DISCOVERY_SHARE = 0.7;
/** Of what discovery leaves: for ranking and diagnosis, then (of what is left then) for the decomposition. */
const RANKING_SHARE = 0.5;
const DECOMPOSITION_SHARE = 0.6;

/** The run's budget split into phase deadlines, each a share of the time left when the phase starts. */
class PhaseBudget {
  readonly started: number;
  private readonly endsAt: number;

  constructor(private readonly options: Pick<NormalizeOptions, "timeBudgetMs" | "maxMemoryBytes" | "startedAt">) {
    this.started = options.startedAt ?? Date.now();
    this.endsAt = options.timeBudgetMs === undefined ? Infinity : this.started + options.timeBudgetMs;
  }

  /**
   * A phase after discovery. Its memory is bounded by construction (ranking keeps a few hundred
   * determinants), so only V8's heap limit is guarded: discovery's candidates are still garbage
   * to be collected when it starts, and would trip --max-memory at the first check.
   */
  phase(share: number): Deadline {
    const left = this.endsAt - Date.now();
    return new Deadline(Number.isFinite(left) ? Math.max(0, left * share) : undefined);
  }

  /** Milliseconds left of the whole budget (Infinity without one). */
  left(): number {
    return this.endsAt - Date.now();
  }
}

function limitText(deadline: Deadline, options: NormalizeOptions): string {
  return deadline.reason === "memory" ? memoryText(options) : `the time budget (${((options.timeBudgetMs ?? 0) / 1000).toFixed(0)} s for the whole run)`;
}

function memoryText(options: NormalizeOptions): string {
  const bytes = options.maxMemoryBytes;
  const bound = bytes === undefined ? "V8's heap limit" : bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MB` : `${bytes} byte${bytes === 1 ? "" : "s"}`;
  return `the memory bound (${bound})`;
}

export async function normalize(input: NormalizeInput, options: NormalizeOptions): Promise<NormalizeResult> {
  const { relation } = input;
  const progress = options.onProgress;
  const budget = new PhaseBudget(options);
  const cuts: string[] = [];
  progress?.("discovering dependencies");
  const discoveryBudget = options.timeBudgetMs === undefined ? undefined : Math.max(0, budget.left() * DISCOVERY_SHARE);
  const discovered = await discoverDependencies(relation, {
    nullEqualsNull: options.nullEqualsNull,
    maxError: options.maxError,
    ...(options.maxLhs !== undefined ? { maxLhs: options.maxLhs } : {}),
    ...(options.approximateMaxLhs !== undefined ? { approximateMaxLhs: options.approximateMaxLhs } : {}),
    ...(discoveryBudget !== undefined ? { timeBudgetMs: discoveryBudget } : {}),
    ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
    onProgress: (phase, done, total) => progress?.(phase, done, total),
  });
  if (discovered.partial) cuts.push(discoveryCut({ ...discovered, budgetMs: discoveryBudget ?? 0 }, options));
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
    if (validation.partial) cuts.push("validation on the whole table stopped at its query budget: what is listed holds on the whole table, but some candidates from the sample were not checked");
    nullCounts = await input.wholeTable.nullCounts();
  }
  progress?.("diagnosing");
  const rankingDeadline = budget.phase(RANKING_SHARE);
  const { diagnosis, analysis } = diagnose(relation, discovery, {
    budget: rankingDeadline,
    ...(options.maxRanked !== undefined ? { maxRanked: options.maxRanked } : {}),
    ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
    ...(nullCounts ? { nullCounts } : {}),
  });
  const { ranking } = diagnosis;
  if (ranking.cutBy === "budget") cuts.push(`ranking stopped by ${limitText(rankingDeadline, options)}: ${ranking.ranked} of ${ranking.determinants} determinants ranked and diagnosed, the best by their column profiles first`);
  if (input.wholeTable) await measureOnWholeTable(diagnosis, input, budget.phase(RANKING_SHARE), cuts);
  const decompositionDeadline = budget.phase(DECOMPOSITION_SHARE);
  analysis.budget = decompositionDeadline;
  const decomposition = decompose(analysis, diagnosis, { mode: options.mode, ...(input.declaredTypes ? { declaredTypes: input.declaredTypes } : {}) });
  if (decompositionDeadline.exceeded) cuts.push(`decomposition cut short by ${limitText(decompositionDeadline, options)}: the tables stand, but their keys and the dependencies they lose were not all worked out`);
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
    budget: { ...pick(options), elapsedMs: 0, cuts },
  };
  if (options.verify) {
    progress?.("verifying the decomposition is lossless");
    const verifyDeadline = budget.phase(1);
    if (verifyDeadline.expired()) cuts.push(`verification skipped: ${limitText(verifyDeadline, options)} was spent before it could start`);
    else {
      const verification = await runVerification(input, decomposition, diagnosis, typeOf, verifyDeadline);
      if (verification.error === BUDGET_SPENT) cuts.push(`verification stopped by ${limitText(verifyDeadline, options)} before it could compare the rows`);
      else result.verification = verification;
    }
  }
  result.budget.elapsedMs = Date.now() - budget.started;
  return result;
}

function pick(options: NormalizeOptions): Pick<BudgetReport, "timeBudgetMs" | "maxMemoryBytes"> {
  return {
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
  };
}

function discoveryCut(discovery: DiscoveryResult & { budgetMs: number }, options: NormalizeOptions): string {
  const limit = discovery.stoppedBy === "memory" ? memoryText(options) : `the time budget (${Math.round(discovery.budgetMs / 1000)} s of it for discovery)`;
  const upTo = discovery.completeUpTo ?? -1;
  const what = discovery.exactComplete
    ? "every exact dependency and key was found; the search for approximate ones was cut"
    : upTo >= 1
      ? `the list is exact for determinants (and keys) of up to ${upTo} column${upTo === 1 ? "" : "s"}; larger ones were not all checked`
      : upTo === 0
        ? "only the constant columns are certain; the dependencies and keys listed hold, but more may exist"
        : "the dependencies and keys listed hold, but more may exist";
  return `discovery stopped by ${limit}: ${what}`;
}

/** The redundancy numbers of a sampled table's violations, counted on the whole table. */
async function measureOnWholeTable(diagnosis: Diagnosis, input: NormalizeInput, deadline: Deadline, cuts: string[]): Promise<void> {
  for (const [i, violation] of diagnosis.violations.entries()) {
    if (deadline.expired()) {
      cuts.push(`redundancy of ${diagnosis.violations.length - i} lower-ranked violations left as measured on the sample: the budget ran out`);
      return;
    }
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

async function runVerification(input: NormalizeInput, decomposition: Decomposition, diagnosis: Diagnosis, typeOf: (c: number) => string, deadline: Deadline): Promise<Verification> {
  if (input.kind === "live" && input.source.kind === "table") {
    return verifyLive(input.engine!, input.relation, decomposition, input.source, diagnosis.duplicateRows);
  }
  // A loaded schema's engine holds the original table, so the migration runs exactly as written.
  return verifyEmbedded(input.relation, decomposition, input.source, {
    ...(input.kind === "schema" && input.engine ? { engine: input.engine } : {}),
    typeOf,
    duplicateRows: diagnosis.duplicateRows,
    deadline,
  });
}
