import { defineFindingOnlyRule, type FindingOnlyRule } from "./types.js";

/**
 * Findings about the input itself rather than the design. They are produced while loading
 * (parsing and running statements), not by a model rule, but are configured, suppressed and
 * documented like every other rule.
 */
export const STATEMENT_FAILED = defineFindingOnlyRule("input", {
  id: "statement-failed",
  category: "input",
  severity: "error",
  summary: "Postgres rejected a statement, so the objects it defines were not checked.",
  rationale:
    "schemawise runs every statement in real Postgres. A statement that fails there would fail in production too (or depends on something the file does not create), and whatever it would have created is missing from the checked model. The run goes on with the next statement.",
  badExample: "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint REFERENCES userz (id)  -- no such table\n);",
  goodExample: "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint REFERENCES users (id)\n);",
  fix: "Correct the statement as the Postgres message says, or create what it depends on before it.",
});

export const EXTENSION_UNAVAILABLE = defineFindingOnlyRule("input", {
  id: "extension-unavailable",
  category: "input",
  severity: "warning",
  summary: "The engine lacks an extension the schema creates; objects that need it were not checked.",
  rationale:
    "The embedded engine ships the common contrib extensions but not, for example, PostGIS. Statements that depend on a missing extension fail, and the objects they define are left out of the checks. Point --engine at a Postgres server that has the extension to check everything.",
  badExample: "CREATE EXTENSION postgis;\nCREATE TABLE places (id bigint PRIMARY KEY, geom geometry(Point, 4326));",
  goodExample: "-- run with: schemawise check schema.sql --engine postgres://localhost/postgres\nCREATE EXTENSION postgis;",
  fix: "Run with --engine <postgres url> on a server where the extension is installed.",
});

export const NEWER_THAN_TARGET = defineFindingOnlyRule("input", {
  id: "requires-newer-postgres",
  category: "input",
  severity: "error",
  summary: "The SQL uses a construct that the PostgreSQL major you deploy (--pg-version) rejects.",
  rationale:
    "When no server of the target major is available, the SQL runs on PGlite, which is PostgreSQL 18 and accepts everything newer majors added. The statement would fail in production on the older major, so schemawise reports the constructs it knows to be newer (taken from the PostgreSQL release notes). Installing that major's server binaries lets Postgres itself judge every statement.",
  badExample: "-- schemawise check schema.sql --pg-version 15\nCREATE TABLE tickets (id uuid PRIMARY KEY DEFAULT uuidv7());",
  goodExample: "-- schemawise check schema.sql --pg-version 15\nCREATE TABLE tickets (id uuid PRIMARY KEY DEFAULT gen_random_uuid());",
  fix: "Rewrite the statement without the newer construct, or upgrade the target major first.",
});

export const INPUT_RULES: FindingOnlyRule<"input">[] = [STATEMENT_FAILED, EXTENSION_UNAVAILABLE, NEWER_THAN_TARGET];
