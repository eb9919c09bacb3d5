import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnLabel, examples, isNewSchema } from "./_evidence.js";
import { designTables } from "./_shared.js";
import { checksOn, columnMatcher, describeType, resolveType, STRING_TYPES, viewNote } from "./_types.js";
import { on } from "../subject.js";

/** Postgres' address types: a schema that uses them for most of its addresses has made inet its habit. */
const ADDRESS_TYPES = new Set(["inet", "cidr"]);

const IP_NAMES = [
  "ip", "*_ip", "ip_address", "*_ip_address", "ip_addr", "*_ip_addr", "ipaddress", "ipaddr",
  "ipv4", "ipv6", "*_ipv4", "*_ipv6", "ipv4_address", "ipv6_address", "remote_addr", "remote_address", "client_addr",
];

export default defineRule({
  meta: {
    id: "ip-address-as-text",
    category: "types",
    severity: "info",
    summary: "Store IP addresses as inet rather than text.",
    rationale:
      "A text column accepts anything, so garbage, ports, whitespace and several spellings of one IPv6 address end up side by side and equality or GROUP BY on the address quietly splits one client into many. inet validates on input, normalises IPv6, takes 7 or 19 bytes instead of up to 40 characters, and brings the network operators (<<, >>=, masklen) with GiST indexes for questions like \"which requests came from this /24\". Many teams keep addresses as text on purpose (a header value shown in an audit trail, one migration shared with engines that have no inet type), so in an established schema the rule reports text addresses only when inet is the schema's habit: at least as many of its address columns are inet or cidr as are text. A new schema (fewer than five tables) gets the advice by default. The rule guesses from column names; ignore it when the column really holds something else, such as a header value that may list several addresses, or an address that was anonymised into a non-address string.",
    badExample: "CREATE TABLE sessions (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  ip_address varchar(45)\n);",
    goodExample: "CREATE TABLE sessions (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  ip_address inet\n);",
    fix: "Convert the column with ALTER COLUMN ... TYPE inet USING col::inet after cleaning out values that are not addresses (empty strings, 'unknown', ports).",
  },
  options: z
    .object({
      names: z.array(z.string().min(1)).default(IP_NAMES).describe("Column-name patterns of IP addresses (`*` within a name; camelCase names are matched in snake_case too); replaces the built-in list."),
    })
    .strict(),
  check({ model, options, report }) {
    const isIpName = columnMatcher(options.names.filter((n) => !n.includes(".")));
    const tables = designTables(model);
    const typed = tables.flatMap((table) => table.columns.filter((c) => !c.isArray && ADDRESS_TYPES.has(resolveType(model, c).base)).map((c) => columnLabel(table, c.name)));
    const asText = tables.flatMap((table) => table.columns.filter((c) => !c.isArray && !c.generated && isIpName(table, c) && STRING_TYPES.has(resolveType(model, c).base)).map((c) => ({ table, column: c })));
    // Header values shown in audit trails, or a schema shared with engines that have no inet: keeping
    // addresses as text is a common decision. Only where inet is the schema's habit is a text one a slip.
    if (!isNewSchema(model) && typed.length < asText.length) return;
    const habit = typed.length > 0 ? ` The schema stores ${typed.length === 1 ? "another address" : `${typed.length} other addresses`} as inet (${examples(typed)}).` : "";
    for (const { table, column } of asText) {
      const resolved = resolveType(model, column);
      const name = quoteIdent(column.name);
      const target = qualified(table.schema, table.name);
      const views = viewNote(model, table, column);
      const steps: string[] = [];
      // A text default such as '' cannot be cast to inet: ALTER COLUMN TYPE would fail on it.
      if (column.default !== null) steps.push(`ALTER TABLE ${target} ALTER COLUMN ${name} DROP DEFAULT;`);
      // CHECKs written for text (length, regex) would not apply to inet.
      for (const check of checksOn(table, column)) steps.push(`ALTER TABLE ${target} DROP CONSTRAINT ${quoteIdent(check.name)};`);
      steps.push(`ALTER TABLE ${target} ALTER COLUMN ${name} TYPE inet USING ${name}::inet;`);
      const extra = [
        column.default !== null ? `its default (${column.default}) is dropped first` : "",
        checksOn(table, column).length > 0 ? "CHECKs written for the text form are dropped" : "",
      ].filter(Boolean);
      report({
        on: on.column(table, column),
        message: `Column ${table.name}.${column.name} (${describeType(resolved, column)}) looks like an IP address (guessed from the name) but is stored as text: nothing validates it, equal addresses can be spelled differently, and network operators and GiST indexes are not available; inet is the type for it.${habit}`,
        fix: {
          description: `Convert to inet (a table rewrite under an ACCESS EXCLUSIVE lock; the cast fails on any value that is not an address, so clean those up or set them to NULL first${extra.length ? `; ${extra.join(", ")}` : ""}).${views.note}`,
          sql: views.sql + steps.join("\n"),
        },
      });
    }
  },
});
