/** A Postgres to run statements in and read the catalog from. */
export interface Engine {
  readonly kind: "embedded" | "server" | "live";
  /** Only schemawise uses this Postgres (PGlite, its own cluster): cluster-wide objects such as roles may be created in it. */
  readonly owned?: boolean;
  /** Runs one statement (simple protocol, no parameters). Throws EngineError when Postgres rejects it. */
  exec(sql: string): Promise<void>;
  /** Runs a read query and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
  /**
   * Keeps the database's current state under `key` with a note (JSON the caller reads back), so a
   * later run can start from it (the replay cache). Only engines schemawise owns keep snapshots.
   */
  saveSnapshot?(key: string, note: string): Promise<void>;
  /** The note of the kept state the database was created from (a SnapshotRequest that was honoured). */
  readonly restored?: string;
}

/** Start the database from the state kept under `key`, when one is kept and `usable` accepts its note. */
export interface SnapshotRequest {
  key: string;
  /** Keys to try next, in order, when nothing usable is kept under `key` (e.g. the state before the newest file). */
  fallbackKeys?: string[];
  usable(note: string): boolean;
}

/** What Postgres said when it rejected a statement. `position` is 1-based in characters, as Postgres reports. */
export interface PostgresErrorInfo {
  message: string;
  code?: string;
  position?: number;
  detail?: string;
  hint?: string;
}

export function postgresError(error: unknown): PostgresErrorInfo {
  const e = error as Record<string, unknown>;
  const position = Number(e.position);
  return {
    message: String(e.message ?? error),
    ...(typeof e.code === "string" ? { code: e.code } : {}),
    ...(Number.isFinite(position) && position > 0 ? { position } : {}),
    ...(typeof e.detail === "string" && e.detail ? { detail: e.detail } : {}),
    ...(typeof e.hint === "string" && e.hint ? { hint: e.hint } : {}),
  };
}

/** Input or environment problems the user must fix; printed without a stack trace, exit code 2. */
export class UserError extends Error {
  override readonly name = "UserError";
}
