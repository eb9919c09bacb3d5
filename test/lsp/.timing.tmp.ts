import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LspClient } from "./client.js";
const args = process.argv.slice(2);
const workspace = mkdtempSync(join(tmpdir(), "schemawise-lsp-t-"));
const schema = join(workspace, "schema.sql");
const text = readFileSync("examples/antipatterns/schema.sql", "utf8");
writeFileSync(schema, text);
const client = new LspClient(args);
await client.initialize(workspace);
await new Promise((r) => setTimeout(r, 5000)); // let the server start its first engine, as an editor opens a file later
let t = performance.now();
await client.open(schema, text);
let d = await client.diagnostics(schema, { version: 1 });
console.log("open", d.length, "diagnostics", Math.round(performance.now() - t), "ms");
for (let v = 2; v <= 4; v++) {
  await new Promise((r) => setTimeout(r, 4000));
  t = performance.now();
  await client.change(schema, v, text + `\n-- edit ${v}\n`);
  d = await client.diagnostics(schema, { version: v });
  console.log("change", v, d.length, "diagnostics", Math.round(performance.now() - t), "ms (incl. 500 ms debounce)");
}
console.log("exit", await client.stop());
if (client.stderr) console.log("stderr:", client.stderr.slice(0, 2000));
