import rule from "../../src/checks/rules/one-to-one-without-unique.js";
import { ruleTester } from "../helpers/rule-tester.js";

const users = "CREATE TABLE users (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    {
      name: "unique foreign key, or the foreign key as primary key",
      sql: `${users}CREATE TABLE user_profiles (id bigint PRIMARY KEY, user_id bigint NOT NULL UNIQUE REFERENCES users, bio text);\nCREATE TABLE user_preferences (user_id bigint PRIMARY KEY REFERENCES users, theme text);`,
    },
    {
      name: "key-value settings tables hold many rows per parent",
      sql: `${users}CREATE TABLE user_settings (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, key text NOT NULL, value jsonb);\nCREATE TABLE user_preferences (user_id bigint NOT NULL REFERENCES users, name text NOT NULL, enabled boolean, PRIMARY KEY (user_id, name));`,
    },
    {
      name: "unique among live rows only",
      sql: `${users}CREATE TABLE user_details (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, deleted_at timestamptz);\nCREATE UNIQUE INDEX ON user_details (user_id) WHERE deleted_at IS NULL;`,
    },
    {
      name: "names that do not suggest one-to-one, or whose prefix is not the parent",
      sql: `${users}CREATE TABLE user_addresses (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE TABLE notification_settings (id bigint PRIMARY KEY, user_id bigint REFERENCES users);`,
    },
  ],
  invalid: [
    {
      name: "profile table with a plain foreign key",
      sql: `${users}CREATE TABLE user_profiles (\n  id bigint PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,\n  bio text\n);`,
      findings: [
        {
          path: "public.user_profiles.user_profiles_user_id_fkey",
          message: 'Table user_profiles is named like a one-to-one extension of users (the name ends in "profiles"), but its foreign key user_profiles_user_id_fkey on user_id is not unique',
          fixSql: "CREATE UNIQUE INDEX CONCURRENTLY user_profiles_user_id_key ON user_profiles (user_id);\nALTER TABLE user_profiles ADD CONSTRAINT user_profiles_user_id_key UNIQUE USING INDEX user_profiles_user_id_key;",
          line: 4,
        },
      ],
    },
    {
      name: "singular suffix, -ies parent, metadata, a non-unique index",
      sql: "CREATE TABLE companies (id int PRIMARY KEY);\nCREATE TABLE company_setting (id int PRIMARY KEY, company_id int REFERENCES companies);\nCREATE TABLE company_metadata (company_id int REFERENCES companies, founded date);\nCREATE INDEX ON company_metadata (company_id);",
      findings: [
        { path: "public.company_setting.company_setting_company_id_fkey", message: 'the name ends in "settings"' },
        { path: "public.company_metadata.company_metadata_company_id_fkey", message: "one companies row can have several company_metadata rows" },
      ],
    },
    {
      name: "options: own suffixes",
      sql: `${users}CREATE TABLE user_extras (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE TABLE user_profiles (id bigint PRIMARY KEY, user_id bigint REFERENCES users);`,
      options: { suffixes: ["extras"] },
      findings: [{ path: "public.user_extras.user_extras_user_id_fkey", message: '"extras"' }],
    },
  ],
});
