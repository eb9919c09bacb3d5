import { nodeAs, rangeVar, sameRelation, statementAs, statementRelation, type RelationRef } from "../sources/ast.js";
import type { SkippedInput, SourceLocation, Statement } from "../sources/types.js";
import { firstLine, locationWithin } from "../sources/location.js";
import { quoteIdentAlways, quoteLiteral as literal } from "../sql/text.js";
import { postgresError, type Engine, type PostgresErrorInfo } from "./types.js";

/** A statement Postgres rejected, with where it failed. */
export interface StatementFailure {
  statement: Statement;
  error: PostgresErrorInfo;
  location: SourceLocation;
  /** Set when the failure follows from an extension the engine does not have. */
  missingExtension?: string;
}

/** Which statements created or altered an object: (catalog, oid) → run indexes, from the DDL log. */
export type ProvenanceLog = Map<string, number[]>;

export function provenanceKey(catalog: "pg_class" | "pg_type" | "pg_proc" | "pg_namespace" | "pg_constraint" | "pg_trigger" | "pg_extension", oid: number): string {
  return `${catalog}:${oid}`;
}

export interface ApplyResult {
  failures: StatementFailure[];
  skipped: SkippedInput[];
  unavailableExtensions: { name: string; statement: Statement; error: PostgresErrorInfo }[];
  provenance: ProvenanceLog;
  /** False when the engine did not allow the DDL log (e.g. not a superuser): objects then carry no source. */
  provenanceAvailable: boolean;
}

export const INTERNAL_SCHEMA = "schemawise_internal";

/**
 * An event trigger records, for every DDL command, the objects it touched and the statement
 * that ran it (a `/*sw:N*\/` marker in front of each statement shows up in current_query()).
 * SECURITY DEFINER: DDL run after the input's `SET ROLE app` must not fail on the log's privileges.
 */
const LOG_TRIGGER = `CREATE EVENT TRIGGER schemawise_log_ddl ON ddl_command_end EXECUTE FUNCTION ${INTERNAL_SCHEMA}.log_ddl()`;

const DDL_LOG_SETUP = `
CREATE SCHEMA ${INTERNAL_SCHEMA};
CREATE TABLE ${INTERNAL_SCHEMA}.ddl_log (statement int, catalog text, objid oid);
CREATE FUNCTION ${INTERNAL_SCHEMA}.log_ddl() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO ${INTERNAL_SCHEMA}.ddl_log
  SELECT substring(current_query() from '^/\\*sw:([0-9]+)\\*/')::int, c.classid::regclass::text, c.objid
  FROM pg_event_trigger_ddl_commands() c
  WHERE NOT c.in_extension;
END $$;
${LOG_TRIGGER};
`;

/** Statements that act on the whole server, not on the schema: never run, so the engine stays isolated. */
const CLUSTER_LEVEL = new Set([
  "CreatedbStmt",
  "DropdbStmt",
  "AlterDatabaseStmt",
  "AlterDatabaseSetStmt",
  "AlterDatabaseRefreshCollStmt",
  "CreateRoleStmt",
  "AlterRoleStmt",
  "AlterRoleSetStmt",
  "DropRoleStmt",
  "CreateTableSpaceStmt",
  "DropTableSpaceStmt",
  "AlterSystemStmt",
  "CreateSubscriptionStmt",
  "AlterSubscriptionStmt",
  "DropSubscriptionStmt",
]);

const UNDEFINED_OBJECT = "42704";
const UNDEFINED_FUNCTION = "42883";
const UNDEFINED_TABLE = "42P01";
const UNDEFINED_COLUMN = "42703";
const FEATURE_NOT_SUPPORTED = "0A000";
const UNDEFINED_FILE = "58P01";

/**
 * Ends what a batch of statements set for the session (search_path, timeouts, a role…) so it does
 * not leak into the next file, then restores the settings the run itself chose (the setup's SETs).
 * RESET ALL leaves the role and the session user alone, so they are reset first.
 */
export async function resetSession(engine: Engine, sessionSettings: string[]): Promise<void> {
  await engine.exec("SET SESSION AUTHORIZATION DEFAULT").catch(() => undefined);
  await engine.exec("RESET ROLE").catch(() => undefined);
  await engine.exec("RESET ALL").catch(() => undefined);
  for (const sql of sessionSettings) await engine.exec(sql);
}

