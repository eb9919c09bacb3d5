import { tablePath, type Constraint, type SchemaModel, type Table } from "../catalog/model.js";

/** One foreign key seen as an edge of the entity-relationship diagram. */
export interface Relation {
  constraint: Constraint;
  child: Table;
  parent: Table;
  childColumns: string[];
  parentColumns: string[];
  /** A child row may have no parent: some referencing column is nullable. */
  optionalParent: boolean;
  /** At most one child per parent: the referencing columns are exactly a primary key or unique constraint. */
  oneToOne: boolean;
  /** The child's primary key includes the referencing columns: the child's identity depends on the parent. */
  identifying: boolean;
}

/** The tables of the diagram: partitions are drawn as their partitioned table. */
export function diagramTables(model: SchemaModel): Table[] {
  return model.tables.filter((table) => !table.partitionOf);
}

export { tablePath };

/** Every foreign key between tables of the diagram, with the cardinalities its keys and nullability give. */
export function relations(model: SchemaModel): Relation[] {
  const tables = diagramTables(model);
  const byPath = new Map(tables.map((table) => [tablePath(table), table]));
  return tables.flatMap((child) =>
    child.constraints.flatMap((constraint): Relation[] => {
      const fk = constraint.foreignKey;
      const parent = fk && byPath.get(`${fk.referencedSchema}.${fk.referencedTable}`);
      if (constraint.type !== "foreign-key" || !fk || !parent) return [];
      const columns = constraint.columns;
      const keys = child.constraints.filter((c) => c.type === "primary-key" || c.type === "unique");
      const primary = child.constraints.find((c) => c.type === "primary-key");
      return [
        {
          constraint,
          child,
          parent,
          childColumns: columns,
          parentColumns: fk.referencedColumns,
          optionalParent: columns.some((name) => !child.columns.find((c) => c.name === name)?.notNull),
          oneToOne: keys.some((key) => key.columns.length === columns.length && key.columns.every((name) => columns.includes(name))),
          identifying: Boolean(primary && columns.every((name) => primary.columns.includes(name))),
        },
      ];
    }),
  );
}

/** Columns of a table that are its primary key, part of a foreign key, or unique on their own. */
export function columnKeys(table: Table): Map<string, Set<"PK" | "FK" | "UK">> {
  const keys = new Map<string, Set<"PK" | "FK" | "UK">>(table.columns.map((c) => [c.name, new Set()]));
  for (const constraint of table.constraints) {
    const kind = constraint.type === "primary-key" ? "PK" : constraint.type === "foreign-key" ? "FK" : constraint.type === "unique" && constraint.columns.length === 1 ? "UK" : undefined;
    if (kind) for (const column of constraint.columns) keys.get(column)?.add(kind);
  }
  return keys;
}
