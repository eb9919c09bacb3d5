import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { CONFIG_SCHEMA_FILE, configJsonSchemaText, knownKeysAt } from "../../src/config/json-schema.js";
import { ROOT } from "../helpers/cli.js";

const published = () => readFileSync(`${ROOT}/${CONFIG_SCHEMA_FILE}`, "utf8");

describe("the config's JSON Schema for editors", () => {
  test("the published file is what `npm run schema` writes now", () => {
    assert.equal(published(), configJsonSchemaText(), `${CONFIG_SCHEMA_FILE} is out of date: run npm run schema`);
  });

  test("it accepts the examples' configs and rejects unknown keys and rule ids", () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(published()));
    for (const example of ["antipatterns", "blog", "ecommerce"]) {
      const config = parse(readFileSync(`${ROOT}/examples/${example}/schemawise.config.yaml`, "utf8"));
      assert.ok(validate(config), `${example}: ${JSON.stringify(validate.errors)}`);
    }
    assert.ok(validate({ rules: { "missing-primary-key": { severity: "info" } }, ignore: [{ object: "public.*", rules: ["money-type"] }] }));
    assert.equal(validate({ rulez: {} }), false);
    assert.equal(validate({ rules: { "missing-primary-kye": "off" } }), false);
    assert.equal(validate({ ignore: [{ object: "x", rules: ["money-typ"] }] }), false);
  });

  test("the keys allowed at a place are read from it, through records and alternatives", () => {
    assert.ok(knownKeysAt([]).includes("volumes"));
    assert.ok(knownKeysAt(["conventions"]).includes("dialect"));
    assert.deepEqual(knownKeysAt(["rules", "money-type"]).sort(), ["options", "severity"]);
    assert.ok(knownKeysAt(["data", "tables", "public.users", "email"]).includes("nullFraction"));
    assert.ok(knownKeysAt(["ignore", 0]).includes("reason"));
    assert.deepEqual(knownKeysAt(["volumes", "public.users"]), []);
  });
});