/** The SET statements of the setup SQL: they describe the runner's session and must last the whole run. */
export function sessionSettingsIn(setup: string[]): string[] {
  return setup.filter((sql) => /^\s*SET\s/i.test(sql));
}

/**
 * The session the run starts in (what the setup SQL set: search_path…), as statements that set it
 * again: each file starts from it, as each file gets a fresh session with the runner's settings.
 */
async function currentSessionSettings(engine: Engine): Promise<string[]> {
  const rows = await engine
    .query<{ name: string; value: string }>("SELECT name, current_setting(name) AS value FROM pg_catalog.pg_settings WHERE source = 'session' ORDER BY name")
    .catch(() => []);
  const settings = rows.map((r) => `SELECT pg_catalog.set_config(${literal(r.name)}, ${literal(r.value)}, false)`);
  const role = (await engine.query<{ role: string }>("SELECT current_setting('role') AS role").catch(() => []))[0]?.role;
  if (role && role !== "none") settings.push(`SET ROLE ${literal(role)}`);
  return settings;
}

/** The user's transaction block, as Postgres sees it. */
interface Block {
  /** The BEGIN that opened it. */
  begin: Statement;
  /** Statements other than transaction control run in it (to say what a rollback lost). */
  ran: number;
  /**
   * Set once a statement failed in it: Postgres then rejects everything until the block ends.
   * `ranBefore`: statements run in the block before the failure.
   */
  aborted?: { by: Statement; ranBefore: number; notRun: Statement[] };
}

export async function applyStatements(
  engine: Engine,
  statements: Statement[],
  options: {
    onProgress?: (done: number, total: number) => void;
    /**
     * Record which statement made each object (default true); replaying for context does not need
     * it. "resume": the database already has the log (a kept state): go on writing to it.
     * "ongoing": the caller keeps the log across several calls (startDdlLog … finishDdlLog).
     */
    provenance?: boolean | "resume" | "ongoing";
    /**
     * SET statements that hold for the whole run (from the setup SQL), restored after each file's
     * reset. Default: the session settings the engine has when the run starts.
     */
    sessionSettings?: string[];
    /**
     * Called before each statement runs, in the file's session: "open" inside the file's own
     * transaction block, "aborted" when that block has failed, "none" outside one (a migration
     * run reads the schema there, see migrations/file-state.ts).
     */
    beforeStatement?: (statement: Statement, block: "none" | "open" | "aborted") => Promise<void>;
  } = {},
): Promise<ApplyResult> {
  const result: ApplyResult = {
    failures: [],
    skipped: [],
    unavailableExtensions: [],
    provenance: new Map(),
    provenanceAvailable: await openLogFor(engine, options.provenance ?? true),
  };
  const sessionSettings = options.sessionSettings ?? (await currentSessionSettings(engine));
  const createdRoles = new Set<string>();
  let block: Block | undefined;
  let file: string | undefined;
  for (const statement of statements) {
    options.onProgress?.(statement.index, statements.length);
    // Each file gets the session `psql -f <file>` would give it: what a file leaves behind (an
    // open transaction, SET search_path, pg_dump's set_config('search_path', '', false)) ends with it.
    if (file !== undefined && statement.location.file !== file) {
      await endFile(engine, result, block, sessionSettings);
      block = undefined;
    }
    file = statement.location.file;
    if (!statement.ast) {
      // The parser's rejection is already a finding; Postgres would reject the text too, and in a
      // block that aborts it, as any failure does: an error raised in its place aborts it in the engine.
      if (block && !block.aborted && statement.parseError) {
        await engine.exec("DO $$ BEGIN RAISE EXCEPTION 'syntax error in the input'; END $$").catch(() => undefined);
        block.aborted = { by: statement, ranBefore: block.ran, notRun: [] };
      }
      continue;
    }
    if (CLUSTER_LEVEL.has(statement.kind)) {
      result.skipped.push({
        location: statement.location,
        what: firstLine(statement.sql),
        reason: "acts on the server (databases, roles, tablespaces), not on the schema; not run so the engine stays isolated",
      });
      continue;
    }
    await options.beforeStatement?.(statement, !block ? "none" : block.aborted ? "aborted" : "open");
    const control = transactionControl(statement);
    if (!block) {
      // Outside a transaction block each statement is its own transaction: a failure ends there.
      const error = await runOne(engine, statement, "autocommit", createdRoles);
      if (error) recordFailure(result, statement, error);
      else if (control === "begin") block = { begin: statement, ran: 0 };
      continue;
    }
    if (block.aborted) {
      // Postgres rejects everything but the end of the block ("current transaction is aborted"):
      // those statements are not run, and reported once, not as one invented error each.
      if (control !== "commit" && control !== "rollback" && control !== "rollback-to") {
        block.aborted.notRun.push(statement);
        continue;
      }
      const error = await runOne(engine, statement, "as-written", createdRoles);
      if (error) {
        // ROLLBACK TO a savepoint that does not exist: a real error, and the block stays aborted.
        recordFailure(result, statement, error);
        continue;
      }
      noteAbortedBlock(result, block, statement, control);
      if (control === "rollback-to") block.aborted = undefined;
      else block = chains(statement) ? { begin: statement, ran: 0 } : undefined;
      continue;
    }
    // Transaction control and SET run as written (SET TRANSACTION must come first in the block, a
    // user's SAVEPOINT must not be nested in one of ours). Other statements get a savepoint of the
    // run's own, only so that a failure that is the engine's, not the input's (an extension the
    // engine lacks, a role of the user's cluster) can be undone: the user's server would not have
    // failed there, so the block goes on.
    const guarded = control === undefined && statement.kind !== "VariableSetStmt";
    const error = await runOne(engine, statement, guarded ? "guarded" : "as-written", createdRoles);
    if (control === undefined) block.ran++;
    if (control === "commit" || control === "rollback") {
      // A COMMIT that fails (a deferred constraint) still ends the block, rolled back.
      if (error) recordFailure(result, statement, error);
      block = chains(statement) ? { begin: statement, ran: 0 } : undefined;
      continue;
    }
    if (!error) {
      if (guarded) await engine.exec("RELEASE SAVEPOINT schemawise_statement");
      continue;
    }
    // A role the scratch server lacks is the engine's too: the user's cluster has it.
    const enginesFault = recordFailure(result, statement, error) || missingRole(error) !== undefined;
    if (guarded && enginesFault) {
      await engine.exec("ROLLBACK TO SAVEPOINT schemawise_statement");
      await engine.exec("RELEASE SAVEPOINT schemawise_statement");
    } else {
      // As in psql (without ON_ERROR_ROLLBACK): the block is aborted until it ends.
      block.aborted = { by: statement, ranBefore: block.ran - (control === undefined ? 1 : 0), notRun: [] };
    }
  }
  if (file !== undefined) await endFile(engine, result, block, sessionSettings);
  else await resetSession(engine, sessionSettings);
  if (result.provenanceAvailable && options.provenance !== "ongoing") result.provenance = await readDdlLog(engine);
  return result;
}

