#!/usr/bin/env node
import { statSync } from "node:fs";

// The bundle (npm run build) starts faster; a dist/ compiled after it (tsc alone) wins, so a stale bundle never runs.
const modified = (file) => statSync(new URL(file, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const entry = modified("../dist/bundle/cli.js") >= modified("../dist/cli.js") ? "../dist/bundle/cli.js" : "../dist/cli.js";
const { main } = await import(entry);

await main(process.argv);
