/** Writes docs/rules/<id>.md for every rule and docs/patterns/<name>.md for every pattern from their metadata: `npm run docs`. */
import { mkdirSync, writeFileSync } from "node:fs";
import { patternDocs, ruleDocs } from "../test/helpers/rule-docs.js";

mkdirSync("docs/rules", { recursive: true });
for (const [path, text] of ruleDocs()) writeFileSync(path, text);
console.log(`wrote ${ruleDocs().size} rule pages to docs/rules/`);
mkdirSync("docs/patterns", { recursive: true });
for (const [path, text] of patternDocs()) writeFileSync(path, text);
console.log(`wrote ${patternDocs().size} pattern pages to docs/patterns/`);
