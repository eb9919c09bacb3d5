import { z } from "zod";
import { allRuleMetas } from "../checks/registry.js";
import { configSchema } from "./schema.js";

/** A JSON Schema node, as much of it as this module reads. */
export interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  definitions?: Record<string, JsonSchemaNode>;
  [key: string]: unknown;
}

/** Where the published schema lives in the repository and the npm package. */
export const CONFIG_SCHEMA_FILE = "schemawise.schema.json";

/**
 * The config file's JSON Schema for editors (draft-07, which every editor reads): the zod schema
 * as the user writes it (defaults optional), with every rule id listed under `rules` and in
 * `ignore[].rules`, each with its summary, so editors complete and check rule ids.
 */
export function configJsonSchema(): JsonSchemaNode {
  const schema = z.toJSONSchema(configSchema, { io: "input", target: "draft-7" }) as JsonSchemaNode;
  const metas = [...allRuleMetas()].sort((a, b) => a.id.localeCompare(b.id));
  const rules = schema.properties!.rules!;
  const setting = rules.additionalProperties as JsonSchemaNode;
  rules.properties = Object.fromEntries(
    metas.map((meta) => [meta.id, { description: `${meta.summary} (default ${meta.severity})`, allOf: [{ $ref: "#/definitions/ruleSetting" }] }]),
  );
  rules.additionalProperties = false;
  delete rules.propertyNames;
  const ignoreRules = schema.properties!.ignore!.items!.properties!.rules!;
  ignoreRules.items = { $ref: "#/definitions/ruleId" };
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: "schemawise configuration",
    ...rest,
    definitions: { ruleSetting: setting, ruleId: { type: "string", enum: metas.map((meta) => meta.id) } },
  };
}

/** The schema's text as the file holds it. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/**
 * The names allowed where `path` points in the config (an object's keys), for a did-you-mean on
 * an unknown key; empty when the path leads nowhere with named keys.
 */
export function knownKeysAt(path: readonly PropertyKey[], root: JsonSchemaNode = configJsonSchema()): string[] {
  let node: JsonSchemaNode | undefined = root;
  for (const part of path) {
    node = node && childOf(node, String(part), root);
    if (!node) return [];
  }
  return node ? Object.keys(objectOf(node, root)?.properties ?? {}) : [];
}

function childOf(node: JsonSchemaNode, key: string, root: JsonSchemaNode): JsonSchemaNode | undefined {
  const object = objectOf(node, root);
  if (object?.properties?.[key]) return object.properties[key];
  if (object && typeof object.additionalProperties === "object") return object.additionalProperties;
  const array = [node, ...(node.anyOf ?? [])].find((n) => n.items);
  return /^\d+$/.test(key) ? array?.items : undefined;
}

/** The node itself when it describes an object, else the first object among its alternatives or references. */
function objectOf(node: JsonSchemaNode, root: JsonSchemaNode): JsonSchemaNode | undefined {
  if (node.properties || typeof node.additionalProperties === "object") return node;
  const referenced = typeof node.$ref === "string" ? root.definitions?.[node.$ref.replace("#/definitions/", "")] : undefined;
  const alternatives = [...(node.anyOf ?? []), ...(node.allOf ?? []), ...(referenced ? [referenced] : [])];
  for (const alternative of alternatives) {
    const object = objectOf(alternative, root);
    if (object) return object;
  }
  return undefined;
}
