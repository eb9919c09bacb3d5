import { Command, Option } from "commander";
import { PLAN_LAYOUTS, type PlanLayout } from "../plan/layout.js";
import { parseRenameHint, type RenameHint } from "../plan/renames.js";
import { InvalidArgumentError } from "commander";
import { addConfigOptions, addEngineOptions, addFormatOption, addOutputOption, collect } from "./shared.js";

/** `table.column=expr` or `schema.table.column=expr`, keyed by "schema.table.column". */
function parseFill(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([^=\s]+)=(.+)$/s.exec(value);
  const parts = match?.[1]!.split(".") ?? [];
  if (!match || parts.length < 2 || parts.length > 3) throw new InvalidArgumentError(`expected TABLE.COLUMN=SQL (e.g. orders.status="'new'"), got "${value}"`);
  const key = parts.length === 2 ? `public.${parts.join(".")}` : parts.join(".");
  return { ...previous, [key]: match[2]! };
}

/** The shared report's formats that say something for a plan (src/plan/report.ts). */
const PLAN_FORMATS = ["text", "json", "markdown"] as const;
type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface PlanFlags {
  from: string[];
  to: string[];
  rename: RenameHint[];
  fill: Record<string, string>;
  renameDetection?: boolean;
  queries?: string;
  toQueries?: string;
  allowDataLoss?: boolean;
  verify?: boolean;
  out?: string;
  layout?: PlanLayout;
  engine?: string;
  format: PlanFormat;
  output?: string;
  color?: boolean;
  pgVersion?: number;
  daemon?: boolean;
  config?: string;
  var: Record<string, string>;
  setup: string[];
}

export function registerPlanCommand(program: Command): void {
  addFormatOption(addOutputOption(addConfigOptions(addEngineOptions(program.command("plan"), "the plan targets it: both schemas load on it, and the lock model assumes it"), "each schema"), "the plan"), PLAN_FORMATS)
    .description("write the expand/backfill/switch/contract migrations from the current schema to the desired one, and prove them with --verify")
    .requiredOption("--from <path|url>", "the current schema: SQL files or folders (a migration history), or a live database URL read-only (repeatable)", collect, [])
    .requiredOption("--to <path|url>", "the desired schema, in any form --from accepts (repeatable)", collect, [])
    .option("--rename <old=new>", "a rename the plan must keep data through: table (customer=customers) or column (orders.total=orders.amount); repeatable", (value: string, previous: RenameHint[]) => [...previous, parseRenameHint(value)], [])
    .option("--no-rename-detection", "renames only from --rename: a table or column gone and one added are a drop and an add, even with the same structure")
    .option("--fill <table.column=sql>", "the value existing rows get when a column becomes NOT NULL without a default, as an SQL expression over the row (e.g. versions.num_no_build=\"split_part(num, '+', 1)\"); repeatable", parseFill, {})
    .option("--allow-data-loss", "plan drops of tables and columns (left out and listed otherwise)")
    .option("--verify", "prove the plan: its files pass the migration rules, applied to the current schema it gives the desired one, and seeded rows survive")
    .option("--queries <file>", "with --verify: the current release's workload, run after expand and backfill (default: schemawise.queries.sql in the --from folder)")
    .option("--to-queries <file>", "with --verify: the new release's workload, run after contract (default: schemawise.queries.sql in the --to folder)")
    .option("--out <dir>", "write the migration files into this folder (it must not exist or be empty)")
    .addOption(new Option("--layout <runner>", "migration runner layout of the files (default: the --from history's, else numbered SQL files for psql)").choices([...PLAN_LAYOUTS]))
    .option("--no-color", "plain text output")
    .action(async (flags: PlanFlags) => {
      // Loaded on use: the other commands start without this one's modules.
      const { runPlan } = await import("./plan-action.js");
      process.exitCode = await runPlan(flags);
    });
}
