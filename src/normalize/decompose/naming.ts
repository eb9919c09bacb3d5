import { pluralName, singularName, snakeName } from "../../checks/rules/_modelling.js";

const IDENTIFYING_SUFFIX = /_(id|code|no|num|number|key|ref|uuid|name)$/;

/** A table name for an entity identified by these columns: department_id → department. */
export function entityName(columns: string[]): string {
  const stems = columns.map((name) => {
    const snake = snakeName(name);
    const stripped = snake.replace(IDENTIFYING_SUFFIX, "");
    return stripped && stripped !== snake ? stripped : snake;
  });
  return singularName(stems.join("_")).slice(0, 63);
}

export function tableName(name: string): string {
  return snakeName(name).replace(/[^a-z0-9_]/g, "_").replace(/^(\d)/, "t_$1").slice(0, 63) || "data";
}

/** The child table of a multi-valued column: contact + phone_numbers → contact_phone_numbers. */
export function childTableName(owner: string, item: string): string {
  return `${singularName(owner)}_${pluralName(item)}`.slice(0, 63);
}

export function itemColumnName(column: string): string {
  return singularName(snakeName(column));
}

/** A name not yet taken: department, department_2, … */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
  taken.add(candidate);
  return candidate;
}
