import rule from "../../src/checks/rules/polymorphic-association.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** A Rails schema with one foreign key among its references, and two polymorphic pairs. */
const LOOSE_RAILS =
  "CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar);\n" +
  "CREATE TABLE users (id bigint PRIMARY KEY, name text);\nCREATE TABLE namespaces (id bigint PRIMARY KEY, owner_id bigint);\n" +
  "CREATE TABLE projects (id bigint PRIMARY KEY, namespace_id bigint, creator_id bigint);\nCREATE TABLE labels (id bigint PRIMARY KEY, project_id bigint);\n" +
  "CREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint, author_id bigint, milestone_id bigint, namespace_id bigint);\n" +
  "CREATE TABLE notes (id bigint PRIMARY KEY, noteable_type varchar NOT NULL, noteable_id bigint NOT NULL, project_id bigint, author_id bigint REFERENCES users);\n" +
  "CREATE TABLE label_links (id bigint PRIMARY KEY, labelable_type varchar, labelable_id bigint, label_id bigint);";
const parents = "CREATE TABLE posts (id bigint PRIMARY KEY);\nCREATE TABLE photos (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    {
      name: "exclusive arc: one foreign key per parent and a CHECK",
      sql: `${parents}CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts, photo_id bigint REFERENCES photos, CHECK (num_nonnulls(post_id, photo_id) = 1));`,
    },
    {
      name: "a discriminator next to a real foreign key is not polymorphic",
      sql: `${parents}CREATE TABLE attachments (id bigint PRIMARY KEY, post_type text NOT NULL, post_id bigint NOT NULL REFERENCES posts);`,
    },
    {
      name: "MIME type with an external text id, and a type lookup id",
      sql: "CREATE TABLE document_types (id int PRIMARY KEY);\nCREATE TABLE files (id bigint PRIMARY KEY, content_type text, content_id text, document_type_id int REFERENCES document_types);",
    },
    {
      name: "declared type values that name no table are categories (visibility), not parents",
      sql: "CREATE TYPE template_kind AS ENUM ('PUBLIC', 'PRIVATE');\nCREATE TABLE templates (id int PRIMARY KEY);\nCREATE TABLE envelopes (id int PRIMARY KEY, template_type template_kind NOT NULL, template_id int);",
    },
    {
      name: "a media type with an integer id: the type says what the file holds",
      sql: "CREATE TABLE blobs (id bigint PRIMARY KEY, content_type text NOT NULL DEFAULT 'application/octet-stream', content_id bigint, mime_type text, mime_id int);",
    },
    {
      name: "an integer type code is not a table name",
      sql: "CREATE TABLE events (id bigint PRIMARY KEY, subject_type smallint, subject_id bigint);",
    },
    {
      // A Rails dump that declares 1 key of its 11 references: the notes and label pairs lose nothing the plain ones keep.
      name: "a schema that leaves its references to the application: the polymorphic pairs are part of that policy",
      sql: LOOSE_RAILS,
    },
  ],
  invalid: [
    {
      name: "Rails-style commentable pair with the parent types in a CHECK",
      sql: `${parents}CREATE TABLE comments (\n  id bigint PRIMARY KEY,\n  commentable_type text NOT NULL CHECK (commentable_type IN ('Post', 'Photo')),\n  commentable_id bigint NOT NULL,\n  body text\n);`,
      findings: [
        {
          path: "public.comments.commentable_id",
          message: "(guessed from the commentable_type/commentable_id name pair and the missing foreign key): commentable_type presumably names the table it points into, so no foreign key checks that the row exists. The declared types (Post and Photo) suggest posts and photos.",
          fixSql: /ADD COLUMN post_id bigint REFERENCES posts \(id\),\n {2}ADD COLUMN photo_id bigint REFERENCES photos \(id\);[^]*CHECK \(num_nonnulls\(post_id, photo_id\) = 1\)/,
          line: 6,
        },
      ],
    },
    {
      name: "undeclared types, namespaced class names, two pairs in one table",
      sql: "CREATE TABLE tag_assignments (\n  id bigint PRIMARY KEY,\n  taggable_type varchar(255),\n  taggable_id bigint,\n  \"taggerType\" text,\n  \"taggerId\" uuid\n);",
      findings: [
        { path: "public.tag_assignments.taggable_id", fixSql: "SELECT taggable_type, count(*) FROM tag_assignments GROUP BY 1;", line: 4 },
        { path: "public.tag_assignments.taggerId", message: "taggerType presumably names the table" },
      ],
    },
    {
      name: "an enum with one value needs a plain foreign key; a partly guessed parent list",
      sql: "CREATE TABLE accounts (id int PRIMARY KEY);\nCREATE TYPE owner_kind AS ENUM ('Billing::Account');\nCREATE TABLE invoices (id bigint PRIMARY KEY, owner_type owner_kind NOT NULL, owner_id integer NOT NULL);\nCREATE TABLE payments (id bigint PRIMARY KEY, payer_type text CHECK (payer_type IN ('Account', 'Vendor')), payer_id integer);",
      findings: [
        { path: "public.invoices.owner_id", message: "suggest accounts.", fixSql: "FOREIGN KEY (owner_id) REFERENCES accounts (id) NOT VALID" },
        {
          path: "public.payments.payer_id",
          message: "The declared types (Account and Vendor) suggest accounts and vendors (table names guessed from the type values).",
          fixSql: "CHECK (num_nonnulls(account_id, vendor_id) <= 1)",
        },
      ],
    },
    {
      name: "a Rails schema whose every type/id pair is polymorphic: one finding for the convention, listing the pairs",
      sql:
        "CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar);\n" +
        "CREATE TABLE notes (id bigint PRIMARY KEY, noteable_type varchar NOT NULL, noteable_id bigint NOT NULL);\n" +
        "CREATE TABLE label_links (id bigint PRIMARY KEY, labelable_type varchar, labelable_id bigint);\n" +
        "CREATE TABLE uploads (id bigint PRIMARY KEY, model_type varchar, model_id bigint);\n" +
        "CREATE TABLE item_links (id bigint PRIMARY KEY, source_type varchar NOT NULL, source_id bigint NOT NULL, target_type varchar NOT NULL, target_id bigint NOT NULL);",
      findings: [{ path: "public", message: /^The schema uses Rails polymorphic associations \(belongs_to …, polymorphic: true\)[^]*\(5 objects; listed in the details\)\.$/ }],
    },
    {
      name: "four polymorphic pairs beside pairs with real foreign keys: a choice per pair, reported one by one",
      sql:
        `${parents}CREATE TABLE members (id bigint PRIMARY KEY, entity_type char(1) NOT NULL, entity_id int NOT NULL);\n` +
        "CREATE TABLE runs (id bigint PRIMARY KEY, vendor_type varchar(16) NOT NULL, vendor_id int NOT NULL);\n" +
        "CREATE TABLE schedules (id bigint PRIMARY KEY, vendor_type varchar(16), vendor_id int);\n" +
        "CREATE TABLE grants (id bigint PRIMARY KEY, role_type varchar(255) NOT NULL, role_id int NOT NULL);\n" +
        "CREATE TABLE covers (id bigint PRIMARY KEY, post_type text, post_id bigint REFERENCES posts, photo_type text, photo_id bigint REFERENCES photos);",
      findings: [{ path: "public.members.entity_id" }, { path: "public.runs.vendor_id" }, { path: "public.schedules.vendor_id" }, { path: "public.grants.role_id" }],
    },
    {
      name: "options: textIds reports text id columns too",
      sql: "CREATE TABLE audit_entries (id bigint PRIMARY KEY, subject_type text NOT NULL, subject_id text NOT NULL);",
      options: { textIds: true },
      findings: [{ path: "public.audit_entries.subject_id" }],
    },
  ],
});
