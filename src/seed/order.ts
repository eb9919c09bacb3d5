import type { Constraint, SchemaModel, Table } from "../catalog/model.js";
import { tablePath } from "./sql.js";

export interface ForeignKey {
  table: Table;
  constraint: Constraint;
  parent: Table;
}

export interface FillOrder {
  /** Tables in the order they are filled: parents before children. */
  tables: Table[];
  /** Foreign keys inserted as NULL and filled by an UPDATE once the parent has rows (they close a cycle). */
  deferred: ForeignKey[];
  /** Tables that cannot be filled: a cycle of NOT NULL foreign keys, with the message. */
  blocked: Map<string, string>;
}

export function foreignKeys(table: Table, model: SchemaModel): ForeignKey[] {
  return table.constraints.flatMap((constraint) => {
    const fk = constraint.foreignKey;
    if (constraint.type !== "foreign-key" || !fk) return [];
    const parent = model.tables.find((t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable);
    return parent ? [{ table, constraint, parent }] : [];
  });
}

export function isNullable(fk: ForeignKey): boolean {
  return fk.constraint.columns.some((name) => !fk.table.columns.find((c) => c.name === name)?.notNull);
}

/**
 * Orders tables so every parent is filled before its children. Within a cycle, nullable foreign
 * keys are deferred (NULL first, UPDATE later); a cycle of NOT NULL keys blocks its tables.
 */
export function fillOrder(tables: Table[], model: SchemaModel): FillOrder {
  const byPath = new Map(tables.map((t) => [tablePath(t), t]));
  const edges = new Map<string, ForeignKey[]>();
  for (const table of tables) {
    edges.set(tablePath(table), foreignKeys(table, model).filter((fk) => fk.parent !== table && byPath.has(tablePath(fk.parent))));
  }
  const deferred: ForeignKey[] = [];
  const blocked = new Map<string, string>();
  const order: Table[] = [];
  for (const component of stronglyConnected([...byPath.keys()], (path) => edges.get(path)!.map((fk) => tablePath(fk.parent)))) {
    if (component.length === 1) {
      order.push(byPath.get(component[0]!)!);
      continue;
    }
    const inside = new Set(component);
    const kept = new Map<string, string[]>();
    for (const path of component) {
      const internal = edges.get(path)!.filter((fk) => inside.has(tablePath(fk.parent)));
      deferred.push(...internal.filter(isNullable));
      kept.set(path, internal.filter((fk) => !isNullable(fk)).map((fk) => tablePath(fk.parent)));
    }
    const sorted = topological(component, (path) => kept.get(path)!);
    for (const path of sorted.order) order.push(byPath.get(path)!);
    for (const path of sorted.cyclic) {
      blocked.set(path, `foreign keys with NOT NULL columns form a cycle (${sorted.cyclic.join(" → ")}): no row can be inserted first`);
      order.push(byPath.get(path)!);
    }
  }
  return { tables: order, deferred, blocked };
}

/** Tarjan's algorithm; components come out dependencies first. */
function stronglyConnected(nodes: string[], next: (node: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const target of next(node)) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      out.push(component.reverse());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return out;
}

function topological(nodes: string[], dependsOn: (node: string) => string[]): { order: string[]; cyclic: string[] } {
  const done = new Set<string>();
  const order: string[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const node of nodes) {
      if (done.has(node) || !dependsOn(node).every((d) => done.has(d) || d === node)) continue;
      done.add(node);
      order.push(node);
      progress = true;
    }
  }
  return { order, cyclic: nodes.filter((n) => !done.has(n)) };
}
