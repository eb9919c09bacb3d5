import { z } from "zod";
import { qualified, quoteIdent } from "../../sql/text.js";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { createdEarlierInFile, type Ctx } from "./_shared.js";

/** ALTER DOMAIN … ADD CONSTRAINT: the domain's name parts and the constraint. */
function addedDomainConstraint(ctx: Ctx) {
  const alter = changesOfKind(ctx.changes, "alter-domain")[0];
  return alter?.action === "add-constraint" && alter.constraint ? { domain: alter.domain, con: alter.constraint } : undefined;
}


export default defineMigrationRule({
  meta: {
    id: "domain-constraint-not-valid",
    category: "locking",
    severity: "warning",
    summary: "ALTER DOMAIN … ADD CONSTRAINT checks every column of that domain in every table before it returns.",
    rationale:
      "A constraint added to a domain must hold for every value already stored in a column of that domain, so PostgreSQL reads each table that uses it, holding a SHARE lock on it (reads go on, every write waits) for the length of the scan, table after table, until the migration commits. Added NOT VALID, the constraint is instant and applies to new values at once. Checking the stored values is then a separate step, ALTER DOMAIN … VALIDATE CONSTRAINT, which you can run when writes are few: unlike VALIDATE on a table constraint it still takes SHARE on each table (measured on PostgreSQL 15 to 18), so it blocks writes while it scans. Where that is too long, keep the domain constraint NOT VALID and prove the stored values with table CHECK constraints (NOT VALID, then VALIDATE, which does not block writes). A domain created in the same migration has no column yet and is not reported.",
    badExample: "ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);",
    goodExample:
      "ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0) NOT VALID;\n-- later, at a quiet time (it still blocks writes while it scans)\nALTER DOMAIN positive_amount VALIDATE CONSTRAINT positive_amount_check;",
    fix: "Add the domain constraint NOT VALID; run ALTER DOMAIN … VALIDATE CONSTRAINT separately when writes are few, or prove the stored values with table CHECKs.",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    return addedDomainConstraint(ctx)?.con.notValid === true;
  },
  check(ctx) {
    const added = addedDomainConstraint(ctx);
    if (!added || added.con.notValid || added.con.kind !== "check") return;
    // A domain the same file created has no column yet.
    const named = (c: { schema?: string; name: string }) => [c.schema, c.name].filter(Boolean).join(".") === added.domain.join(".");
    if (createdEarlierInFile(ctx, (c) => c.kind === "create-object" && c.object === "domain" && named(c.name))) return;
    const domain = added.domain.length > 1 ? qualified(added.domain[0]!, added.domain[1]!) : quoteIdent(added.domain[0]!);
    const name = added.con.name;
    const text = ctx.statement.sql.replace(/;\s*$/, "").trimEnd();
    ctx.report({
      message: `ADD CONSTRAINT on domain ${added.domain.join(".")} checks every stored value of the domain first, holding SHARE on each table with a column of it: writes to those tables wait for the scans.`,
      fix: {
        description: name
          ? "Add it NOT VALID (instant; new values are checked at once), and validate the stored ones separately when writes are few: the validation still blocks writes to each table using the domain while it scans."
          : "Name the constraint and add it NOT VALID (instant; new values are checked at once); validate the stored ones separately when writes are few, as the validation still blocks writes while it scans.",
        sql: name
          ? `${text} NOT VALID;\n-- later, when writes are few (SHARE on each table using the domain while it scans)\nALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${quoteIdent(name)};`
          : `ALTER DOMAIN ${domain} ADD CONSTRAINT ${quoteIdent(`${added.domain.at(-1)}_check`)} ${text.slice(text.search(/\bCHECK\b/i))} NOT VALID;\n-- later, when writes are few (SHARE on each table using the domain while it scans)\nALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${quoteIdent(`${added.domain.at(-1)}_check`)};`,
      },
    });
  },
});
