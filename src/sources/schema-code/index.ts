/**
 * Schemas written as code (Drizzle, Prisma): each is turned into SQL by its own tool, that SQL runs
 * like any schema file, and the findings are moved back to the lines the team edits, with the fix
 * in the schema's language beside the SQL one.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Finding, Member } from "../../checks/types.js";
import type { Plan } from "../runners/folder.js";
import type { SourceLocation } from "../types.js";
import { findDrizzleInput, generateDrizzle } from "./drizzle.js";
import { findPrismaInput, generatePrisma } from "./prisma.js";
import { objectOfFinding, sqlObjects, type GeneratedObjects } from "./sql-objects.js";
import type { SchemaCode, SchemaTool, SqlObject } from "./types.js";

export interface SchemaCodePlan {
  plan: Plan;
  description: string;
  /** The schema files it was generated from. */
  files: string[];
}

interface Generated extends GeneratedObjects {
  code: SchemaCode;
}

/**
 * The generated SQL of this run, by the name its statements carry. Findings are computed on that
 * SQL by the unchanged pipeline and relocated once at the end (relocateFindings).
 */
const generated = new Map<string, Generated>();

/**
 * The plan for a Drizzle or Prisma schema (a file, a folder of them, a project folder with
 * drizzle.config.*), or undefined when the path is none. A folder of SQL files stays a SQL input.
 */
export async function schemaCodePlan(userPath: string, isFolder: boolean, hasSql: boolean): Promise<SchemaCodePlan | undefined> {
  // Commands resolve their inputs more than once (the input check, then the load): generate once
  // while the schema files stay as they were.
  const key = `${path.resolve(userPath)}\0${isFolder}\0${hasSql}`;
  const cached = plans.get(key);
  if (cached && sameStamps(cached.stamps, await stamps(cached.plan.files))) return cached.plan;
  const plan = await planSchemaCode(userPath, isFolder, hasSql);
  if (plan) plans.set(key, { plan, stamps: await stamps(plan.files) });
  return plan;
}

const plans = new Map<string, { plan: SchemaCodePlan; stamps: number[] }>();

function stamps(files: string[]): Promise<number[]> {
  return Promise.all(files.map(async (file) => (await fs.stat(file).catch(() => undefined))?.mtimeMs ?? -1));
}

function sameStamps(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((stamp, i) => stamp === b[i]);
}

async function planSchemaCode(userPath: string, isFolder: boolean, hasSql: boolean): Promise<SchemaCodePlan | undefined> {
  const prisma = await findPrismaInput(userPath, isFolder, hasSql);
  const drizzle = prisma ? undefined : await findDrizzleInput(userPath, isFolder, hasSql);
  const code = prisma ? await generatePrisma(prisma) : drizzle ? await generateDrizzle(drizzle) : undefined;
  if (!code) return undefined;
  const display = `${code.files[0]} (as SQL)`;
  generated.set(display, { code, ...(await sqlObjects(code.sql)) });
  return {
    plan: { layout: "sql-files", entries: [{ display, abs: display, text: code.sql }], skipped: [] },
    description: code.description,
    files: code.files,
  };
}

/** The ORM that generated the SQL of these files, when one did (a Drizzle or Prisma schema). */
export function schemaCodeTool(files: string[]): SchemaTool | undefined {
  return files.map((file) => generated.get(file)?.code.tool).find((tool) => tool !== undefined);
}

/** Findings located in generated SQL, moved to where the schema code writes their object. */
export function relocateFindings(findings: Finding[]): Finding[] {
  if (generated.size === 0) return findings;
  return findings.flatMap((finding) => {
    const source = finding.location ? generated.get(finding.location.file) : undefined;
    if (!source) return [finding];
    // A finding about a statement (Postgres rejected it) belongs to what that statement writes: its line says which.
    const atLine = finding.object.kind === "statement" ? source.objectAt(finding.location!.line) : undefined;
    const object =
      atLine ?? objectOfFinding(source.objects, finding.object.kind, finding.object.path) ?? tableOf(source, finding.object.path) ?? source.objectAt(finding.location!.line);
    const site = source.code.site(object, finding.ruleId);
    if (site?.covered) return [];
    const location = site?.location ?? fileStart(source.code.files[0]!);
    const relocated: Finding = { ...finding, location };
    if (site?.fix) relocated.fix = { ...finding.fix, description: `In ${location.file}: ${site.fix}. In SQL: ${finding.fix.description}` };
    if (finding.members) relocated.members = finding.members.map((member) => relocateMember(member, source));
    return [relocated];
  });
}

function relocateMember(member: Member, source: Generated): Member {
  if (!member.location || !generated.has(member.location.file)) return member;
  const object = source.objects.get(member.path.split(".").slice(1).join(".")) ?? objectOfFinding(source.objects, "column", member.path) ?? tableOf(source, member.path);
  const site = object ? source.code.site(object, "") : undefined;
  return { ...member, location: site?.location ?? fileStart(source.code.files[0]!) };
}

function tableOf(source: Generated, objectPath: string): SqlObject | undefined {
  const table = objectPath.split(".")[1];
  return table ? source.objects.get(table) : undefined;
}

function fileStart(file: string): SourceLocation {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
