/**
 * Placeholder rendering for templated migration SQL.
 *
 * Supported forms:
 * - Go templates (golang-migrate based tools such as supabase auth):
 *   `{{ index .Options "Name" }}`, `{{ .Options.Name }}` and `{{ .Name }}`
 *   (the `{{-`/`-}}` trim markers are accepted but do not trim, see below).
 * - Flyway placeholders `${name}`, only when `flywayPlaceholders` is set,
 *   because `${` can legitimately occur in SQL for other runners.
 *
 * Rendering may change line lengths (columns shift on the rendered line) but never
 * the number of lines: line breaks inside values are replaced by spaces, and Go
 * template trim markers do not remove surrounding whitespace.
 */

export interface RenderOptions {
  /** Also substitute Flyway `${name}` placeholders. */
  flywayPlaceholders?: boolean;
}

export interface RenderResult {
  text: string;
  /**
   * Placeholder names with no value given, in order of first appearance, without
   * duplicates. Go template actions that are not a simple value lookup (`{{ if .X }}`)
   * are reported as their raw text.
   */
  unresolved: string[];
}

const GO_ACTION = /\{\{(-?)([^\n]*?)(-?)\}\}/g;
const GO_INDEX_OPTIONS = /^index\s+\.Options\s+"((?:[^"\\]|\\.)*)"$/;
const GO_OPTIONS_FIELD = /^\.Options\.([A-Za-z_][A-Za-z0-9_]*)$/;
const GO_FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;
const FLYWAY_PLACEHOLDER = /\$\{([^{}\n]+)\}/g;

export function renderVariables(
  text: string,
  variables: Record<string, string>,
  options: RenderOptions = {},
): RenderResult {
  const unresolved: string[] = [];
  const seen = new Set<string>();
  const miss = (name: string): void => {
    if (!seen.has(name)) {
      seen.add(name);
      unresolved.push(name);
    }
  };
  const lookup = (name: string): string | undefined =>
    Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;

  let out = text;
  if (out.includes("{{")) {
    out = out.replace(GO_ACTION, (whole, _l: string, body: string) => {
      const expr = body.trim();
      const name =
        GO_INDEX_OPTIONS.exec(expr)?.[1]?.replace(/\\(.)/g, "$1") ??
        GO_OPTIONS_FIELD.exec(expr)?.[1] ??
        GO_FIELD.exec(expr)?.[1];
      if (name === undefined) {
        miss(whole);
        return whole;
      }
      const value = lookup(name);
      if (value === undefined) {
        miss(name);
        return whole;
      }
      return keepLines(value);
    });
  }
  if (options.flywayPlaceholders && out.includes("${")) {
    out = out.replace(FLYWAY_PLACEHOLDER, (whole, name: string) => {
      const value = lookup(name);
      if (value === undefined) {
        miss(name);
        return whole;
      }
      return keepLines(value);
    });
  }
  return { text: out, unresolved };
}

/** Values must not add lines, or every later line number in the file would be off. */
function keepLines(value: string): string {
  return value.replace(/\r\n|[\r\n]/g, " ");
}
