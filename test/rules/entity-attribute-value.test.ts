import rule from "../../src/checks/rules/entity-attribute-value.js";
import { ruleTester } from "../helpers/rule-tester.js";

const products = "CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n";

ruleTester(rule, {
  valid: [
    {
      name: "an entity's settings bag (per-project options read whole): a deliberate key-value design",
      sql: `${products}CREATE TABLE product_settings (id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES products, name varchar(255) NOT NULL, value varchar(255), created_at timestamptz, UNIQUE (product_id, name));\nCREATE SCHEMA app;\nCREATE TABLE app."ProductMeta" ("productId" bigint REFERENCES products, "settingKey" text, "settingValue" text);`,
    },
    {
      name: "typed attributes in a jsonb document",
      sql: `${products}ALTER TABLE products ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object');`,
    },
    {
      name: "a field-level change log (old_value / new_value) is history, not an attribute store",
      sql: `${products}CREATE TABLE product_changes (id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES products, field_name text NOT NULL, old_value text, new_value text, changed_at timestamptz NOT NULL);`,
    },
    {
      name: "a typed measurement (numeric value) and a name column that is the row's own label",
      sql: `${products}CREATE TABLE readings (id bigint PRIMARY KEY, product_id bigint REFERENCES products, metric_name text NOT NULL, value numeric NOT NULL);\nCREATE TABLE product_variants (id bigint PRIMARY KEY, product_id bigint REFERENCES products, display_name text, value text);`,
    },
    {
      name: "many other columns: a real entity that happens to have key and value",
      sql: `${products}CREATE TABLE ci_variables (id bigint PRIMARY KEY, product_id bigint REFERENCES products, key text NOT NULL, value text, is_protected boolean, is_masked boolean, environment_scope text, variable_type smallint, description text);`,
    },
    {
      name: "options: maxOtherColumns 0 accepts only the bare triple",
      sql: `${products}CREATE TABLE product_properties (product_id bigint REFERENCES products, property text, value text, unit text, PRIMARY KEY (product_id, property));`,
      options: { maxOtherColumns: 0 },
    },
  ],
  invalid: [
    {
      name: "classic EAV without a foreign key",
      sql: "CREATE TABLE entity_attributes (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  entity_id bigint NOT NULL,\n  attribute_name text NOT NULL,\n  attribute_value text,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);",
      findings: [
        {
          path: "public.entity_attributes",
          message: "entity_id (no foreign key; guessed to be the entity reference from its name) names the entity, attribute_name the attribute and attribute_value holds the value as text",
          fixSql: "jsonb_object_agg(attribute_name, attribute_value)",
          line: 1,
        },
      ],
    },
    {
      name: "key/value attributes per product, with a foreign key",
      sql: `${products}CREATE TABLE product_attributes (\n  product_id bigint NOT NULL REFERENCES products ON DELETE CASCADE,\n  key varchar(100) NOT NULL,\n  val varchar(1000),\n  PRIMARY KEY (product_id, key)\n);`,
      findings: [
        {
          path: "public.product_attributes",
          message: "product_id (references public.products)",
          fixSql: /ALTER TABLE products\n {2}ADD COLUMN attributes jsonb[^]*USING gin \(attributes jsonb_path_ops\)/,
          line: 2,
        },
      ],
    },
    {
      name: "camelCase names and a prefixed key/value pair",
      sql: `${products}CREATE SCHEMA app;\nCREATE TABLE app."ProductSpec" ("productId" bigint REFERENCES products, "settingKey" text, "settingValue" text, note text);`,
      findings: [{ path: "app.ProductSpec", message: "settingKey the attribute" }],
    },
    {
      name: "options: maxOtherColumns raised",
      sql: `${products}CREATE TABLE product_properties (product_id bigint REFERENCES products, property text, value text, a int, b int, c int, d int, e int, PRIMARY KEY (product_id, property));`,
      options: { maxOtherColumns: 5 },
      findings: [{ path: "public.product_properties" }],
    },
  ],
});
