import { z } from "zod";

export interface OptionDoc {
  name: string;
  /** Accepted values, e.g. `"plural_snake_case" | "off"` or `string[]`. */
  accepts: string;
  /** Default as JSON. */
  defaultValue: string;
  description?: string;
}

interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  default?: unknown;
  description?: string;
}

/** The options a rule takes, read from its zod schema, for `explain` and the docs pages. */
export function describeOptions(schema: z.ZodTypeAny): OptionDoc[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    accepts: accepts(property),
    defaultValue: JSON.stringify(property.default),
    ...(property.description ? { description: property.description } : {}),
  }));
}

function accepts(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(accepts).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.type === "array") return `${schema.items ? accepts(schema.items) : "unknown"}[]`;
  return schema.type ?? "unknown";
}
