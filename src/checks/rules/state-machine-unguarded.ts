import { z } from "zod";
import { quoteLiteral, raiseText } from "../../sql/text.js";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier, wordParts } from "./_shared.js";
import { beforeUpdateRowTriggers, mentions, nameMatcher, rejectsUpdates, stripComments, triggerArguments, triggerFunction } from "./_temporal.js";
import { on } from "../subject.js";

/** The closed set of values a column can take, and where it comes from. */
interface StateSet {
  values: string[];
  /** Literal SQL for each value. */
  literals: string[];
  source: string;
  /** Type for the columns of a transition table. */
  sqlType: string;
  /** Enum or domain name: columns of the same type share the set. */
  typeKey: string | null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The values of a membership test as pg_get_constraintdef prints it: `status = ANY (ARRAY['a'::text, …])`,
 * or `status = 'a' OR status = 'b'`, optionally allowing NULL. Anything else (ranges, other columns,
 * functions) is not a plain value list.
 */
export function listedValues(expression: string, subject: string): { values: string[]; literals: string[] } | undefined {
  const values: string[] = [];
  const literals: string[] = [];
  const bare = expression.replace(/^\s*CHECK\s*/i, "").replace(/\s+NOT VALID\s*$/i, "");
  let text = bare.replace(/'(?:[^']|'')*'/g, (literal) => {
    values.push(literal.slice(1, -1).replace(/''/g, "'"));
    literals.push(literal);
    return " L ";
  });
  text = text.replace(
    /::\s*(?:"[^"]+"|[\w.]+)(?:\s+(?:varying|precision|without time zone|with time zone))?(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])*/gi,
    "",
  );
  text = text.replace(/(?<![\w$"])-?\d+(?:\.\d+)?(?![\w$"])/g, (number) => {
    values.push(number);
    literals.push(number);
    return " L ";
  });
  const name = /^[a-z_][a-z0-9_$]*$/i.test(subject) ? `(?:"${escapeRegExp(subject)}"|${escapeRegExp(subject)})` : `"${escapeRegExp(subject)}"`;
  text = text.replace(new RegExp(`(?<![\\w$"])${name}(?![\\w$"])`, "gi"), " C ");
  const skeleton = text.replace(/[()\s]/g, "").toUpperCase();
  const list = /^(?:CISNULLOR)?C=ANYARRAY\[L(?:,L)*\](?:ORCISNULL)?$/.test(skeleton) || /^(?:CISNULLOR)?C=L(?:ORC=L)+(?:ORCISNULL)?$/.test(skeleton);
  return list && values.length > 0 ? { values, literals } : undefined;
}

function stateSet(model: SchemaModel, table: Table, column: Column): StateSet | undefined {
  if (column.isArray) return undefined;
  const enumType = model.enums.find((e) => e.name === column.baseTypeName && (column.typeName !== column.baseTypeName || e.schema === column.typeSchema));
  if (enumType) {
    return {
      values: enumType.values,
      literals: enumType.values.map(quoteLiteral),
      source: `enum ${enumType.name}`,
      sqlType: qualified(enumType.schema, enumType.name),
      typeKey: `${column.typeSchema}.${column.typeName}`,
    };
  }
  const domain = model.domains.find((d) => d.schema === column.typeSchema && d.name === column.typeName);
  for (const check of domain?.checks ?? []) {
    const listed = listedValues(check.expression, "VALUE");
    if (listed) return { ...listed, source: `domain ${domain!.name}`, sqlType: qualified(domain!.schema, domain!.name), typeKey: `${domain!.schema}.${domain!.name}` };
  }
  for (const check of table.constraints) {
    if (check.type !== "check" || check.columns.length !== 1 || check.columns[0] !== column.name || !check.checkExpression) continue;
    const listed = listedValues(check.checkExpression, column.name);
    if (listed) return { ...listed, source: `CHECK ${check.name}`, sqlType: column.type, typeKey: null };
  }
  return undefined;
}

