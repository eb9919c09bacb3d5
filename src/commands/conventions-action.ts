import { conventionHints, loadSchema } from "../pipeline/load.js";
import { conventionsJson, formatConventions } from "../checks/conventions/format.js";
import { inferConventions } from "../checks/conventions/infer.js";
import { checkInputs, engineChoice, EXIT, loadCommandConfig, refuseEngineWithUrl } from "./shared.js";
import type { ConventionsFlags } from "./conventions.js";

export async function runConventions(paths: string[], flags: ConventionsFlags): Promise<number> {
  refuseEngineWithUrl(flags);
  const config = await loadCommandConfig(flags, paths);
  await checkInputs(paths, config);
  const loaded = await loadSchema({ paths, ...(flags.url ? { url: flags.url } : {}), ...engineChoice(flags) }, config);
  const conventions = inferConventions(loaded.model, conventionHints(loaded), config.conventions);
  process.stdout.write(flags.format === "json" ? `${JSON.stringify(conventionsJson(conventions), null, 2)}\n` : formatConventions(conventions));
  return EXIT.ok;
}
