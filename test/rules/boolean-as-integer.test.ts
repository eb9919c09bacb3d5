import rule from "../../src/checks/rules/boolean-as-integer.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "boolean flags", sql: "CREATE TABLE users (id int PRIMARY KEY, is_active boolean NOT NULL DEFAULT true, has_avatar bool);" },
    {
      name: "counts, levels, codes and tri-states",
      sql: [
        "CREATE TABLE users (id int PRIMARY KEY, has_children_count integer, is_admin_level smallint, can_edit char(2),",
        "  is_verified smallint CHECK (is_verified IN (0, 1, 2)), has_consent char(1) CHECK (has_consent IN ('Y', 'N', 'U')),",
        "  active smallint, island text, is_x text);",
      ].join("\n"),
    },
    {
      name: "live: more than two distinct values is not a flag",
      sql: "CREATE TABLE users (id int PRIMARY KEY, is_premium smallint);\nINSERT INTO users SELECT g, g % 4 FROM generate_series(1, 400) g;\nANALYZE users;",
      live: true,
    },
    {
      name: "options replace the prefixes",
      sql: "CREATE TABLE users (id int PRIMARY KEY, is_active smallint);",
      options: { prefixes: ["should"] },
    },
  ],
  invalid: [
    {
      name: "smallint with a default and a 0/1 CHECK",
      sql: "CREATE TABLE users (\n  id int PRIMARY KEY,\n  is_active smallint NOT NULL DEFAULT 1 CONSTRAINT users_is_active_01 CHECK (is_active IN (0, 1))\n);",
      findings: [
        {
          path: "public.users.is_active",
          message: 'guessed from the "is" prefix',
          fixSql:
            "ALTER TABLE users ALTER COLUMN is_active DROP DEFAULT;\nALTER TABLE users DROP CONSTRAINT users_is_active_01;\nALTER TABLE users ALTER COLUMN is_active TYPE boolean USING (is_active <> 0);\nALTER TABLE users ALTER COLUMN is_active SET DEFAULT true;",
          line: 3,
        },
      ],
    },
    {
      name: "char(1), \"char\", varchar(1), bit(1) and camelCase",
      sql: "CREATE TABLE flags (id int PRIMARY KEY, has_paid char(1) DEFAULT 'N', is_public \"char\", can_delete varchar(1), is_hidden bit(1) DEFAULT B'0', \"isArchived\" integer);",
      findings: [
        { path: "public.flags.has_paid", fixSql: "USING (has_paid IN ('1', 't', 'T', 'y', 'Y'));\nALTER TABLE flags ALTER COLUMN has_paid SET DEFAULT false;" },
        { path: "public.flags.is_public", message: '"char"' },
        { path: "public.flags.can_delete", message: "character varying(1)" },
        { path: "public.flags.is_hidden", fixSql: "USING (is_hidden = B'1');\nALTER TABLE flags ALTER COLUMN is_hidden SET DEFAULT false;" },
        { path: "public.flags.isArchived", fixSql: 'TYPE boolean USING ("isArchived" <> 0);' },
      ],
    },
    {
      name: "options: other prefixes",
      sql: "CREATE TABLE settings (id int PRIMARY KEY, should_notify smallint, is_enabled smallint);",
      options: { prefixes: ["should"] },
      findings: [{ path: "public.settings.should_notify", message: '"should" prefix' }],
    },
  ],
});
