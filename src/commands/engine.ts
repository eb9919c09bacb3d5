import { Command } from "commander";

/** `schemawise engine status|stop`: the local clusters schemawise started for --pg-version. */
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
}
