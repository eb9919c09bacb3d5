/**
 * The transaction model: for each migration file, how its runner sends it to PostgreSQL (inside
 * one transaction per file, one transaction for the whole run, statement by statement, or the
 * whole file as one multi-statement simple query), how a file opts out, and which transaction
 * blocks the server really sees once explicit BEGIN/COMMIT in the file are taken into account.
 *
 * This decides whether a statement that refuses to run in a transaction block (CREATE INDEX
 * CONCURRENTLY, VACUUM, …) fails, and how long the locks a statement takes are held: until the
 * end of the block it runs in. Every runner's behaviour here was read from its source; the
 * table, the sources (repository + path) and what could not be verified are in
 * docs/transaction-model.md. The PostgreSQL behaviour is checked against a real server by
 * test/migrations/transactions.test.ts.
 */
import { readFileSync } from "node:fs";

import { runnerFor } from "../sources/runners/index.js";
import type { AfterCommit, FileTransaction, TransactionMode, TransactionOptions } from "../sources/runners/types.js";
import type { LayoutName, OrderedFile, Statement } from "../sources/types.js";

export type { AfterCommit, FileSection, FileTransaction, TransactionMode, TransactionOptions } from "../sources/runners/types.js";
export { readDieselMetadata } from "../sources/runners/diesel.js";
import type { Node } from "@pgsql/types";
import { nodeAs, optionEnabled, statementAs } from "../sources/ast.js";

const defaultReadFile = (p: string): string | undefined => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
};

/** How the runner of `layout` executes `file` (each runner's model is in its module of src/sources/runners). */
export function transactionFor(layout: LayoutName, file: OrderedFile, options: TransactionOptions = {}): FileTransaction {
  return runnerFor(layout).transaction(file, options, options.readFile ?? defaultReadFile);
}

export type BlockOpener = "runner" | "begin" | "implicit" | "after-commit" | "autocommit";

export type BlockEnd =
  /** The runner's COMMIT at the end of the file (per-file) or of the run (whole-run). */
  | "runner-commit"
  | "commit"
  | "rollback"
  | "prepare-transaction"
  /** An implicit block, or the rest of a file after an in-file COMMIT, ends with the file. */
  | "end-of-file"
  /** A statement on its own, committed when it ends. */
  | "statement-end"
  /** BEGIN without COMMIT: still open when the file ends. */
  | "left-open";

export interface BlockFailure {
  statement: Statement;
  /** The error PostgreSQL raises. */
  message: string;
}

export interface TransactionBlock {
  statements: Statement[];
  /** The statements run inside a transaction block: locks are held until the block ends. */
  inTransaction: boolean;
  openedBy: BlockOpener;
  closedBy: BlockEnd;
  /** Warnings PostgreSQL issues and what an in-file BEGIN/COMMIT does to the runner's transaction. */
  notes: string[];
  /** Statements PostgreSQL will reject where they stand. */
  failures: BlockFailure[];
}

export interface BlockOptions {
  /** Defaults to "one-block"; pass `FileTransaction.afterCommit`. Used by "per-file" and "whole-run". */
  afterCommit?: AfterCommit;
  /** Server major version (ALTER TYPE … ADD VALUE cannot run in a transaction block before 12). Default 16. */
  pgVersion?: number;
}

type TxControl = "begin" | "commit" | "rollback" | "commit-chain" | "rollback-chain" | "prepare" | "savepoint" | "release" | "rollback-to";

function txControl(statement: Statement): TxControl | undefined {
  const ast = statementAs(statement, "TransactionStmt");
  if (!ast) return undefined;
  const chain = ast.chain === true;
  switch (ast.kind) {
    case "TRANS_STMT_BEGIN":
    case "TRANS_STMT_START":
      return "begin";
    case "TRANS_STMT_COMMIT":
      return chain ? "commit-chain" : "commit";
    case "TRANS_STMT_ROLLBACK":
      return chain ? "rollback-chain" : "rollback";
    case "TRANS_STMT_PREPARE":
      return "prepare";
    case "TRANS_STMT_SAVEPOINT":
      return "savepoint";
    case "TRANS_STMT_RELEASE":
      return "release";
    case "TRANS_STMT_ROLLBACK_TO":
      return "rollback-to";
    default:
      return undefined;
  }
}

const SAVEPOINT_COMMAND: Record<string, string> = {
  savepoint: "SAVEPOINT",
  release: "RELEASE SAVEPOINT",
  "rollback-to": "ROLLBACK TO SAVEPOINT",
};

/**
 * Statements grouped into the transaction blocks Postgres will really see (explicit BEGIN/COMMIT
 * in the file included). For "whole-run", pass the statements of the whole run at once to follow
 * an in-file COMMIT across files.
 */