/** A BEFORE UPDATE row trigger that looks at the previous value of the column. */
function guardedByTrigger(model: SchemaModel, table: Table, column: Column): boolean {
  return beforeUpdateRowTriggers(table, column.name).some((trigger) => {
    const head = trigger.definition.replace(/EXECUTE (?:FUNCTION|PROCEDURE).*$/s, "");
    if (mentions(head, column.name, "OLD")) return true; // WHEN (OLD.status IS DISTINCT FROM NEW.status)
    const fn = triggerFunction(model, trigger);
    const passesColumn = mentions(triggerArguments(trigger), column.name);
    if (!fn) return passesColumn; // an extension or C function told which column to watch
    const body = stripComments(fn.body);
    return mentions(body, column.name, "OLD") || (passesColumn && /\bOLD\b/i.test(body));
  });
}

/** A foreign key from (…, column, …) to a table with two columns of the state type: a list of allowed moves. */
function guardedByTransitionTable(model: SchemaModel, table: Table, column: Column): boolean {
  return table.constraints.some((c) => {
    if (c.type !== "foreign-key" || !c.foreignKey || c.columns.length < 2 || !c.columns.includes(column.name)) return false;
    const fk = c.foreignKey;
    const target = model.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
    const referenced = fk.referencedColumns.map((name) => target?.columns.find((col) => col.name === name));
    return referenced.filter((col) => col !== undefined && col.typeName === column.typeName && col.typeSchema === column.typeSchema).length >= 2;
  });
}

/** Lower-case words of a state value: "PAST_DUE" -> "past_due", "inProgress" -> "in_progress". */
function stateWords(value: string): string {
  return wordParts(value).join("_");
}

/** "void" ~ "voided", "cancel" ~ "cancelled" ~ "canceled", "paid" ~ "paid". */
function sameState(a: string, b: string): boolean {
  const norm = (x: string) => x.replace(/ll/g, "l");
  const [x, y] = [norm(a), norm(b)];
  return x === y || `${x}ed` === y || `${x}d` === y || `${y}ed` === x || `${y}d` === x;
}

const TIMESTAMP_SUFFIXES = new Set(["at", "on", "date", "time", "timestamp"]);

/** Columns that record when the row reached a given state: paid_at, shippedAt, voided_on. */
function stateTimestamps(table: Table, set: StateSet): string[] {
  const found: string[] = [];
  for (const value of set.values) {
    const state = stateWords(value);
    if (!state) continue;
    const column = table.columns.find((c) => {
      if (c.typeCategory !== "D") return false;
      const parts = wordParts(c.name);
      const last = parts[parts.length - 1];
      return parts.length >= 2 && last !== undefined && TIMESTAMP_SUFFIXES.has(last) && sameState(parts.slice(0, -1).join("_"), state);
    });
    if (column && !found.includes(column.name)) found.push(column.name);
  }
  return found;
}

/**
 * What shows that the moves between states matter to this schema, or undefined: a history table
 * that references the table and records the same states, a trigger that reads the previous state
 * (to log it), or timestamps that record when the row reached two or more of its states.
 */
function transitionsMatter(model: SchemaModel, table: Table, column: Column, set: StateSet): string | undefined {
  for (const other of model.tables) {
    if (other === table) continue;
    const references = other.constraints.some(
      (c) => c.type === "foreign-key" && c.foreignKey?.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name,
    );
    if (!references) continue;
    const recorded = other.columns.find((c) => {
      if (set.typeKey !== null) return `${c.typeSchema}.${c.typeName}` === set.typeKey;
      const otherSet = stateSet(model, other, c);
      return otherSet !== undefined && [...otherSet.values].sort().join("\u0000") === [...set.values].sort().join("\u0000");
    });
    if (recorded) return `table ${other.name} records its states (${recorded.name})`;
  }
  const logger = table.triggers.find((trigger) => {
    if (trigger.timing !== "after" || trigger.level !== "row" || !trigger.events.includes("update")) return false;
    const fn = triggerFunction(model, trigger);
    return fn !== undefined && mentions(stripComments(fn.body), column.name, "OLD");
  });
  if (logger) return `trigger ${logger.name} reads the previous ${column.name}`;
  const stamps = stateTimestamps(table, set);
  if (stamps.length >= 2) return `timestamps per state: ${stamps.join(", ")}`;
  return undefined;
}

