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

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** Per rule: "off", a severity, or { severity, options }. */
    rules: z.record(z.string(), ruleSetting).default({}),
    /** Findings to drop, by object path glob (`*` matches within a name part, `**` across parts). */
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
      .default([]),
    /** Values for template placeholders in migration files (e.g. Namespace: auth). */
    variables: z.record(z.string(), z.string()).default({}),
    /** Declared table sizes in rows, by table path or pattern ("public.events", "*.audit_*"): the volume a table is expected to reach. */
    volumes: z.record(z.string(), z.number().int().nonnegative()).default({}),
    /** Tables (paths or patterns) declared as write-heavy: many inserts per second. */
    writeHeavy: z.array(z.string().min(1)).default([]),
    /** SQL run in the engine before the input and not checked, for what the runner itself prepares (e.g. CREATE SCHEMA auth). */
    setup: z.array(z.string().min(1)).default([]),
    failOn: z.enum(["error", "warning", "info", "never"]).optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type RuleSetting = z.infer<typeof ruleSetting>;