async function openLogFor(engine: Engine, provenance: boolean | "resume" | "ongoing"): Promise<boolean> {
  if (provenance === "ongoing") return true;
  if (provenance === "resume") return resumeDdlLog(engine);
  return provenance ? installDdlLog(engine) : false;
}

/**
 * Starts recording which statement makes each object, for a caller that runs statements in several
 * calls (provenance "ongoing"): the log a kept state holds goes on, else a new one is installed.
 */
export async function startDdlLog(engine: Engine): Promise<boolean> {
  return (await hasDdlLog(engine)) ? resumeDdlLog(engine) : installDdlLog(engine);
}

/** Stops recording and reads what the log holds; undefined when there is none (the engine refused it). */
export async function finishDdlLog(engine: Engine): Promise<ProvenanceLog | undefined> {
  return (await hasDdlLog(engine)) ? readDdlLog(engine) : undefined;
}

async function hasDdlLog(engine: Engine): Promise<boolean> {
  const [row] = await engine.query<{ log: string | null }>(`SELECT to_regclass('${INTERNAL_SCHEMA}.ddl_log')::text AS log`);
  return Boolean(row?.log);
}

/**
 * The end of a file: `psql -f` ends its session there. A transaction block the file leaves open is
 * rolled back (Postgres rolls back what a closing session leaves uncommitted; psql sends no COMMIT),
 * and the session settings go back to the run's.
 */
async function endFile(engine: Engine, result: ApplyResult, block: Block | undefined, sessionSettings: string[]): Promise<void> {
  if (block) {
    await engine.exec("ROLLBACK").catch(() => undefined);
    if (block.aborted) noteAbortedBlock(result, block, undefined, "end-of-file");
    else if (block.ran > 0) {
      result.skipped.push({
        location: block.begin.location,
        what: firstLine(block.begin.sql),
        reason: `the transaction block it opens is never committed: the file ends with it open, so its session ends and Postgres rolls it back (as with psql -f); ${block.ran === 1 ? "the statement in it is" : `the ${block.ran} statements in it are`} not in the model`,
      });
    }
  }
  await resetSession(engine, sessionSettings);
}