export default defineRule({
  meta: {
    id: "state-machine-unguarded",
    category: "modelling",
    severity: "info",
    summary: "A status column with a fixed set of states should also restrict which moves between states are allowed.",
    rationale:
      "An enum or CHECK keeps a status among the known states, but not on a valid path: a retried job, a race between two requests or a hand-written UPDATE can move an order from cancelled back to paid or from pending straight to delivered, and downstream effects (refunds, shipping, e-mails) then run for a state the entity never properly reached. Listing the allowed moves in a transition table and checking them in a BEFORE UPDATE trigger makes the database refuse an impossible move. The column is found by its name (status, state, *_status, *_state); states with only two values, or far more than a lifecycle has, are skipped. A list of states alone does not make a state machine worth policing in the database: the rule reports a column only when the schema shows the moves matter, through a history table that references the table and records the same states, a trigger that reads the previous state to log it, or timestamps recording when the row reached two or more of its states (paid_at, shipped_at). Fine to ignore when every move between states is legitimate, or when the status is only ever written by one well-tested state machine in the application.",
    badExample:
      "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status order_status NOT NULL DEFAULT 'pending',\n  paid_at timestamptz,\n  shipped_at timestamptz\n);",
    goodExample:
      "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');\nCREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  status order_status NOT NULL DEFAULT 'pending',\n  paid_at timestamptz,\n  shipped_at timestamptz\n);\nCREATE TABLE order_status_transitions (\n  from_status order_status NOT NULL,\n  to_status order_status NOT NULL,\n  PRIMARY KEY (from_status, to_status)\n);\nINSERT INTO order_status_transitions VALUES ('pending', 'paid'), ('pending', 'cancelled'), ('paid', 'shipped');\nCREATE FUNCTION orders_guard_status() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (\n       SELECT 1 FROM order_status_transitions t WHERE t.from_status = OLD.status AND t.to_status = NEW.status) THEN\n    RAISE EXCEPTION 'order %: status cannot go from % to %', OLD.id, OLD.status, NEW.status;\n  END IF;\n  RETURN NEW;\nEND $$;\nCREATE TRIGGER orders_guard_status BEFORE UPDATE OF status ON orders\n  FOR EACH ROW EXECUTE FUNCTION orders_guard_status();",
    fix: "Create a transition table listing the allowed (from, to) pairs and a BEFORE UPDATE OF <column> trigger that refuses any change not listed; or reference the transition table with a foreign key on (previous_status, status).",
  },
  options: z
    .object({
      columns: z
        .array(z.string().min(1))
        .default(["status", "state", "*_status", "*_state"])
        .describe('Names of state columns, as globs compared in snake_case ("orderStatus" matches "*_status").'),
      minStates: z.number().int().min(2).default(3).describe("Fewer states than this are skipped: with two states every move is usually allowed."),
      maxStates: z.number().int().min(2).default(20).describe("More states than this are skipped: large sets are classifications (region codes), not lifecycles."),
    })
    .strict(),
  check({ model, options, report }) {
    const isStateName = nameMatcher(options.columns);
    for (const table of designTables(model)) {
      const primary = table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
      const candidates = table.columns
        .filter((c) => isStateName(c.name) && c.generated === null && !primary.includes(c.name))
        .map((column) => ({ column, set: stateSet(model, table, column) }))
        .filter((c): c is { column: Column; set: StateSet } => c.set !== undefined);
      if (candidates.length === 0 || rejectsUpdates(model, table)) continue;
      for (const { column, set } of candidates) {
        if (set.values.length < options.minStates || set.values.length > options.maxStates) continue;
        // Two columns over the same set (from_status, to_status) record moves; they are not an entity's state.
        const sameSet = table.columns.filter((other) => {
          if (other === column) return false;
          if (set.typeKey !== null) return `${other.typeSchema}.${other.typeName}` === set.typeKey;
          const otherSet = stateSet(model, table, other);
          return otherSet !== undefined && [...otherSet.values].sort().join("\u0000") === [...set.values].sort().join("\u0000");
        });
        if (sameSet.length > 0) continue;
        if (guardedByTrigger(model, table, column) || guardedByTransitionTable(model, table, column)) continue;
        // A status with a list of states is not a state machine the database should police unless
        // the schema shows that the path between states matters.
        const evidence = transitionsMatter(model, table, column, set);
        if (!evidence) continue;
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} holds one of ${set.values.length} states (${set.source}: ${preview(set.values)}) and the schema shows that the moves between them matter (${evidence}), but nothing limits those moves: no BEFORE UPDATE trigger reads OLD.${column.name} and no foreign key points to a transition table, so any state can follow any other (a state column guessed from its name).`,
          fix: {
            description: `Create a transition table for ${column.name}, pre-filled with every move so that nothing breaks yet; delete the moves that must never happen. A BEFORE UPDATE OF ${column.name} trigger then refuses any change that is not listed (\`schemawise pattern state-machine\` writes it with a history table).`,
            sql: fixSql(table, column, set),
          },
        });
      }
    }
  },
});

