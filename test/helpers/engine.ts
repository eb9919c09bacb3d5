import { findBinaries } from "../../src/engine/binaries.js";
import { ensureCluster } from "../../src/engine/cluster.js";
import { createEmbeddedEngine } from "../../src/engine/embedded.js";
import { createScratchEngine } from "../../src/engine/server.js";
import type { Engine } from "../../src/engine/types.js";

/**
 * The engine the unit tests run their cases in: PostgreSQL 18 (the major PGlite embeds) in the warm
 * local cluster when its binaries are here — one cluster per test process, a database per case,
 * four times faster than starting PGlite per case — else PGlite, as `schemawise check` runs.
 * SCHEMAWISE_TEST_ENGINE=pglite forces PGlite.
 */
let clusterUrl: Promise<string | undefined> | undefined;

export async function caseEngine(extensions: string[]): Promise<Engine> {
  clusterUrl ??= (async () => {
    const binaries = process.env.SCHEMAWISE_TEST_ENGINE === "pglite" ? undefined : findBinaries(18);
    return binaries ? (await ensureCluster(binaries)).url : undefined;
  })();
  const url = await clusterUrl;
  return url ? createScratchEngine(url) : createEmbeddedEngine({ extensions });
}

