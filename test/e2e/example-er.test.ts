import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";

for (const example of ["blog", "ecommerce", "drizzle", "prisma"]) {
  test(`examples/${example}/README.md shows the schema's current ER diagram`, () => {
    const drawn = runCli(["check", `examples/${example}`, "--format", "mermaid"]);
    assert.equal(drawn.code, 0, drawn.stderr);
    const readme = readFileSync(`examples/${example}/README.md`, "utf8");
    const shown = /```mermaid\n([\s\S]*?)\n```/.exec(readme)?.[1];
    assert.ok(shown, "the README has a mermaid block");
    assert.equal(shown, drawn.stdout.trim(), "regenerate it with: schemawise check examples/" + example + " --format mermaid");
  });
}
