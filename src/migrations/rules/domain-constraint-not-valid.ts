import { z } from "zod";
import { qualified, quoteIdent } from "../../sql/text.js";
import { defineMigrationRule } from "../types.js";
import { fileContexts, list, names, obj, str, type Ctx } from "./_shared.js";

/** ALTER DOMAIN … ADD CONSTRAINT: the domain's name parts and the constraint node. */
function addedDomainConstraint(ctx: Ctx) {
  const ast = ctx.statement.ast;
  if (ctx.statement.kind !== "AlterDomainStmt" || ast?.["subtype"] !== "C") return undefined;
  const con = obj(obj(ast["def"])?.["Constraint"]);
  if (!con) return undefined;
  return { domain: names(ast["typeName"]), con };
}

/** A domain the same file created: no column uses it yet. */
function createdEarlierInFile(ctx: Ctx, domain: string[]): boolean {
  const file = fileContexts(ctx);
  const before = file.slice(0, file.findIndex((c) => c.statement === ctx.statement));
  return before.some((c) => c.statement.kind === "CreateDomainStmt" && names(c.statement.ast?.["domainname"]).join(".") === domain.join("."));
}

export default defineMigrationRule({
  meta: {
    id: "domain-constraint-not-valid",
    category: "locking",
    severity: "warning",
    summary: "ALTER DOMAIN … ADD CONSTRAINT checks every column of that domain in every table before it returns.",
    rationale:
      "A constraint added to a domain must hold for every value already stored in a column of that domain, so PostgreSQL reads each table that uses it, holding a SHARE lock on it (reads go on, every write waits) for the length of the scan, table after table, until the statement commits. Added NOT VALID, the constraint applies to new values at once and the old ones are checked later by ALTER DOMAIN … VALIDATE CONSTRAINT, which does not block writes. A domain created in the same migration has no column yet and is not reported.",
    badExample: "ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);",
    goodExample:
      "ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0) NOT VALID;\n-- next migration\nALTER DOMAIN positive_amount VALIDATE CONSTRAINT positive_amount_check;",
    fix: "Add the domain constraint NOT VALID, then ALTER DOMAIN … VALIDATE CONSTRAINT in a later migration.",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    return addedDomainConstraint(ctx)?.con["skip_validation"] === true;
  },
  check(ctx, _options, report) {
    const added = addedDomainConstraint(ctx);
    if (!added || added.con["skip_validation"] === true || str(added.con["contype"]) !== "CONSTR_CHECK") return;
    if (createdEarlierInFile(ctx, added.domain)) return;
    const domain = added.domain.length > 1 ? qualified(added.domain[0]!, added.domain[1]!) : quoteIdent(added.domain[0]!);
    const name = str(added.con["conname"]);
    const text = ctx.statement.sql.replace(/;\s*$/, "").trimEnd();
    report({
      message: `ADD CONSTRAINT on domain ${added.domain.join(".")} checks every stored value of the domain first, holding SHARE on each table with a column of it: writes to those tables wait for the scans.`,
      fix: {
        description: name
          ? "Add it NOT VALID (new values are checked at once), then validate the stored ones in a later migration without blocking writes."
          : "Name the constraint, add it NOT VALID (new values are checked at once), then validate the stored ones in a later migration.",
        sql: name
          ? `${text} NOT VALID;\n-- later migration\nALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${quoteIdent(name)};`
          : `ALTER DOMAIN ${domain} ADD CONSTRAINT ${quoteIdent(`${added.domain.at(-1)}_check`)} ${text.slice(text.search(/\bCHECK\b/i))} NOT VALID;\n-- later migration\nALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${quoteIdent(`${added.domain.at(-1)}_check`)};`,
      },
    });
  },
});