/** One note for a block a failure aborted: what was not run, and what its end did. */
function noteAbortedBlock(result: ApplyResult, block: Block, end: Statement | undefined, how: TransactionControl | "end-of-file"): void {
  const { by, ranBefore, notRun } = block.aborted!;
  const failedAt = `the failure at line ${by.location.line} aborted the transaction block`;
  const lost =
    ranBefore === 0 ? "" : `, so ${ranBefore === 1 ? "the statement" : `the ${ranBefore} statements`} run in it before the failure ${ranBefore === 1 ? "is" : "are"} not in the model either`;
  const ended =
    how === "rollback-to"
      ? `the ${firstLine(end!.sql)} at line ${end!.location.line} resumed it`
      : how === "rollback"
        ? `the ${firstLine(end!.sql)} at line ${end!.location.line} ended it`
        : how === "end-of-file"
          ? `the file ends with the block open, so its session ends and Postgres rolls the block back (as with psql -f)${lost}`
          : `the ${end ? firstLine(end.sql) : "COMMIT"} at line ${end?.location.line ?? "?"} then rolled the block back${lost}`;
  const first = notRun[0];
  const last = notRun.at(-1);
  if (first && last) {
    result.skipped.push({
      location: { ...first.location, endLine: last.location.endLine, endColumn: last.location.endColumn },
      what: notRun.length === 1 ? firstLine(first.sql) : `${plural(notRun.length, "statement")} from ${firstLine(first.sql)}`,
      reason: `not run: ${failedAt}, and Postgres rejects every statement after it until the block ends ("current transaction is aborted"); ${ended}`,
    });
  } else if (ranBefore > 0 && (how === "commit" || how === "end-of-file")) {
    const at = end ?? by;
    result.skipped.push({ location: at.location, what: firstLine(at.sql), reason: `${failedAt}; ${ended}` });
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

async function installDdlLog(engine: Engine): Promise<boolean> {
  try {
    await engine.exec(DDL_LOG_SETUP);
    return true;
  } catch {
    await engine.exec(`DROP SCHEMA IF EXISTS ${INTERNAL_SCHEMA} CASCADE`).catch(() => undefined);
    return false;
  }
}

/** A kept state holds the log but not its trigger (reading the log drops it): logging starts again. */
async function resumeDdlLog(engine: Engine): Promise<boolean> {
  try {
    await engine.exec(`DROP EVENT TRIGGER IF EXISTS schemawise_log_ddl; ${LOG_TRIGGER}`);
    return true;
  } catch {
    return false;
  }
}

async function readDdlLog(engine: Engine): Promise<ProvenanceLog> {
  await engine.exec(`DROP EVENT TRIGGER IF EXISTS schemawise_log_ddl`);
  const rows = await engine.query<{ statement: number | null; catalog: string; objid: number }>(
    `SELECT statement, catalog, objid::int8 AS objid FROM ${INTERNAL_SCHEMA}.ddl_log ORDER BY statement`,
  );
  const log: ProvenanceLog = new Map();
  for (const row of rows) {
    if (row.statement === null) continue;
    const key = `${row.catalog}:${Number(row.objid)}`;
    const list = log.get(key) ?? [];
    if (list.at(-1) !== row.statement) list.push(row.statement);
    log.set(key, list);
  }
  return log;
}

type TransactionControl = "begin" | "commit" | "rollback" | "rollback-to" | "other";

/** What a transaction statement does to the block; undefined for any other statement. */
function transactionControl(statement: Statement): TransactionControl | undefined {
  const transaction = statementAs(statement, "TransactionStmt");
  if (!transaction) return undefined;
  switch (transaction.kind) {
    case "TRANS_STMT_BEGIN":
    case "TRANS_STMT_START":
      return "begin";
    // PREPARE TRANSACTION also ends the session's block (and, aborted, rolls it back).
    case "TRANS_STMT_COMMIT":
    case "TRANS_STMT_PREPARE":
      return "commit";
    case "TRANS_STMT_ROLLBACK":
      return "rollback";
    case "TRANS_STMT_ROLLBACK_TO":
      return "rollback-to";
    default:
      return "other";
  }
}

/** COMMIT AND CHAIN / ROLLBACK AND CHAIN start a new block at once. */
function chains(statement: Statement): boolean {
  return statementAs(statement, "TransactionStmt")?.chain === true;
}

function marker(statement: Statement): string {
  return `/*sw:${statement.index}*/`;
}

/**
 * How a statement runs: in its own transaction (outside a block), inside a savepoint of the run's
 * own (in a block; left open: the caller releases it, or rolls back to it when the failure is the
 * engine's), or as written in a block.
 */
type RunMode = "autocommit" | "guarded" | "as-written";

async function runOne(engine: Engine, statement: Statement, mode: RunMode, createdRoles: Set<string>): Promise<PostgresErrorInfo | undefined> {
  const guarded = mode === "guarded";
  if (guarded) await engine.exec("SAVEPOINT schemawise_statement");
  try {
    await engine.exec(marker(statement) + statement.sql);
    return undefined;
  } catch (raw) {
    const error = postgresError(raw);
    const role = missingRole(error);
    if (role && engine.owned && mode !== "as-written" && !createdRoles.has(role)) {
      // Ownership and grants name roles of the user's cluster; in an engine only schemawise
      // uses the role can simply be created so the statement means what it says. Inside a
      // transaction block the failure is undone first (the block would be aborted otherwise);
      // outside one, the statement's own transaction already ended.
      if (guarded) await engine.exec("ROLLBACK TO SAVEPOINT schemawise_statement; RELEASE SAVEPOINT schemawise_statement");
      createdRoles.add(role);
      await engine.exec(`CREATE ROLE ${quoteIdentAlways(role)} NOLOGIN`).catch(() => undefined);
      return runOne(engine, statement, mode, createdRoles);
    }
    return error;
  }
}

function missingRole(error: PostgresErrorInfo): string | undefined {
  if (error.code !== UNDEFINED_OBJECT) return undefined;
  return /^role "(.+)" does not exist$/.exec(error.message)?.[1];
}

/** Records a failure; true when it is the engine's (an extension it lacks), not the input's. */
function recordFailure(result: ApplyResult, statement: Statement, error: PostgresErrorInfo): boolean {
  const location = errorLocation(statement, error);
  const extension = unavailableExtension(statement, error);
  if (extension) {
    result.unavailableExtensions.push({ name: extension, statement, error });
    return true;
  }
  const dependsOn = result.unavailableExtensions.length > 0 && dependsOnMissingExtension(result, statement, error);
  result.failures.push({
    statement,
    error,
    location,
    ...(dependsOn ? { missingExtension: result.unavailableExtensions.map((e) => e.name).join(", ") } : {}),
  });
  return dependsOn;
}

/**
 * After an extension failed to load, "type/function does not exist" errors are its consequence,
 * and so are errors about relations whose own creation failed for that reason (a CREATE TABLE
 * with a postgis column, then its ALTER TABLE, CREATE INDEX, COMMENT ON, views over it…) and about
 * columns whose ALTER TABLE … ADD COLUMN failed for that reason. Names are compared with and
 * without their schema: pg_dump qualifies every name, and Postgres quotes a name as written.
 */
function dependsOnMissingExtension(result: ApplyResult, statement: Statement, error: PostgresErrorInfo): boolean {
  if ([UNDEFINED_OBJECT, UNDEFINED_FUNCTION].includes(error.code ?? "")) return true;
  const dependents = result.failures.filter((f) => f.missingExtension).map((f) => f.statement);
  if (error.code === UNDEFINED_TABLE) {
    const named = quotedName(error.message, /relation "([^"]+)" does not exist/);
    return named !== undefined && dependents.some((s) => createdRelations(s).some((r) => sameRelation(r, named)));
  }
  if (error.code === UNDEFINED_COLUMN) {
    const column = /column "([^"]+)"/.exec(error.message)?.[1];
    if (column === undefined) return false;
    const table = quotedName(error.message, /of relation "([^"]+)"/) ?? targetRelation(statement);
    return dependents.some((s) => {
      const target = targetRelation(s);
      return addedColumns(s).includes(column) && (!table || !target || sameRelation(target, table));
    });
  }
  return false;
}

