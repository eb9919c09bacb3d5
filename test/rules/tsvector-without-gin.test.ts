import rule from "../../src/checks/rules/tsvector-without-gin.js";
import { ruleTester } from "../helpers/rule-tester.js";

const TRIGGER =
  "CREATE TRIGGER documents_tsv BEFORE INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(tsv, 'pg_catalog.english', title, body);";

ruleTester(rule, {
  valid: [
    {
      name: "generated column with a GIN index",
      sql: "CREATE TABLE articles (id int PRIMARY KEY, body text NOT NULL, search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED);\nCREATE INDEX articles_search_idx ON articles USING gin (search);",
    },
    {
      name: "trigger-maintained column with a GiST index",
      sql: `CREATE TABLE documents (id int PRIMARY KEY, title text, body text, tsv tsvector);\n${TRIGGER}\nCREATE INDEX documents_tsv_idx ON documents USING gist (tsv);`,
    },
    {
      name: "a GIN index on an expression over the column",
      sql: "CREATE TABLE pages (id int PRIMARY KEY, lang regconfig NOT NULL, content tsvector);\nCREATE INDEX pages_content_idx ON pages USING gin (setweight(content, 'A'));",
    },
    { name: "text searched through an expression index, no tsvector column", sql: "CREATE TABLE notes (id int PRIMARY KEY, body text);\nCREATE INDEX notes_fts ON notes USING gin (to_tsvector('english', body));" },
  ],
  invalid: [
    {
      name: "generated but not indexed",
      sql: "CREATE TABLE articles (\n  id int PRIMARY KEY,\n  body text NOT NULL,\n  search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED\n);",
      findings: [{ path: "public.articles.search", message: /reads the whole table\.$/, fixSql: "CREATE INDEX CONCURRENTLY articles_search_idx ON articles USING gin (search);", line: 4 }],
    },
    {
      name: "a btree index does not serve @@, the trigger keeps it current",
      sql: `CREATE TABLE documents (id int PRIMARY KEY, title text, body text, tsv tsvector);\n${TRIGGER}\nCREATE INDEX documents_tsv_btree ON documents (tsv);`,
      findings: [{ path: "public.documents.tsv", message: /whole table\.$/ }],
    },
    {
      name: "neither indexed nor kept current",
      sql: "CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, search_vector tsvector);",
      findings: [{ path: "public.products.search_vector", message: "Nothing in the schema keeps it current" }],
    },
  ],
});
