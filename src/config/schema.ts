import { z } from "zod";
import { SEVERITIES } from "../checks/types.js";

const severity = z.enum(SEVERITIES as unknown as ["error", "warning", "info"]);

const ruleSetting = z.union([
  z.literal("off"),
  severity,
  z
    .object({
      severity: z.union([z.literal("off"), severity]).optional(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
]);

/** One column's data for `schemawise seed`: value spread, nulls and ranges. */
const dataColumn = z
  .object({
    /** Allowed values, or values with relative weights ({ pending: 0.1, shipped: 0.9 }). */
    values: z.union([z.array(z.union([z.string(), z.number(), z.boolean()])).min(1), z.record(z.string(), z.number().nonnegative())]).optional(),
    /** Number of distinct values to draw from. */
    distinct: z.number().int().positive().optional(),
    /** Fraction of rows left NULL (0 to 1). */
    nullFraction: z.number().min(0).max(1).optional(),
    /** Lowest and highest value: numbers, or dates/timestamps as ISO strings. */
    min: z.union([z.number(), z.string().min(1)]).optional(),
    max: z.union([z.number(), z.string().min(1)]).optional(),
    /** Foreign key columns: how child rows spread over parent rows. */
    spread: z.enum(["uniform", "zipf"]).optional(),
    /** Zipf exponent (default 1): larger values concentrate children on fewer parents. */
    exponent: z.number().positive().optional(),
  })
  .strict();

/** Distributions for `schemawise seed`; row counts come from `volumes`. */
export const dataSchema = z
  .object({
    /** Rows of a table whose volume is not declared and that references no other table. */
    defaultRows: z.number().int().nonnegative().optional(),
    /** Children per parent row for tables whose volume is not declared. */
    fanOut: z.number().positive().optional(),
    /** Per table path or pattern (matched like volumes): per column settings. */
    tables: z.record(z.string(), z.record(z.string(), dataColumn)).default({}),
  })
  .strict();

const nameCase = z.enum(["snake_case", "camelCase", "PascalCase", "UPPER_CASE"]);

/** Conventions pinned by the team; each replaces what schemawise would infer from the schema. */
export const conventionsSchema = z
  .object({
    dialect: z.enum(["rails", "gitlab", "django", "prisma", "diesel", "hibernate", "drizzle", "pg-dump", "hand-written"]).optional(),
    tableCase: nameCase.optional(),
    tablePlurality: z.enum(["plural", "singular"]).optional(),
    columnCase: nameCase.optional(),
    primaryKeyNaming: z.enum(["id", "<table>_id", "<singular>_id", "<table>Id", "<singular>Id", "<Table>ID"]).optional(),
    referenceNaming: z.enum(["<singular>_id", "<singular>Id", "<singular>ID", "<referenced column>"]).optional(),
    booleanPrefixes: z.array(z.string().min(1)).optional(),
    timestampSuffix: z.string().min(1).nullable().optional(),
    declaresForeignKeys: z.boolean().optional(),
    onDelete: z.enum(["stated", "unstated"]).optional(),
    timestampType: z.enum(["timestamptz", "timestamp"]).optional(),
    createdColumn: z.string().min(1).nullable().optional(),
    updatedColumn: z.string().min(1).nullable().optional(),
    softDeleteColumn: z.string().min(1).nullable().optional(),
    idStrategy: z.enum(["identity", "serial", "uuid", "text", "natural"]).optional(),
    stringType: z.enum(["text", "varchar"]).optional(),
    /** Whether migrations run while the application serves traffic (inferred from the history's use of online-safe forms). */
    migrationsUnderTraffic: z.boolean().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional().describe("Where editors find this file's JSON Schema (schemawise.schema.json)."),
    rules: z.record(z.string(), ruleSetting).default({}).describe('Per rule id: "off", a severity, or { severity, options } (`schemawise explain <rule-id>` lists the options).'),
    ignore: z
      .array(
        z
          .object({
            object: z.string().min(1),
            rules: z.array(z.string()).optional(),
            reason: z.string().optional(),
          })
          .strict(),
      )
      .default([])
      .describe("Findings to drop, by object path glob (`*` matches within a name part, `**` across parts), optionally only for some rules, with the reason."),
    variables: z.record(z.string(), z.string()).default({}).describe("Values for template placeholders in migration files (e.g. Namespace: auth)."),
    volumes: z
      .record(z.string(), z.number().int().nonnegative())
      .default({})
      .describe('Declared table sizes in rows, by table path or pattern ("public.events", "*.audit_*"): the volume a table is expected to reach.'),
    writeHeavy: z.array(z.string().min(1)).default([]).describe("Tables (paths or patterns) declared as write-heavy: many inserts per second."),
    setup: z
      .array(z.string().min(1))
      .default([])
      .describe("SQL run in the engine before the input and not checked, for what the migration runner itself prepares (e.g. CREATE SCHEMA auth)."),
    failOn: z.enum(["error", "warning", "info", "never"]).optional().describe("Exit 1 when a finding is at or above this severity (default: warning)."),
    pgVersion: z
      .number()
      .int()
      .min(13)
      .max(18)
      .optional()
      .describe("PostgreSQL major (13-18) the project deploys: the SQL runs on real PostgreSQL of that major and the lock model assumes it, as --pg-version does (the option wins)."),
    conventions: conventionsSchema.default({}).describe("Conventions the team pins instead of letting schemawise infer them (`schemawise conventions` shows both)."),
    data: dataSchema.default({ tables: {} }).describe("Value distributions for `schemawise seed` (docs/seed.md)."),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type DataConfig = z.infer<typeof dataSchema>;
export type DataColumnConfig = z.infer<typeof dataColumn>;
export type RuleSetting = z.infer<typeof ruleSetting>;