/** The name quoted in an error message, split into schema and name at its last dot. */
function quotedName(message: string, pattern: RegExp): RelationRef | undefined {
  const quoted = pattern.exec(message)?.[1];
  if (quoted === undefined) return undefined;
  const dot = quoted.lastIndexOf(".");
  return dot < 0 ? { name: quoted } : { schema: quoted.slice(0, dot), name: quoted.slice(dot + 1) };
}

/** The relations (tables, views, sequences, indexes) a statement creates. */
function createdRelations(statement: Statement): RelationRef[] {
  const index = statementAs(statement, "IndexStmt");
  const table = index ? rangeVar(index.relation) : undefined;
  const made =
    rangeVar(statementAs(statement, "CreateStmt")?.relation) ??
    rangeVar(statementAs(statement, "CreateForeignTableStmt")?.base?.relation) ??
    rangeVar(statementAs(statement, "ViewStmt")?.view) ??
    rangeVar(statementAs(statement, "CreateTableAsStmt")?.into?.rel) ??
    rangeVar(statementAs(statement, "CreateSeqStmt")?.sequence) ??
    (index?.idxname ? { ...(table?.schema ? { schema: table.schema } : {}), name: index.idxname } : undefined);
  return made ? [made] : [];
}

/** The table a statement acts on, when it names one (ALTER TABLE, CREATE INDEX…). */
function targetRelation(statement: Statement): RelationRef | undefined {
  return statementRelation(statement);
}

