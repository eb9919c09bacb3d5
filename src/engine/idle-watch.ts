/**
 * Stops a schemawise cluster once no run has used it for the idle time: started detached by
 * ensureCluster as `idle-watch <cluster dir> <bindir> <idle seconds>`. It exits when the cluster
 * stops by other means (`schemawise engine stop`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { socketUrl } from "./cluster.js";

const [dir, bindir, idleText] = process.argv.slice(2);
const idleMs = Number(idleText) * 1000;

async function openSessions(): Promise<number> {
  const client = new pg.Client({ connectionString: socketUrl(dir!), application_name: "schemawise idle-watch" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const rows = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    return Number(rows.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

function stop(): void {
  const owner = statSync(join(dir!, "data"));
  spawnSync(join(bindir!, "pg_ctl"), ["-D", join(dir!, "data"), "-m", "fast", "-w", "stop"], {
    stdio: "ignore",
    ...(process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {}),
  });
}

async function watch(): Promise<void> {
  const period = Math.max(1000, Math.min(30_000, idleMs / 4));
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, period));
    if (!existsSync(join(dir!, "data", "postmaster.pid"))) return;
    const lastUsed = existsSync(join(dir!, "last-used")) ? statSync(join(dir!, "last-used")).mtimeMs : 0;
    if (Date.now() - lastUsed < idleMs) continue;
    try {
      if ((await openSessions()) > 0) continue;
    } catch {
      return;
    }
    stop();
    return;
  }
}

if (dir && bindir && Number.isFinite(idleMs)) await watch();
