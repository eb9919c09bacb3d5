import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { testServerUrl } from "../helpers/server.js";

describe("schemawise seed --engine (a scratch database on a real server)", () => {
  test("the same seed gives byte-identical data on the server and in the embedded engine", async () => {
    const url = await testServerUrl();
    const dir = mkdtempSync(join(tmpdir(), "schemawise-seed-server-"));
    const schema = join(dir, "schema.sql");
    writeFileSync(
      schema,
      `CREATE TYPE plan AS ENUM ('free', 'pro', 'team');
       CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, plan plan NOT NULL,
         created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, balance numeric(10,2) NOT NULL CHECK (balance >= 0));
       CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id),
         issued_on date NOT NULL, amount numeric(10,2) NOT NULL CHECK (amount > 0), status text NOT NULL CHECK (status IN ('open', 'paid', 'void')), memo text);`,
    );
    const onServer = runCli(["seed", schema, "--engine", url, "--rows", "accounts=80", "--rows", "invoices=400", "--seed", "9", "--dump", join(dir, "server.sql")]);
    assert.equal(onServer.code, 0, onServer.stdout + onServer.stderr);
    assert.match(onServer.stdout, /in PostgreSQL \d+\.\d+ at postgres:\/\/\S+ \(scratch database\)/);
    const embedded = runCli(["seed", schema, "--rows", "accounts=80", "--rows", "invoices=400", "--seed", "9", "--dump", join(dir, "embedded.sql")]);
    assert.equal(embedded.code, 0, embedded.stdout + embedded.stderr);
    const server = readFileSync(join(dir, "server.sql"), "utf8");
    assert.match(server, /COPY "public"."invoices"/);
    assert.equal(server, readFileSync(join(dir, "embedded.sql"), "utf8"));
  });
});
