import type { Engine } from "../../engine/types.js";
import { parseTableName, readTable, tableColumns } from "./table.js";
import type { NormalizeInput } from "./types.js";
import { wholeTable } from "./whole-table.js";

export interface TableInputOptions {
  table: string;
  sampleRows: number;
  nullEqualsNull: boolean;
}

/** A table of a live database, read inside a READ ONLY transaction; large tables are sampled. */
export async function liveInput(url: string, options: TableInputOptions): Promise<NormalizeInput> {
  const { createLiveEngine, redactUrl } = await import("../../engine/server.js");
  const engine = await createLiveEngine(url);
  try {
    const description = `${redactUrl(url)}#${options.table}`;
    return { ...(await tableInput(engine, options, description)), kind: "live" };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

export async function tableInput(engine: Engine, options: TableInputOptions, description: string): Promise<Omit<NormalizeInput, "kind">> {
  const name = parseTableName(options.table);
  const columns = await tableColumns(engine, name);
  const { relation, totalRows, sample } = await readTable(engine, name, columns, { sampleRows: options.sampleRows, source: description });
  return {
    relation,
    source: { kind: "table", schema: name.schema, table: name.table },
    description,
    declaredTypes: columns.map((c) => c.type),
    ...(sample ? { sample, wholeTable: wholeTable(engine, name, columns, totalRows, options.nullEqualsNull) } : {}),
    engine,
    close: () => engine.close(),
  };
}
