/**
 * Placeholder rendering for templated migration SQL.
 *
 * Supported forms:
 * - Go templates (golang-migrate based tools such as supabase auth):
 *   `{{ index .Options "Name" }}`, `{{ .Options.Name }}` and `{{ .Name }}`
 *   (the `{{- `/` -}}` trim markers are accepted but do not trim, see below).
 *   Only text that is a Go template action counts: after `{{` (and an optional trim marker) a
 *   field or variable (`.Name`, `.`, `$x`), a comment (`/*`), or a keyword or builtin function
 *   (`if`, `end`, `index`, `printf`…). SQL array literals such as `'{{1,2},{3,4}}'` or `'{{a,b}}'`
 *   are none of these and are left as written, without a report.
 * - Flyway placeholders `${name}`, only when `flywayPlaceholders` is set,
 *   because `${` can legitimately occur in SQL for other runners.
 * - psql variables (Graphile Migrate, `psql -v`): `:name` (the value as is), `:'name'` (as a
 *   quoted literal) and `:"name"` (as a quoted identifier), found by the splitter's lexer, so
 *   never inside quotes, dollar quotes or comments, never `::` casts or meta-command lines. As
 *   in psql, `:name` with no value is left as written; outside `[…]` (array slices such as
 *   `a[lo:hi]`) it is reported as unresolved, and parse.ts skips the statements using it.
 *
 * Rendering never changes the number of lines: line breaks inside values are replaced by
 * spaces, and Go template trim markers do not remove surrounding whitespace. A psql value
 * shorter than its placeholder is padded with spaces, so the columns after it stay right;
 * otherwise columns shift on the rendered line.
 */
import { psqlLiteral, quoteIdentAlways } from "../sql/text.js";
import { splitSql } from "./split.js";

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

/** `{{…}}` on one line, never across another `{{` (so `'{{a,b}' || '{{ .X }}'` finds `{{ .X }}`). */
const GO_ACTION = /\{\{((?:(?!\{\{)[^\n])*?)\}\}/g;
/** How a Go template action begins (text/template's lexer): a field, a variable, a comment, a keyword or builtin. */
const GO_ACTION_START =
  /^(?:\.(?:[A-Za-z_]|\s|$)|\$|\/\*|(?:if|else|end|range|with|define|block|template|break|continue|index|printf|print|println|len|not|and|or|eq|ne|lt|le|gt|ge|slice|call|html|js|urlquery)(?:\s|$))/;
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
    out = out.replace(GO_ACTION, (whole, inner: string) => {
      const expr = goActionExpression(inner);
      // Not a template action (an array literal such as '{{1,2},{3,4}}'): SQL, kept as written.
      if (expr === undefined) return whole;
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
  if (out.includes(":")) out = renderPsqlVariables(out, lookup, miss);
  return { text: out, unresolved };
}

function renderPsqlVariables(
  text: string,
  lookup: (name: string) => string | undefined,
  miss: (name: string) => void,
): string {
  let out = "";
  let last = 0;
  for (const ref of splitSql(text).psqlVariables) {
    const value = lookup(ref.name);
    if (value === undefined) {
      if (!ref.inBrackets) miss(ref.name);
      continue;
    }
    const rendered = keepLines(ref.quote === "'" ? psqlLiteral(value) : ref.quote === '"' ? quoteIdentAlways(value) : value);
    const written = ref.end - ref.start;
    out += text.slice(last, ref.start) + rendered + " ".repeat(Math.max(0, written - rendered.length));
    last = ref.end;
  }
  return last === 0 ? text : out + text.slice(last);
}


/**
 * The expression of a Go template action, without its trim markers (`{{- ` and ` -}}`: in Go a
 * trim marker needs the space, `{{-1}}` is the number -1), or undefined when the text between
 * the braces is not an action.
 */
function goActionExpression(inner: string): string | undefined {
  let body = inner;
  if (/^-\s/.test(body)) body = body.slice(1);
  if (/\s-$/.test(body)) body = body.slice(0, -1);
  const expr = body.trim();
  return GO_ACTION_START.test(expr) ? expr : undefined;
}

/** Values must not add lines, or every later line number in the file would be off. */
function keepLines(value: string): string {
  return value.replace(/\r\n|[\r\n]/g, " ");
}
