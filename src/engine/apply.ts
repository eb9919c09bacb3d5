import type { SkippedInput, SourceLocation, Statement } from "../sources/types.js";
import { firstLine, locationWithin } from "../sources/location.js";
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
 */
const DDL_LOG_SETUP = `
CREATE SCHEMA ${INTERNAL_SCHEMA};
CREATE TABLE ${INTERNAL_SCHEMA}.ddl_log (statement int, catalog text, objid oid);
CREATE FUNCTION ${INTERNAL_SCHEMA}.log_ddl() RETURNS event_trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO ${INTERNAL_SCHEMA}.ddl_log
  SELECT substring(current_query() from '^/\\*sw:([0-9]+)\\*/')::int, c.classid::regclass::text, c.objid
  FROM pg_event_trigger_ddl_commands() c
  WHERE NOT c.in_extension;
END $$;
CREATE EVENT TRIGGER schemawise_log_ddl ON ddl_command_end EXECUTE FUNCTION ${INTERNAL_SCHEMA}.log_ddl();
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
/**
 * Ends what a batch of statements set for the session (search_path, timeouts…) so it does not
 * leak into the next file, then restores the settings the run itself chose (the setup's SETs).
 */
export async function resetSession(engine: Engine, sessionSettings: string[]): Promise<void> {
  await engine.exec("RESET ALL").catch(() => undefined);
  for (const sql of sessionSettings) await engine.exec(sql);
}

/** The SET statements of the setup SQL: they describe the runner's session and must last the whole run. */
export function sessionSettingsIn(setup: string[]): string[] {
  return setup.filter((sql) => /^\s*SET\s/i.test(sql));
}

const UNDEFINED_TABLE = "42P01";
const FEATURE_NOT_SUPPORTED = "0A000";
const UNDEFINED_FILE = "58P01";

export async function applyStatements(
  engine: Engine,
  statements: Statement[],
  options: {
    onProgress?: (done: number, total: number) => void;
    /** Record which statement made each object (default true); replaying for context does not need it. */
    provenance?: boolean;
    /** SET statements that hold for the whole run (from the setup SQL): restored after each RESET ALL. */
    sessionSettings?: string[];
  } = {},
): Promise<ApplyResult> {
  const result: ApplyResult = {
    failures: [],
    skipped: [],
    unavailableExtensions: [],
    provenance: new Map(),
    provenanceAvailable: options.provenance === false ? false : await installDdlLog(engine),
  };
  const createdRoles = new Set<string>();
  let inTransaction = false;
  for (const statement of statements) {
    options.onProgress?.(statement.index, statements.length);
    if (!statement.ast) continue;
    if (CLUSTER_LEVEL.has(statement.kind)) {
      result.skipped.push({
        location: statement.location,
        what: firstLine(statement.sql),
        reason: "acts on the server (databases, roles, tablespaces), not on the schema; not run so the engine stays isolated",
      });
      continue;
    }
    const transactionChange = transactionEffect(statement);
    const guarded = inTransaction && transactionChange === undefined;
    const error = await runOne(engine, statement, guarded, createdRoles);
    if (transactionChange !== undefined && !error) inTransaction = transactionChange;
    if (error) recordFailure(result, statement, error);
  }
  if (inTransaction) await engine.exec("COMMIT").catch(() => engine.exec("ROLLBACK"));
  await resetSession(engine, options.sessionSettings ?? []);
  if (result.provenanceAvailable) result.provenance = await readDdlLog(engine);
  return result;
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

/** true: opens a transaction block; false: closes it; undefined: not a transaction statement. */
function transactionEffect(statement: Statement): boolean | undefined {
  if (statement.kind !== "TransactionStmt") return undefined;
  const kind = String(statement.ast?.kind ?? "");
  if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") return true;
  if (["TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE", "TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED"].includes(kind)) return false;
  return undefined;
}

function marker(statement: Statement): string {
  return `/*sw:${statement.index}*/`;
}

/**
 * Runs one statement. Inside a user's transaction block each statement gets a savepoint,
 * so one failure does not abort everything after it.
 */
async function runOne(engine: Engine, statement: Statement, guarded: boolean, createdRoles: Set<string>): Promise<PostgresErrorInfo | undefined> {
  if (guarded) await engine.exec("SAVEPOINT schemawise_statement");
  try {
    await engine.exec(marker(statement) + statement.sql);
    if (guarded) await engine.exec("RELEASE SAVEPOINT schemawise_statement");
    return undefined;
  } catch (raw) {
    if (guarded) await engine.exec("ROLLBACK TO SAVEPOINT schemawise_statement");
    const error = postgresError(raw);
    const role = missingRole(error);
    if (role && engine.kind === "embedded" && !createdRoles.has(role)) {
      // Ownership and grants name roles of the user's cluster; in the private embedded
      // engine the role can simply be created so the statement means what it says.
      createdRoles.add(role);
      await engine.exec(`CREATE ROLE "${role.replace(/"/g, '""')}" NOLOGIN`).catch(() => undefined);
      return runOne(engine, statement, guarded, createdRoles);
    }
    return error;
  }
}

function missingRole(error: PostgresErrorInfo): string | undefined {
  if (error.code !== UNDEFINED_OBJECT) return undefined;
  return /^role "(.+)" does not exist$/.exec(error.message)?.[1];
}

function recordFailure(result: ApplyResult, statement: Statement, error: PostgresErrorInfo): void {
  const location = errorLocation(statement, error);
  const extension = unavailableExtension(statement, error);
  if (extension) {
    result.unavailableExtensions.push({ name: extension, statement, error });
    return;
  }
  const dependsOn = result.unavailableExtensions.length > 0 && dependsOnMissingExtension(result, error);
  result.failures.push({
    statement,
    error,
    location,
    ...(dependsOn ? { missingExtension: result.unavailableExtensions.map((e) => e.name).join(", ") } : {}),
  });
}

/**
 * After an extension failed to load, "type/function does not exist" errors are its consequence,
 * and so are errors about relations whose own creation failed for that reason.
 */
function dependsOnMissingExtension(result: ApplyResult, error: PostgresErrorInfo): boolean {
  if ([UNDEFINED_OBJECT, UNDEFINED_FUNCTION].includes(error.code ?? "")) return true;
  if (error.code !== UNDEFINED_TABLE) return false;
  const missing = result.failures.filter((f) => f.missingExtension).map((f) => relationName(f.statement));
  return missing.some((name) => name !== undefined && error.message.includes(`"${name}"`));
}

function relationName(statement: Statement): string | undefined {
  const relation = statement.ast?.relation as { relname?: string } | undefined;
  return relation?.relname;
}

function unavailableExtension(statement: Statement, error: PostgresErrorInfo): string | undefined {
  if (statement.kind !== "CreateExtensionStmt") return undefined;
  if (![FEATURE_NOT_SUPPORTED, UNDEFINED_FILE].includes(error.code ?? "") && !/not available|control file/.test(error.message)) return undefined;
  return String(statement.ast?.extname ?? "");
}

/** Where in the file Postgres pointed, or the statement's start when it did not point. */
function errorLocation(statement: Statement, error: PostgresErrorInfo): SourceLocation {
  if (!error.position) return statement.location;
  const offset = Math.max(0, error.position - 1 - marker(statement).length);
  return locationWithin(statement, offset);
}
