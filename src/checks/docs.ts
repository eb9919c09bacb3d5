import type { OptionDoc } from "./options-doc.js";
import type { RuleMeta } from "./types.js";

/** The documentation page of one rule (docs/rules/<id>.md), generated from its metadata. */
export function ruleDocPage(meta: RuleMeta, options: OptionDoc[]): string {
  return [
    `# ${meta.id}`,
    "",
    `Category: **${meta.category}** · default severity: **${meta.severity}**`,
    "",
    meta.summary,
    "",
    "## Why it matters",
    "",
    meta.rationale,
    "",
    "## Bad",
    "",
    "```sql",
    meta.badExample,
    "```",
    "",
    "## Good",
    "",
    "```sql",
    meta.goodExample,
    "```",
    "",
    "## Fix",
    "",
    meta.fix,
    "",
    "## Configuration",
    "",
    ...optionsSection(meta, options),
    "```yaml",
    "# schemawise.config.yaml",
    "rules:",
    `  ${meta.id}: off   # or error | warning | info`,
    ...(options.length > 0 ? [`  # or: ${meta.id}: { severity: ${meta.severity}, options: { ${options[0]!.name}: ${options[0]!.defaultValue} } }`] : []),
    "```",
    "",
    "Suppress one statement with a comment on or above it:",
    "",
    "```sql",
    `-- schemawise-ignore ${meta.id}: <why this case is fine>`,
    "```",
    "",
  ].join("\n");
}

function optionsSection(meta: RuleMeta, options: OptionDoc[]): string[] {
  if (options.length === 0) return ["This rule has no options.", ""];
  return [
    "| option | accepts | default |",
    "| --- | --- | --- |",
    ...options.map((o) => `| \`${o.name}\` | \`${o.accepts.replace(/\|/g, "\\|")}\` | \`${o.defaultValue}\` |`),
    "",
  ];
}
