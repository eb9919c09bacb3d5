/**
 * Bundles the compiled modules (dist/) into a few files under dist/bundle, which the CLI starts from:
 * Node then loads a handful of modules instead of ~240, about 0.3–0.4 s less per run (BENCHMARKS.md).
 * Packages stay external (they find their own files); code loaded on demand stays in chunks of its own.
 * The idle watcher and the normalize worker are entry points too: the code starts them by a path
 * next to itself.
 */
import { build } from "esbuild";

await build({
  entryPoints: {
    cli: "dist/cli.js",
    "idle-watch": "dist/engine/idle-watch.js",
    "validate-worker": "dist/normalize/discovery/validate-worker.js",
  },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
