import type { SchemaModel, Table } from "../catalog/model.js";
import { globToRegExp } from "./glob.js";

/** What is known about a table's size and write load, declared in the config or measured live. */
export interface TableFacts {
  /** Rows the table has (live estimate) or is declared to reach, the larger of the two; undefined when neither is known. */
  rows(table: Table): { rows: number; source: "declared" | "live" } | undefined;
  /** Declared write-heavy, or measured above WRITES_PER_SECOND on a live database; undefined when unknown. */
  writeHeavy(table: Table): { heavy: boolean; source: "declared" | "live" } | undefined;
}

/** Average writes per second since the statistics reset above which a live table counts as write-heavy. */
export const WRITES_PER_SECOND = 10;

/** Rows declared in the config (`volumes`) for a "schema.table" path; undefined when none matches. */
export function declaredRows(volumes: Record<string, number>): (tablePath: string) => number | undefined {
  const patterns = Object.entries(volumes).map(([pattern, rows]) => ({ matches: pathMatcher(pattern), rows }));
  return (tablePath) => patterns.find((p) => p.matches(tablePath))?.rows;
}

export function tableFacts(model: SchemaModel, declared: { volumes: Record<string, number>; writeHeavy: string[] }, now = Date.now()): TableFacts {
  const rowsOf = declaredRows(declared.volumes);
  const heavy = declared.writeHeavy.map(pathMatcher);
  const statsAgeSeconds = model.stats?.statsResetAt ? (now - Date.parse(model.stats.statsResetAt)) / 1000 : undefined;
  return {
    rows(table) {
      const declaredRows = rowsOf(pathOf(table));
      const liveRows = table.rowEstimate;
      if (declaredRows === undefined && liveRows === undefined) return undefined;
      if (liveRows === undefined || (declaredRows !== undefined && declaredRows >= liveRows)) return { rows: declaredRows!, source: "declared" };
      return { rows: liveRows, source: "live" };
    },
    writeHeavy(table) {
      if (heavy.some((matches) => matches(pathOf(table)))) return { heavy: true, source: "declared" };
      if (!table.live || !statsAgeSeconds || statsAgeSeconds <= 0) return undefined;
      return { heavy: table.live.writes / statsAgeSeconds > WRITES_PER_SECOND, source: "live" };
    },
  };
}

/** "events" matches a table of that name in any schema; "public.events" and globs match the path. */
function pathMatcher(pattern: string): (tablePath: string) => boolean {
  const regex = globToRegExp(pattern.includes(".") ? pattern : `*.${pattern}`, { children: false });
  return (tablePath) => regex.test(tablePath);
}

function pathOf(table: Table): string {
  return `${table.schema}.${table.name}`;
}
