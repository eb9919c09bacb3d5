/**
 * Where a Prisma schema writes each model, field, index and relation, read from the schema's AST
 * (@mrleebo/prisma-ast, with positions), and the Prisma spelling of the fixes.
 */
import { LineIndex } from "../location.js";
import type { SourceLocation } from "../types.js";
import type { CodeSite, SqlObject } from "./types.js";

// The package's CommonJS build requires chevrotain, which is ES modules only: load its ES build.
type PrismaAst = typeof import("@mrleebo/prisma-ast");
type Block = import("@mrleebo/prisma-ast").Block;
type Model = import("@mrleebo/prisma-ast").Model;
type Field = import("@mrleebo/prisma-ast").Field;
type BlockAttribute = import("@mrleebo/prisma-ast").BlockAttribute;
type Attribute = import("@mrleebo/prisma-ast").Attribute;
type Location = import("@mrleebo/prisma-ast").CstNodeLocation;

interface PrismaField {
  name: string;
  dbName: string;
  node: Field;
  attribute(name: string): Attribute | undefined;
}

interface PrismaModel {
  name: string;
  dbName: string;
  file: LineIndex;
  node: Model;
  fields: PrismaField[];
  blockAttributes: BlockAttribute[];
}

interface PrismaEnum {
  dbName: string;
  file: LineIndex;
  location?: Location;
}

export async function loadPrismaAst(): Promise<PrismaAst> {
  const specifier = "@mrleebo/prisma-ast/dist/prisma-ast.esm.js";
  return (await import(specifier)) as PrismaAst;
}

export class PrismaSites {
  private readonly models: PrismaModel[] = [];
  private readonly enums: PrismaEnum[] = [];

  constructor(ast: PrismaAst, files: Array<{ display: string; text: string }>) {
    const parser = new ast.PrismaParser({ nodeLocationTracking: "full" });
    const Visitor = ast.VisitorClassFactory(parser);
    for (const file of files) {
      const lines = new LineIndex(file.display, file.text);
      const schema = ast.getSchema(file.text, { parser, visitor: new Visitor(parser) });
      for (const block of schema.list) this.add(block, lines);
    }
  }

  site(object: SqlObject | undefined, ruleId: string): CodeSite | undefined {
    const first = this.models[0];
    if (ruleId === "serial-instead-of-identity" && first) return { location: at(first.file, first.node.location), covered: "Prisma's autoincrement() always creates a serial column" };
    if (!object) return undefined;
    if (object.kind === "named") {
      const found = this.enums.find((e) => e.dbName === object.name);
      return found ? { location: at(found.file, found.location) } : undefined;
    }
    const model = this.models.find((m) => m.dbName === object.table);
    if (!model) return this.implicitJoinTable(object.table, ruleId);
    const location = at(model.file, this.locationFor(object, model));
    const field = object.kind === "column" ? model.fields.find((f) => f.dbName === object.name) : undefined;
    if (ruleId === "updated-at-without-trigger" && field?.attribute("updatedAt")) return { location, covered: "Prisma Client sets @updatedAt fields in every update it runs" };
    const fix = prismaFix(ruleId, object, model);
    return fix ? { location, fix } : { location };
  }

  /**
   * The table Prisma makes for an implicit many-to-many relation (`_PostToTag`, or `_Name` for
   * `@relation("Name")`), found at the list field that declares it. Prisma owns its names.
   */
  private implicitJoinTable(table: string, ruleId: string): CodeSite | undefined {
    for (const model of this.models) {
      for (const field of model.fields) {
        const other = this.models.find((m) => m.name === field.node.fieldType);
        if (!field.node.array || !other?.fields.some((f) => f.node.array && f.node.fieldType === model.name)) continue;
        const name = relationName(field) ?? [model.name, other.name].sort().join("To");
        if (`_${name}` !== table) continue;
        const location = at(model.file, field.node.location);
        return ruleId === "naming-convention" ? { location, covered: "Prisma names implicit many-to-many tables and their A and B columns itself" } : { location };
      }
    }
    return undefined;
  }

  private locationFor(object: SqlObject, model: PrismaModel): Location | undefined {
    const field = (column: string | undefined) => model.fields.find((f) => f.dbName === column);
    const single = object.columns.length === 1 ? field(object.columns[0]) : undefined;
    if (object.kind === "table") return model.node.location;
    if (object.kind === "column") return field(object.name)?.node.location ?? model.node.location;
    const sameColumns = (attribute: BlockAttribute) => sameList(fieldsOf(attribute).map((name) => model.fields.find((f) => f.name === name)?.dbName ?? name), object.columns);
    const written = (names: string[]) =>
      model.blockAttributes.filter((a) => names.includes(a.name)).find((a) => mapOf(a) === object.name || (mapOf(a) === undefined && sameColumns(a)));
    if (object.kind === "index") {
      const block = written(object.unique ? ["unique", "id"] : ["index"]);
      return block?.location ?? (object.unique ? single?.attribute("unique")?.location : undefined) ?? single?.node.location ?? model.node.location;
    }
    if (object.constraintType === "f") {
      const relation = model.fields.find((f) => sameList(relationFields(f).map((name) => model.fields.find((g) => g.name === name)?.dbName ?? name), object.columns));
      return relation?.attribute("relation")?.location ?? relation?.node.location ?? single?.node.location ?? model.node.location;
    }
    if (object.constraintType === "p") return written(["id"])?.location ?? single?.attribute("id")?.location ?? model.node.location;
    if (object.constraintType === "u") return written(["unique"])?.location ?? single?.attribute("unique")?.location ?? model.node.location;
    return single?.node.location ?? model.node.location;
  }