/** Columns an ALTER TABLE adds. */
function addedColumns(statement: Statement): string[] {
  return (statementAs(statement, "AlterTableStmt")?.cmds ?? []).flatMap((item) => {
    const cmd = nodeAs(item, "AlterTableCmd");
    const column = cmd?.subtype === "AT_AddColumn" ? nodeAs(cmd.def, "ColumnDef")?.colname : undefined;
    return column ? [column] : [];
  });
}

function unavailableExtension(statement: Statement, error: PostgresErrorInfo): string | undefined {
  if (statement.kind !== "CreateExtensionStmt") return undefined;
  if (![FEATURE_NOT_SUPPORTED, UNDEFINED_FILE].includes(error.code ?? "") && !/not available|control file/.test(error.message)) return undefined;
  return statementAs(statement, "CreateExtensionStmt")?.extname ?? "";
}

/** Where in the file Postgres pointed, or the statement's start when it did not point. */
function errorLocation(statement: Statement, error: PostgresErrorInfo): SourceLocation {
  if (!error.position) return statement.location;
  const offset = Math.max(0, error.position - 1 - marker(statement).length);
  return locationWithin(statement, offset);
}

/** Statements the fast path leaves to applyStatements: transaction control, server-level DDL. */
const NOT_BATCHED = /^(TransactionStmt|Createdb|Dropdb|AlterDatabase|CreateRole|AlterRole|DropRole|CreateTableSpace|DropTableSpace|AlterSystem|CreateSubscription|AlterSubscription|DropSubscription)/;

/**
 * Runs a file's statements as one multi-statement query: PostgreSQL runs it as one implicit
 * transaction, so on any error nothing is left behind and the caller replays the file statement
 * by statement with applyStatements (which records failures, creates missing roles, …).
 * About 4× faster than one round trip per statement on long histories; records no source
 * locations (no DDL log), so only for runs that do not need them.
 */
async function applyInOneGo(engine: Engine, statements: Statement[], sessionSettings: string[]): Promise<boolean> {
  if (statements.length === 0) return true;
  if (statements.some((s) => !s.ast || NOT_BATCHED.test(s.kind))) return false;
  try {
    await engine.exec(statements.map((s) => s.sql).join(";\n") + ";");
    // As applyStatements does: a file's SET (search_path, …) must not leak into the next file.
    if (statements.some((s) => s.kind === "VariableSetStmt")) await resetSession(engine, sessionSettings);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the statements without recording where objects came from: each file in one query when it
 * can run so (applyInOneGo), else statement by statement (failures recorded, missing roles created).
 */
export async function applyQuickly(engine: Engine, statements: Statement[], sessionSettings: string[]): Promise<ApplyResult> {
  const result: ApplyResult = { failures: [], skipped: [], unavailableExtensions: [], provenance: new Map(), provenanceAvailable: false };
  const files = new Map<string, Statement[]>();
  for (const statement of statements) files.set(statement.location.file, [...(files.get(statement.location.file) ?? []), statement]);
  for (const file of files.values()) {
    if (await applyInOneGo(engine, file, sessionSettings)) continue;
    const applied = await applyStatements(engine, file, { provenance: false, sessionSettings });
    result.failures.push(...applied.failures);
    result.skipped.push(...applied.skipped);
    result.unavailableExtensions.push(...applied.unavailableExtensions);
  }
  return result;
}
