/** Writes docs/rules/<id>.md for every rule from its metadata: `npm run docs`. */
import { mkdirSync, writeFileSync } from "node:fs";
import { ruleDocs } from "../test/helpers/rule-docs.js";

mkdirSync("docs/rules", { recursive: true });
for (const [path, text] of ruleDocs()) writeFileSync(path, text);
console.log(`wrote ${ruleDocs().size} rule pages to docs/rules/`);