  private add(block: Block, file: LineIndex): void {
    if (block.type === "enum") {
      const map = block.enumerators.find((e): e is BlockAttribute => e.type === "attribute" && e.name === "map");
      this.enums.push({ dbName: (map && stringArg(map.args)) ?? block.name, file, ...(block.location ? { location: block.location } : {}) });
      return;
    }
    if (block.type !== "model") return;
    const blockAttributes = block.properties.filter((p): p is BlockAttribute => p.type === "attribute");
    const fields = block.properties
      .filter((p): p is Field => p.type === "field")
      .map((node): PrismaField => {
        const attribute = (name: string) => node.attributes?.find((a) => a.name === name && a.group === undefined);
        const map = attribute("map");
        return { name: node.name, dbName: (map && stringArg(map.args ?? [])) ?? node.name, node, attribute };
      });
    const map = blockAttributes.find((a) => a.name === "map");
    this.models.push({ name: block.name, dbName: (map && stringArg(map.args)) ?? block.name, file, node: block, fields, blockAttributes });
  }
}

function at(file: LineIndex, location: Location | undefined): SourceLocation {
  const line = location?.startLine ?? 1;
  const column = location?.startColumn ?? 1;
  return { file: file.file, line, column, endLine: location?.endLine ?? line, endColumn: (location?.endColumn ?? column - 1) + 1 };
}

type Arguments = BlockAttribute["args"];

/** The first plain string argument, unquoted: `@map("x")`, `@@map(name: "x")`. */
function stringArg(args: Arguments): string | undefined {
  for (const arg of args) {
    const value = arg.value;
    const text = typeof value === "string" ? value : value && typeof value === "object" && "key" in value && (value.key === "name" || value.key === "map") ? value.value : undefined;
    if (typeof text === "string" && /^".*"$/.test(text)) return text.slice(1, -1);
  }
  return undefined;
}

/** `map: "name"` of an @@index/@@unique/@@id. */
function mapOf(attribute: BlockAttribute): string | undefined {
  for (const arg of attribute.args) {
    const value = arg.value;
    if (value && typeof value === "object" && "key" in value && value.key === "map" && typeof value.value === "string") return value.value.replace(/^"|"$/g, "");
  }
  return undefined;
}

/** The field names an @@index([a, b(sort: Desc)]) or @@index(fields: [a]) lists. */
function fieldsOf(attribute: { args?: Arguments }): string[] {
  for (const arg of attribute.args ?? []) {
    const value = arg.value as unknown;
    const list = isArray(value) ? value : isKeyValue(value) && value.key === "fields" && isArray(value.value) ? value.value : undefined;
    if (list) return list.args.map((item) => (typeof item === "string" ? item : String((item as { name?: unknown }).name ?? "")));
  }
  return [];
}

/** `@relation("Name", …)` or `@relation(name: "Name", …)` -> "Name". */
function relationName(field: PrismaField): string | undefined {
  return stringArg(field.attribute("relation")?.args ?? []);
}

/** `@relation(fields: [customerId], references: [id])` -> ["customerId"]. */
function relationFields(field: PrismaField): string[] {
  const relation = field.attribute("relation");
  for (const arg of relation?.args ?? []) {
    const value = arg.value as unknown;
    if (isKeyValue(value) && value.key === "fields" && isArray(value.value)) return value.value.args.map(String);
  }
  return [];
}

function isArray(value: unknown): value is { type: "array"; args: unknown[] } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "array";
}

function isKeyValue(value: unknown): value is { type: "keyValue"; key: string; value: unknown } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "keyValue";
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

// ---------------------------------------------------------------------------
// Fixes in Prisma's own words

const MIGRATION_ONLY = "the Prisma schema cannot express it: add the SQL to a migration made with `prisma migrate dev --create-only`";

function prismaFix(ruleId: string, object: SqlObject, model: PrismaModel): string | undefined {
  const fieldName = (column: string) => model.fields.find((f) => f.dbName === column)?.name ?? column;
  const field = object.kind === "column" ? fieldName(object.name) : fieldName(object.columns[0] ?? "");
  const fields = object.columns.map(fieldName).join(", ");
  switch (ruleId) {
    case "duplicate-index":
    case "redundant-prefix-index":
      return `delete \`@@index([${fields}])\` from model ${model.name}`;
    case "foreign-key-without-index":
      return `add \`@@index([${fields}])\` to model ${model.name}`;
    case "timestamp-without-time-zone":
      return `add \`@db.Timestamptz(3)\` to ${model.name}.${field}`;
    case "foreign-key-on-delete-unspecified":
      return `say what a delete does in the relation: \`@relation(…, onDelete: Restrict)\` (or Cascade for owned rows)`;
    case "json-instead-of-jsonb":
      return `remove \`@db.Json\` from ${model.name}.${field} (Json maps to jsonb)`;
    case "money-as-float":
      return `declare ${model.name}.${field} as \`Decimal @db.Decimal(12, 2)\` (or an Int of cents)`;
    case "varchar-without-reason":
      return `remove \`@db.VarChar(n)\` from ${model.name}.${field} (String maps to text); a length CHECK: ${MIGRATION_ONLY}`;
    case "created-at-nullable":
      return `drop the \`?\` of ${model.name}.${field}`;
    case "natural-key-without-unique":
    case "one-to-one-without-unique":
      return `add \`@unique\` to ${model.name}.${field}`;
    case "amount-without-check":
    case "serial-instead-of-identity":
      return MIGRATION_ONLY;
    default:
      return undefined;
  }
}