function preview(values: string[]): string {
  return values.length <= 6 ? values.join(", ") : `${values.slice(0, 5).join(", ")}, …`;
}

function fixSql(table: Table, column: Column, set: StateSet): string {
  const snake = wordParts(column.name).join("_");
  const transitions = qualified(table.schema, identifier(`${table.name}_${snake}_transitions`));
  const fn = qualified(table.schema, identifier(`${table.name}_guard_${snake}`));
  const trigger = quoteIdent(identifier(`${table.name}_guard_${snake}`));
  const [from, to] = [quoteIdent(`from_${snake}`), quoteIdent(`to_${snake}`)];
  const col = quoteIdent(column.name);
  const rows = set.literals.map((a, i) =>
    set.literals
      .filter((_, j) => j !== i)
      .map((b) => `(${a}, ${b})`)
      .join(", "),
  );
  const nullable = column.notNull ? "" : `OLD.${col} IS NOT NULL AND NEW.${col} IS NOT NULL\n     AND `;
  return [
    `CREATE TABLE ${transitions} (`,
    `  ${from} ${set.sqlType} NOT NULL,`,
    `  ${to} ${set.sqlType} NOT NULL,`,
    `  PRIMARY KEY (${from}, ${to})`,
    `);`,
    `-- Every move is allowed for now: delete the rows for moves that must never happen.`,
    `INSERT INTO ${transitions} (${from}, ${to}) VALUES`,
    rows.map((r) => `  ${r}`).join(",\n") + ";",
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    `BEGIN`,
    `  IF ${nullable}NEW.${col} IS DISTINCT FROM OLD.${col} AND NOT EXISTS (`,
    `       SELECT 1 FROM ${transitions} t WHERE t.${from} = OLD.${col} AND t.${to} = NEW.${col}) THEN`,
    `    RAISE EXCEPTION '${raiseText(table.name)}.${raiseText(column.name)} cannot change from % to %', OLD.${col}, NEW.${col}`,
    `      USING ERRCODE = 'check_violation';`,
    `  END IF;`,
    `  RETURN NEW;`,
    `END $$;`,
    `CREATE TRIGGER ${trigger} BEFORE UPDATE OF ${col} ON ${qualified(table.schema, table.name)}`,
    `  FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
  ].join("\n");
}
