/**
 * What a plan read from one side, kept by content: the catalog model, function definitions,
 * partition constraints and security of a side's SQL, as schemawise's warm local cluster built it.
 * The next plan with a side whose files, setup and engine are the same reads it back instead of
 * loading the SQL again (a 200-table schema takes over a second to create and read). The key covers
 * the layout, the setup, every file's path and text, the PostgreSQL build, schemawise's version
 * and the code that reads the catalog, so any change to one of them is a miss.
 */
import { createHash } from "node:crypto";
import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SchemaModel } from "../catalog/model.js";
import { findBinaries, SUPPORTED_MAJORS } from "../engine/binaries.js";
import { cacheDirectory } from "../engine/cache-dir.js";
import { beyondNewest, saveAtomically } from "../engine/cache-files.js";
import type { LoadedSchema } from "../pipeline/load.js";
import type { LayoutName, OrderedFile } from "../sources/types.js";
import { VERSION } from "../version.js";
import type { Security } from "./security.js";

/** Bump when what an entry holds changes meaning. */
const FORMAT = "schemawise-plan-side-v1";
/** Entries kept; the least recently written are deleted first. */
const MAX_ENTRIES = 24;

/** What is kept of a loaded side (its sources are parsed again: they are cheap and hold parse trees). */
export interface KeptSide {
  model: SchemaModel;
  definitions: Map<string, string>;
  partitionChecks: Map<string, string>;
  security: Security;
  engineKind: LoadedSchema["engineKind"];
  engineInfo?: LoadedSchema["engineInfo"];
}

interface Entry {
  format: string;
  model: SchemaModel;
  definitions: [string, string][];
  partitionChecks: [string, string][];
  security: Security;
  engineKind: LoadedSchema["engineKind"];
  engineInfo?: LoadedSchema["engineInfo"];
}

/**
 * The PostgreSQL build a side would load on, when it is schemawise's warm local cluster (the machine
 * has the binaries of the major): only then is the engine known before it starts. A named server
 * (--engine) may change under the same URL, and PGlite costs more to start than the cache saves.
 */
export function clusterIdentity(request: { pgVersion?: number; engineUrl?: string; daemon?: boolean }): string | undefined {
  if (request.engineUrl || request.daemon === false) return undefined;
  const binaries = findBinaries(request.pgVersion ?? SUPPORTED_MAJORS.at(-1)!);
  return binaries ? `${binaries.version}\0${binaries.bindir}` : undefined;
}

export async function sideKey(identity: string, layout: LayoutName, files: OrderedFile[], setup: string[]): Promise<string> {
  const hash = createHash("sha256").update(`${FORMAT}\0${VERSION}\0${await codeStamp()}\0${identity}\0${JSON.stringify([layout, setup])}`);
  for (const file of files) hash.update(`\0${file.path}\0${file.text.length}\0${file.text}`);
  return hash.digest("hex");
}

export async function readKeptSide(key: string): Promise<KeptSide | undefined> {
  try {
    const entry = JSON.parse(await readFile(entryPath(key), "utf8")) as Entry;
    if (entry.format !== FORMAT) return undefined;
    return {
      model: entry.model,
      definitions: new Map(entry.definitions),
      partitionChecks: new Map(entry.partitionChecks),
      security: entry.security,
      engineKind: entry.engineKind,
      ...(entry.engineInfo ? { engineInfo: entry.engineInfo } : {}),
    };
  } catch {
    return undefined;
  }
}

export async function keepSide(key: string, side: KeptSide): Promise<void> {
  const entry: Entry = {
    format: FORMAT,
    model: side.model,
    definitions: [...side.definitions],
    partitionChecks: [...side.partitionChecks],
    security: side.security,
    engineKind: side.engineKind,
    ...(side.engineInfo ? { engineInfo: side.engineInfo } : {}),
  };
  await saveAtomically(entryPath(key), JSON.stringify(entry));
  for (const name of await beyondNewest(folder(), ".json", MAX_ENTRIES)) await rm(join(folder(), name), { force: true }).catch(() => undefined);
}

function folder(): string {
  return join(cacheDirectory(), "plan-sides");
}

function entryPath(key: string): string {
  return join(folder(), `${key}.json`);
}

/**
 * The modules that decide what a side reads as: the catalog reader, the plan's own reads, the load.
 * From the sources or dist/, each file; from the bundle, this module's chunk, which every build
 * writes again. An edit or a rebuild changes a size or a time, and with it every key.
 */
const CODE = ["../catalog/introspect", "../catalog/queries", "../catalog/locate", "./routines", "./partitions", "./security", "../pipeline/load", "../engine/apply"];

let stamp: Promise<string> | undefined;

function codeStamp(): Promise<string> {
  stamp ??= (async () => {
    const here = fileURLToPath(import.meta.url);
    const extension = here.slice(here.lastIndexOf("."));
    const files = CODE.map((name) => fileURLToPath(new URL(`${name}${extension}`, import.meta.url)));
    const stamps = await Promise.all([here, ...files].map(async (file) => {
      const info = await stat(file).catch(() => undefined);
      return info ? `${info.size}:${info.mtimeMs}` : "-";
    }));
    return stamps.join(",");
  })();
  return stamp;
}
