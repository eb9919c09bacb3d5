/**
 * An established schema (six tables) for the size evidence of the migration rules, with tables of
 * every kind the evidence tells apart when no row count is known:
 * - `members`: referenced by foreign keys from four tables (a central entity) → looks large;
 * - `activity`: a multi-column query index (a member's rows by time) → looks large;
 * - `site_options`, `boards`, `invites`, `payouts`: no sign of size → look small.
 * The typical table has no query index.
 */
export const ESTABLISHED_SCHEMA = [
  "CREATE TABLE members (id bigint PRIMARY KEY, handle text, score integer, joined timestamp);",
  "CREATE TABLE site_options (id integer PRIMARY KEY, label varchar(40), colour text, rank integer);",
  "CREATE TABLE boards (id bigint PRIMARY KEY, owner_id bigint REFERENCES members, title text, slug text);",
  "CREATE TABLE invites (id bigint PRIMARY KEY, member_id bigint REFERENCES members, code varchar(12), sent_until timestamptz);",
  "CREATE TABLE payouts (id bigint PRIMARY KEY, member_id bigint REFERENCES members, cents integer);",
  "CREATE TABLE activity (id bigint PRIMARY KEY, member_id bigint REFERENCES members, verb text, at timestamp);",
  "CREATE INDEX activity_member_at_idx ON activity (member_id, at);",
].join("\n");
