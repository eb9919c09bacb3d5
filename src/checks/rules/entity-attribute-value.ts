import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { on } from "../subject.js";
import {
  findTable,
  foreignKeys,
  ident,
  isBookkeepingColumn,
  isTextColumn,
  newIdent,
  primaryKeyColumns,
  singularName,
  tableSql,
} from "./_modelling.js";

/** Last words that make a column the attribute's name: attribute, attr_name, property_key, field… */
const ATTRIBUTE_WORDS = new Set(["attribute", "attr", "property", "prop", "field", "key", "name"]);
/** Words before "name"/"key" that say the name is an attribute's name (attribute_name, setting_key). */
const ATTRIBUTE_QUALIFIERS = new Set(["attribute", "attr", "property", "prop", "field", "param", "parameter", "setting", "option", "pref", "preference", "meta", "metadata", "custom"]);
/**
 * Last words of a table name that say it holds an entity's settings (project_metadata, user_preferences,
 * team_settings): a small bag of options the application reads whole, a deliberate key-value design.
 */
const SETTINGS_WORDS = new Set(["setting", "settings", "metadata", "meta", "config", "configs", "configuration", "configurations", "preference", "preferences", "prefs", "option", "options"]);
/** Value columns that come in before/after pairs belong to change logs, not attribute stores. */
const CHANGE_LOG_WORDS = new Set(["old", "new", "previous", "prev", "before", "after", "original"]);

function isValueName(parts: string[]): boolean {
  const last = parts[parts.length - 1];
  if (parts.length === 1) return last === "value" || last === "val";
  if (last === "value" || last === "val") return true;
  return parts[0] === "value" && parts.length === 2 && (parts[1] === "text" || parts[1] === "string");
}

/** The prefix a column name shares with the value column ("setting" in setting_key/setting_value). */
function prefixOf(parts: string[]): string {
  return parts.slice(0, -1).join("_");
}

function isAttributeName(parts: string[], valuePrefix: string): boolean {
  const last = parts[parts.length - 1] ?? "";
  if (!ATTRIBUTE_WORDS.has(last)) return false;
  if (parts.length === 1) return true;
  if (last !== "name" && last !== "key") return true; // custom_attribute, user_property, form_field
  const before = parts.slice(0, -1);
  return before.some((word) => ATTRIBUTE_QUALIFIERS.has(word)) || (valuePrefix !== "" && prefixOf(parts) === valuePrefix);
}

interface Shape {
  entity: Column;
  attribute: Column;
  value: Column;
  entityTable: Table | undefined;
  entityKey: string | undefined;
  others: Column[];
}