export function transactionBlocks(mode: TransactionMode, statements: Statement[], options: BlockOptions = {}): TransactionBlock[] {
  const real = statements.filter((s) => s.kind !== "Empty");
  const pgVersion = options.pgVersion ?? 16;
  let initial: "runner" | "implicit" | "none";
  let after: "block" | "autocommit";
  switch (mode) {
    case "per-file":
    case "whole-run":
      initial = "runner";
      after = (options.afterCommit ?? "one-block") === "one-block" ? "block" : "autocommit";
      break;
    case "implicit-multi-statement":
      // postgres.c exec_simple_query: use_implicit_block = (list_length(parsetree_list) > 1)
      initial = real.length > 1 ? "implicit" : "none";
      after = real.length > 1 ? "block" : "autocommit";
      break;
    case "per-statement":
      initial = "none";
      after = "autocommit";
      break;
  }

  const blocks: TransactionBlock[] = [];
  let cur: TransactionBlock | undefined;
  let kind: "runner" | "implicit" | "explicit" | undefined;
  let closedOnce = false;

  const open = (opener: BlockOpener, k: typeof kind): TransactionBlock => {
    cur = { statements: [], inTransaction: true, openedBy: opener, closedBy: "left-open", notes: [], failures: [] };
    kind = k;
    blocks.push(cur);
    return cur;
  };
  const close = (end: BlockEnd): void => {
    if (cur) cur.closedBy = end;
    cur = undefined;
    kind = undefined;
    closedOnce = true;
  };

  if (initial === "runner") open("runner", "runner");
  else if (initial === "implicit") open("implicit", "implicit");

  for (const s of real) {
    const tx = txControl(s);
    if (!cur && closedOnce && after === "block") open("after-commit", "implicit");

    if (!cur) {
      // Autocommit: the statement runs on its own.
      if (tx === "begin") {
        open("begin", "explicit").statements.push(s);
        continue;
      }
      const single: TransactionBlock = {
        statements: [s],
        inTransaction: false,
        openedBy: "autocommit",
        closedBy: "statement-end",
        notes: [],
        failures: [],
      };
      if (tx === "commit" || tx === "rollback" || tx === "prepare") {
        single.notes.push(`WARNING: there is no transaction in progress (${s.sql.trim()} outside a transaction block does nothing)`);
      } else if (tx === "commit-chain" || tx === "rollback-chain") {
        single.failures.push({ statement: s, message: `${tx === "commit-chain" ? "COMMIT" : "ROLLBACK"} AND CHAIN can only be used in transaction blocks` });
      } else if (tx && SAVEPOINT_COMMAND[tx]) {
        single.failures.push({ statement: s, message: `${SAVEPOINT_COMMAND[tx]} can only be used in transaction blocks` });
      }
      blocks.push(single);
      continue;
    }

    const block = cur;
    block.statements.push(s);
    const blocked = cannotRunInTransactionBlock(s, pgVersion);
    if (blocked) block.failures.push({ statement: s, message: `${blocked} cannot run inside a transaction block` });

    switch (tx) {
      case "begin":
        if (kind === "implicit") {
          kind = "explicit";
          block.notes.push(
            `${s.sql.trim()} (line ${s.location.line}) turns the implicit block into a regular one; the statements before it ` +
              "are included, and only an explicit COMMIT or ROLLBACK ends it",
          );
        } else {
          block.notes.push(
            `WARNING: there is already a transaction in progress: ${s.sql.trim()} at line ${s.location.line} has no effect` +
              (kind === "runner" ? " inside the runner's transaction" : ""),
          );
        }
        break;
      case "commit":
      case "rollback":
      case "prepare": {
        const end: BlockEnd = tx === "commit" ? "commit" : tx === "rollback" ? "rollback" : "prepare-transaction";
        if (kind === "runner") {
          block.notes.push(
            `${s.sql.trim()} at line ${s.location.line} ends the runner's transaction early` +
              (tx === "rollback" ? ", undoing everything before it in the transaction," : "") +
              "; the runner's own COMMIT will only warn (there is no transaction in progress)" +
              (tx === "rollback" ? " and the runner may still record the migration as applied" : ""),
          );
        } else if (kind === "implicit" && tx !== "prepare") {
          block.notes.push(
            `WARNING: there is no transaction in progress: ${s.sql.trim()} at line ${s.location.line} closes the implicit block`,
          );
        }
        close(end);
        break;
      }
      case "commit-chain":
      case "rollback-chain":
        if (kind === "implicit") {
          block.failures.push({ statement: s, message: `${tx === "commit-chain" ? "COMMIT" : "ROLLBACK"} AND CHAIN can only be used in transaction blocks` });
        } else {
          const wasRunner = kind === "runner";
          close(tx === "commit-chain" ? "commit" : "rollback");
          open("begin", "explicit");
          if (wasRunner) block.notes.push(`${s.sql.trim()} at line ${s.location.line} ends the runner's transaction and starts a new one`);
        }
        break;
      case "savepoint":
      case "release":
      case "rollback-to":
        if (kind === "implicit") {
          block.failures.push({ statement: s, message: `${SAVEPOINT_COMMAND[tx]} can only be used in transaction blocks` });
        }
        break;
      default:
        break;
    }
  }

  if (cur) {
    const last = cur;
    if (kind === "runner") last.closedBy = "runner-commit";
    else if (kind === "implicit") last.closedBy = "end-of-file";
    else {
      last.closedBy = "left-open";
      last.notes.push(
        "No COMMIT before the end of the file: the transaction is still open. psql rolls it back when it exits; a runner that " +
          "keeps the connection carries it into what it sends next.",
      );
    }
  }
  const result = blocks.filter((b) => b.statements.length > 0 || b.openedBy === "runner");
  const unparsed = real.find((s) => s.parseError);
  if (mode === "implicit-multi-statement" && real.length > 1 && unparsed && result[0]) {
    result[0].notes.push(
      `The file is parsed as a whole before anything runs: the syntax error at line ${unparsed.parseError!.location.line} ` +
        "stops every statement of it, including those before the error.",
    );
  }
  return result;
}

