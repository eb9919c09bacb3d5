/**
 * The sources stage: the input's paths resolved into ordered files (the runner's layout), each
 * statement parsed once with the Postgres parser, with its file:line:col.
 */
import type { Config } from "../config/schema.js";
import { UserError } from "../engine/types.js";
import { resolveInputs, type LayoutResult } from "../sources/layouts.js";
import { ensureParser, parseFile } from "../sources/parse.js";
import type { OrderedFile, SkippedInput, SourceSet, Statement } from "../sources/types.js";

/** Files resolved once and parsed once (the parse runs while engines start), for every stage that reads them. */
export interface PreparedSources {
  layout: LayoutResult;
  sources: Promise<SourceSet>;
}

export async function prepareSources(paths: string[] | undefined, config: Config): Promise<PreparedSources> {
  if (!paths?.length) throw new UserError("nothing to check: give SQL files or folders, or --url <postgres url>");
  const layout = await resolveLayout(paths, config);
  const sources = parseSources(layout, paths);
  sources.catch(() => undefined);
  return { layout, sources };
}

/** Resolves paths into ordered files and parses every statement with the Postgres parser. */
export async function readSources(paths: string[], config: Config): Promise<SourceSet> {
  return parseSources(await resolveLayout(paths, config), paths);
}

export async function resolveLayout(paths: string[], config: Config): Promise<LayoutResult> {
  try {
    return await resolveInputs(paths, { variables: config.variables });
  } catch (error) {
    if (error instanceof Error && error.name === "InputError") throw new UserError(error.message);
    throw error;
  }
}

export async function parseSources(layout: LayoutResult, paths: string[]): Promise<SourceSet> {
  await ensureParser();
  return parseSourcesNow(layout, paths);
}

/** parseSources once the parser is loaded (`ensureParser()`), for a caller that parses on first use. */
export function parseSourcesNow(layout: LayoutResult, paths: string[]): SourceSet {
  const statements: Statement[] = [];
  const skipped: SkippedInput[] = [...layout.skipped];
  for (const file of layout.files) {
    const parsed = parseFile(file, statements.length);
    statements.push(...parsed.statements);
    skipped.push(...parsed.skipped);
  }
  if (layout.unresolvedVariables.length > 0) {
    skipped.push({
      location: { file: layout.files[0]?.path ?? paths[0]!, line: 1, column: 1, endLine: 1, endColumn: 1 },
      what: `template placeholders ${layout.unresolvedVariables.map((v) => `"${v}"`).join(", ")}`,
      reason: `no value given, so statements using them fail; set them under "variables" in the config or with --var (e.g. --var ${layout.unresolvedVariables[0]}=auth)`,
    });
  }
  return { layout: layout.layout, description: layout.description, statements, skipped, files: layout.files.map((f) => f.path) };
}

/**
 * Extensions the input creates, found in the text (also inside DO blocks, which the parser
 * does not look into) so the embedded engine can load their bundles up front.
 */
export function extensionsIn(files: OrderedFile[]): string[] {
  const names = new Set<string>();
  const pattern = /create\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"([^"]+)"|([\w-]+))/gi;
  for (const file of files) for (const match of file.text.matchAll(pattern)) names.add((match[1] ?? match[2]!).toLowerCase());
  return [...names];
}