export default defineRule({
  meta: {
    id: "entity-attribute-value",
    category: "modelling",
    severity: "warning",
    summary: "A table of (entity, attribute name, text value) rows stores a schema inside the data.",
    rationale:
      "An entity-attribute-value table turns each property of a thing into a row of strings. The database can then no longer type the values, require an attribute, keep one within a range or point it at another table, so bad data gets in silently; rebuilding one entity takes a pivot with a self-join or filtered aggregate per attribute, and the planner has no useful statistics for attribute-specific filters. A jsonb document per entity (with a CHECK on its shape and a GIN index) keeps the flexibility and makes reads one row, and attributes that are known in advance belong in real columns or typed subtype tables. It is fine to keep when the keys are genuinely the user's own data, such as arbitrary labels, HTTP headers or environment variables that are only ever read back as a whole, and for an entity's settings (a table named *_settings, *_metadata, *_preferences, *_options, *_config): a small bag of options the application reads whole is a deliberate key-value design, which the rule leaves alone.",
    badExample:
      "CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\nCREATE TABLE product_attributes (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  product_id bigint NOT NULL REFERENCES products (id),\n  attribute_name text NOT NULL,\n  attribute_value text\n);",
    goodExample:
      "CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\nALTER TABLE products\n  ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'\n  CONSTRAINT products_attributes_is_object CHECK (jsonb_typeof(attributes) = 'object');\nCREATE INDEX products_attributes_idx ON products USING gin (attributes jsonb_path_ops);\n-- or, for attributes every product of a kind has: CREATE TABLE books (product_id bigint PRIMARY KEY REFERENCES products, isbn text NOT NULL, pages integer CHECK (pages > 0));",
    fix: "Move the attributes into a jsonb column on the entity (CHECK that it is an object, GIN index for containment queries), or into real typed columns / subtype tables for the attributes the application relies on; then drop the attribute table.",
  },
  options: z
    .object({
      maxOtherColumns: z
        .number()
        .int()
        .min(0)
        .default(4)
        .describe("Most columns a table may have besides the entity reference, attribute, value, primary key and timestamps and still count as an attribute table."),
    })
    .strict(),
  check({ model, options, report }) {
    for (const table of designTables(model)) {
      if (SETTINGS_WORDS.has(wordParts(table.name).at(-1) ?? "")) continue;
      const shape = findShape(table);
      if (!shape || shape.others.length > options.maxOtherColumns) continue;
      const { entity, attribute, value, entityTable, entityKey } = shape;
      const target = entityTable ? `${entityTable.schema}.${entityTable.name}` : null;
      const referenceNote = target ? `references ${target}` : `no foreign key; guessed to be the entity reference from its name`;
      report({
        on: on.table(table),
        message: `Table ${table.schema}.${table.name} looks like an entity-attribute-value store (judged from its column names): ${entity.name} (${referenceNote}) names the entity, ${attribute.name} the attribute and ${value.name} holds the value as ${value.type}, so values cannot be typed or constrained per attribute.`,
        fix: {
          description: target
            ? `Keep the attributes as one jsonb document per row of ${target} (CHECK that it is an object, GIN index), copy them over, then drop ${table.name}; give attributes the application filters or relies on real typed columns instead.`
            : `Keep one jsonb document per entity (CHECK that it is an object, GIN index), copy the rows into it, then drop ${table.name}; give attributes the application filters or relies on real typed columns instead.`,
          sql: fixSql(table, shape, entityTable, entityKey),
        },
      });
    }

    function findShape(table: Table): Shape | undefined {
      const pk = new Set(primaryKeyColumns(table).map((c) => c.name));
      const fks = foreignKeys(table);
      const values = table.columns.filter((c) => isTextColumn(c) && isValueName(wordParts(c.name)) && !c.generated);
      const valueLike = table.columns.filter((c) => wordParts(c.name).some((w) => w === "value" || w === "val"));
      // Two value columns of a before/after pair make a field-level change log.
      if (valueLike.some((c) => CHANGE_LOG_WORDS.has(wordParts(c.name)[0] ?? ""))) return undefined;
      if (values.length !== 1) return undefined;
      const value = values[0]!;
      const valuePrefix = prefixOf(wordParts(value.name));
      const attributes = table.columns.filter((c) => c !== value && isTextColumn(c) && !fkColumn(c) && isAttributeName(wordParts(c.name), valuePrefix));
      if (attributes.length !== 1) return undefined;
      const attribute = attributes[0]!;
      // The entity: a single-column foreign key to another table, or else a <x>_id column.
      const candidates = table.columns.filter((c) => c !== value && c !== attribute && !(pk.has(c.name) && pk.size === 1 && c.name === "id"));
      const referencing = candidates.filter((c) => fks.some((fk) => fk.columns.length === 1 && fk.columns[0] === c.name && !selfReference(fk.foreignKey!)));
      const named = candidates.filter((c) => wordParts(c.name).length > 1 && wordParts(c.name).at(-1) === "id" && !c.isArray);
      const entity = referencing[0] ?? (named.length === 1 ? named[0] : undefined);
      if (!entity) return undefined;
      const fk = fks.find((f) => f.columns.length === 1 && f.columns[0] === entity.name);
      const entityTable = fk ? findTable(model, fk.foreignKey!.referencedSchema, fk.foreignKey!.referencedTable) : undefined;
      const entityKey = fk?.foreignKey!.referencedColumns[0];
      const used = new Set([entity.name, attribute.name, value.name]);
      const others = table.columns.filter((c) => !used.has(c.name) && !(pk.has(c.name) && pk.size === 1) && !isBookkeepingColumn(c));
      return { entity, attribute, value, entityTable, entityKey, others };

      function fkColumn(c: Column): boolean {
        return fks.some((f) => f.columns.includes(c.name));
      }
      function selfReference(info: { referencedSchema: string; referencedTable: string }): boolean {
        return info.referencedSchema === table.schema && info.referencedTable === table.name;
      }
    }
  },
});

function fixSql(table: Table, shape: Shape, entityTable: Table | undefined, entityKey: string | undefined): string {
  const { entity, attribute, value } = shape;
  const source = tableSql(table);
  const aggregate = `jsonb_object_agg(${ident(attribute.name)}, ${ident(value.name)})`;
  const filter = `WHERE ${ident(attribute.name)} IS NOT NULL`;
  if (entityTable && entityKey) {
    const taken = new Set(entityTable.columns.map((c) => c.name));
    const columnName = taken.has("attributes") ? `${singularName(table.name)}_attributes` : "attributes";
    const target = tableSql(entityTable);
    const col = newIdent(columnName);
    return [
      `ALTER TABLE ${target}`,
      `  ADD COLUMN ${col} jsonb NOT NULL DEFAULT '{}'`,
      `  CONSTRAINT ${newIdent(`${entityTable.name}_${columnName}_is_object`)} CHECK (jsonb_typeof(${col}) = 'object');`,
      `UPDATE ${target} AS e SET ${col} = a.doc`,
      `FROM (SELECT ${ident(entity.name)}, ${aggregate} AS doc FROM ${source} ${filter} GROUP BY ${ident(entity.name)}) AS a`,
      `WHERE e.${ident(entityKey)} = a.${ident(entity.name)};`,
      `CREATE INDEX ${newIdent(`${entityTable.name}_${columnName}_idx`)} ON ${target} USING gin (${col} jsonb_path_ops);`,
      `-- after the application reads ${entityTable.name}.${columnName}:`,
      `-- DROP TABLE ${source};`,
    ].join("\n");
  }
  const name = `${singularName(table.name)}_documents`;
  const target = table.schema === "public" ? newIdent(name) : `${ident(table.schema)}.${newIdent(name)}`;
  return [
    `CREATE TABLE ${target} (`,
    `  ${ident(entity.name)} ${entity.type} PRIMARY KEY, -- add REFERENCES <entity table> once known`,
    `  attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object')`,
    `);`,
    `INSERT INTO ${target} (${ident(entity.name)}, attributes)`,
    `SELECT ${ident(entity.name)}, ${aggregate} FROM ${source} ${filter} AND ${ident(entity.name)} IS NOT NULL GROUP BY ${ident(entity.name)};`,
    `CREATE INDEX ${newIdent(`${name}_attributes_idx`)} ON ${target} USING gin (attributes jsonb_path_ops);`,
    `-- DROP TABLE ${source};`,
  ].join("\n");
}
