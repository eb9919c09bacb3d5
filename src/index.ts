/** Library API: `check(options)` returns the same report the CLI prints. */
export { check, loadSchema, readSources, type CheckOptions, type LoadedSchema } from "./check.js";
export { introspect } from "./catalog/introspect.js";
export type * from "./catalog/model.js";
export type { Finding, Rule, RuleMeta, Severity, Category, Fix, ObjectRef } from "./checks/types.js";
export { RULES } from "./checks/registry.js";
export { allRuleMetas } from "./checks/run.js";
export { loadConfig, parseConfig } from "./config/load.js";
export type { Config } from "./config/schema.js";
export { formatReport, type CheckReport, type OutputFormat } from "./report/index.js";
export type { Statement, SourceSet, SourceLocation } from "./sources/types.js";
export { checkMigrations, type MigrationCheckOptions, type MigrationCheckResult } from "./migrations/run.js";
export { openSchema, type OpenSchema } from "./check.js";
export { seedDatabase } from "./seed/index.js";
export { readWorkload, runWorkload, checkWorkload } from "./queries/index.js";
export { normalize } from "./normalize/run.js";
export { discoverDependencies } from "./normalize/discovery/index.js";
export { readDelimited } from "./normalize/input/csv.js";
