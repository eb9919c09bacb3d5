/**
 * What a design rule reports on: a catalog object, named once. `report({ on: on.column(table, column), … })`
 * derives the finding's object path, its location and the statements an inline suppression is read
 * from, the same way for every rule.
 */
import { tablePath, type Column, type Constraint, type Index, type Provenance, type Table, type View } from "../catalog/model.js";
import type { SourceLocation } from "../sources/types.js";
import type { ObjectRef } from "./types.js";

/** The object of a finding, where it is shown, and the run indexes of the statements that made it. */
export interface Subject {
  readonly object: ObjectRef;
  readonly location?: SourceLocation;
  readonly statements: readonly number[];
}

/** Anything the input made: its provenance holds where, and by which statements. */
export interface Made {
  provenance: Provenance;
}

/** A relation by name: a table, or a view for the indexes of a materialized view. */
type Relation = Pick<Table | View, "schema" | "name">;

/** A subject from the catalog, with the few ways a rule places a finding other than at the object itself. */
export class CatalogSubject implements Subject {
  constructor(
    readonly object: ObjectRef,
    readonly location: SourceLocation | undefined,
    readonly statements: readonly number[],
  ) {}

  /**
   * The finding also concerns `others` (the constraint a column's mismatch comes from, the columns of a
   * repeated group): a suppression on their statements covers it too, and it is shown at the first of
   * them with a location when the object has none.
   */
  also(...others: Made[]): CatalogSubject {
    const statements = [...new Set([...this.statements, ...others.flatMap((o) => o.provenance.statements)])];
    return new CatalogSubject(this.object, firstLocation([this, ...others.map((o) => o.provenance)]), statements);
  }

  /** Shown at `place` (a table's finding at the column it is about) when that has a location; suppressed as before. */
  at(place: Made | undefined): CatalogSubject {
    return new CatalogSubject(this.object, firstLocation([place?.provenance, this]), this.statements);
  }

  /** Shown at `place` only when the object has no location of its own (an index the input did not write out). */
  near(place: Made): CatalogSubject {
    return new CatalogSubject(this.object, firstLocation([this, place.provenance]), this.statements);
  }

  /**
   * Suppressed by the statements of `makers` instead of the object's own: a finding about a parent that the
   * parent's partitions cause, which a suppression on the partitions' statements answers.
   */
  madeBy(...makers: Made[]): CatalogSubject {
    return new CatalogSubject(this.object, this.location, [...new Set(makers.flatMap((m) => m.provenance.statements))]);
  }
}

function firstLocation(places: ({ location?: SourceLocation } | undefined)[]): SourceLocation | undefined {
  return places.find((p) => p?.location)?.location;
}

function subject(kind: ObjectRef["kind"], path: string, made: Made): CatalogSubject {
  return new CatalogSubject({ kind, path }, made.provenance.location, made.provenance.statements);
}


/** The catalog objects design rules report on. */
export const on = {
  table: (table: Table) => subject("table", tablePath(table), table),
  column: (table: Table, column: Column) => subject("column", `${tablePath(table)}.${column.name}`, column),
  /** An index of a table or a materialized view. */
  index: (relation: Relation, index: Index) => subject("index", `${tablePath(relation)}.${index.name}`, index),
  constraint: (table: Table, constraint: Constraint) => subject("constraint", `${tablePath(table)}.${constraint.name}`, constraint),
  view: (view: View) => subject("view", tablePath(view), view),
};
