import rule from "../../src/checks/rules/ip-address-as-text.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established schema (five tables) that keeps request addresses as text: shown in audit trails, never queried by network.
const textAddresses = [
  "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);",
  "CREATE TABLE logins (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, client_ip varchar(64));",
  "CREATE TABLE audit_trail (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, source_ip text, action text NOT NULL);",
  "CREATE TABLE api_keys (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, last_used_ip text);",
  "CREATE TABLE devices (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, user_agent text);",
].join("\n");

ruleTester(rule, {
  valid: [
    { name: "inet and cidr", sql: "CREATE TABLE sessions (id int PRIMARY KEY, ip_address inet, client_ip inet, allowed_range cidr);" },
    {
      name: "names that only contain ip, and non-text types",
      sql: "CREATE TABLE visits (id int PRIMARY KEY, ip_hash text, ip_country text, ship_to text, recipient text, tip text, ip_count integer, zip varchar(10), skip_ip boolean);",
    },
    {
      name: "an established schema that keeps its addresses as text, with one inet column among three",
      sql: textAddresses.replace("user_agent text)", "user_agent text, seen_from inet)"),
    },
    {
      name: "options replace the name patterns",
      sql: "CREATE TABLE logins (id int PRIMARY KEY, ip text);",
      options: { names: ["peer_address"] },
    },
  ],
  invalid: [
    {
      name: "an established schema whose addresses are inet: the text one breaks the habit",
      sql: textAddresses.replace("client_ip varchar(64)", "client_ip inet").replace("last_used_ip text", "last_used_ip inet"),
      findings: [{ path: "public.audit_trail.source_ip", message: "The schema stores 2 other addresses as inet (api_keys.last_used_ip and logins.client_ip)." }],
    },
    {
      name: "ip_address with an empty-string default and a length CHECK",
      sql: "CREATE TABLE audit_log (\n  id int PRIMARY KEY,\n  ip_address varchar(64) NOT NULL DEFAULT '' CONSTRAINT audit_log_ip_length CHECK (char_length(ip_address) <= 64)\n);",
      findings: [
        {
          path: "public.audit_log.ip_address",
          message: "looks like an IP address (guessed from the name)",
          fixSql:
            "ALTER TABLE audit_log ALTER COLUMN ip_address DROP DEFAULT;\nALTER TABLE audit_log DROP CONSTRAINT audit_log_ip_length;\nALTER TABLE audit_log ALTER COLUMN ip_address TYPE inet USING ip_address::inet;",
          line: 3,
        },
      ],
    },
    {
      name: "suffixes, camelCase and remote_addr",
      sql: 'CREATE SCHEMA auth;\nCREATE TABLE auth.users (id int PRIMARY KEY, last_sign_in_ip varchar, "ipAddress" text, remote_addr text, client_ipv6 text);',
      findings: [
        { path: "auth.users.last_sign_in_ip", fixSql: "ALTER TABLE auth.users ALTER COLUMN last_sign_in_ip TYPE inet USING last_sign_in_ip::inet;" },
        { path: "auth.users.ipAddress", fixSql: '"ipAddress"::inet' },
        { path: "auth.users.remote_addr" },
        { path: "auth.users.client_ipv6" },
      ],
    },
    {
      name: "options: custom patterns",
      sql: "CREATE TABLE peers (id int PRIMARY KEY, peer_address text, ip text);",
      options: { names: ["peer_*"] },
      findings: [{ path: "public.peers.peer_address" }],
    },
  ],
});