/** transactionBlocks for one file, following dbmate's per-section options. */
export function fileTransactionBlocks(tx: FileTransaction, statements: Statement[], options: BlockOptions = {}): TransactionBlock[] {
  const blockOptions = { afterCommit: tx.afterCommit, ...options };
  if (!tx.sections) return transactionBlocks(tx.mode, statements, blockOptions);
  return tx.sections.flatMap((section) =>
    transactionBlocks(
      section.mode,
      statements.filter((s) => s.offset >= section.start && s.offset < section.end),
      blockOptions,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Statements that refuse a transaction block

/**
 * The command name PostgreSQL reports when `statement` runs inside a transaction block
 * ("<name> cannot run inside a transaction block", xact.c PreventInTransactionBlock), or
 * undefined when it can run there.
 */
export function cannotRunInTransactionBlock(statement: Statement, pgVersion = 16): string | undefined {
  if (!statement.ast) return undefined;
  switch (statement.kind) {
    case "IndexStmt":
      return statementAs(statement, "IndexStmt")?.concurrent === true ? "CREATE INDEX CONCURRENTLY" : undefined;
    case "DropStmt": {
      const drop = statementAs(statement, "DropStmt");
      return drop?.concurrent === true && drop.removeType === "OBJECT_INDEX" ? "DROP INDEX CONCURRENTLY" : undefined;
    }
    case "ReindexStmt": {
      const reindex = statementAs(statement, "ReindexStmt");
      if (optionEnabled(reindex?.params, "concurrently")) return "REINDEX CONCURRENTLY";
      if (reindex?.kind === "REINDEX_OBJECT_SCHEMA") return "REINDEX SCHEMA";
      if (reindex?.kind === "REINDEX_OBJECT_SYSTEM") return "REINDEX SYSTEM";
      if (reindex?.kind === "REINDEX_OBJECT_DATABASE") return "REINDEX DATABASE";
      return undefined;
    }
    case "VacuumStmt":
      return statementAs(statement, "VacuumStmt")?.is_vacuumcmd === true ? "VACUUM" : undefined;
    case "CreatedbStmt":
      return "CREATE DATABASE";
    case "DropdbStmt":
      return "DROP DATABASE";
    case "CreateTableSpaceStmt":
      return "CREATE TABLESPACE";
    case "DropTableSpaceStmt":
      return "DROP TABLESPACE";
    case "AlterSystemStmt":
      return "ALTER SYSTEM";
    case "DiscardStmt":
      return statementAs(statement, "DiscardStmt")?.target === "DISCARD_ALL" ? "DISCARD ALL" : undefined;
    case "AlterDatabaseStmt":
      return optionEnabled(statementAs(statement, "AlterDatabaseStmt")?.options, "tablespace") ? "ALTER DATABASE SET TABLESPACE" : undefined;
    case "ClusterStmt":
      return statementAs(statement, "ClusterStmt")?.relation === undefined ? "CLUSTER" : undefined;
    case "AlterTableStmt":
      return detachConcurrently(statement) ? "ALTER TABLE ... DETACH CONCURRENTLY" : undefined;
    case "CreateSubscriptionStmt":
      return createsSlot(statementAs(statement, "CreateSubscriptionStmt")?.options) ? "CREATE SUBSCRIPTION ... WITH (create_slot = true)" : undefined;
    case "AlterEnumStmt": {
      const alter = statementAs(statement, "AlterEnumStmt");
      return alter && pgVersion < 12 && alter.oldVal === undefined ? "ALTER TYPE ... ADD" : undefined;
    }
    default:
      return undefined;
  }
}

function detachConcurrently(statement: Statement): boolean {
  return (statementAs(statement, "AlterTableStmt")?.cmds ?? []).some((c) => {
    const cmd = nodeAs(c, "AlterTableCmd");
    return cmd?.subtype === "AT_DetachPartition" && nodeAs(cmd.def, "PartitionCmd")?.concurrent === true;
  });
}

/** CREATE SUBSCRIPTION creates a replication slot unless connect = false or create_slot = false. */
function createsSlot(options: Node[] | undefined): boolean {
  for (const d of (options ?? []).map((o) => nodeAs(o, "DefElem"))) {
    if (d?.defname !== "create_slot" && d?.defname !== "connect") continue;
    const value = nodeAs(d.arg, "String")?.sval ?? (nodeAs(d.arg, "Boolean") ? String(nodeAs(d.arg, "Boolean")?.boolval ?? false) : "true");
    if (/^(false|off|0|no)$/i.test(value)) return false;
  }
  return true;
}
