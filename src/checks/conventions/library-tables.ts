/**
 * Tables that a library, framework or tool creates and owns: their design is not the team's, so
 * design rules leave them alone. Matched on the table name (any schema) unless a schema is given.
 */
const LIBRARY_TABLES: { library: string; tables: RegExp; schema?: RegExp }[] = [
  { library: "a migration runner", tables: /^(schema_migrations|schema_version|_prisma_migrations|__diesel_schema_migrations|flyway_schema_history|goose_db_version|knex_migrations(_lock)?|typeorm_migrations|_sqlx_migrations|django_migrations|seaql_migrations|gorp_migrations|schema_info|__efmigrationshistory|databasechangelog(lock)?|pgmigrations|graphile_migrate\.\w+)$/i },
  { library: "Rails", tables: /^ar_internal_metadata$/ },
  { library: "Rails Active Storage", tables: /^active_storage_(blobs|attachments|variant_records)$/ },
  { library: "Rails Action Text", tables: /^action_text_rich_texts$/ },
  { library: "Rails Action Mailbox", tables: /^action_mailbox_inbound_emails$/ },
  { library: "Solid Queue / Cache / Cable", tables: /^solid_(queue|cache|cable)_\w+$/ },
  { library: "GoodJob", tables: /^good_job(s|_\w+)$/ },
  { library: "Noticed", tables: /^noticed_(events|notifications)$/ },
  { library: "Delayed Job", tables: /^delayed_jobs$/ },
  { library: "Que", tables: /^que_(jobs|lockers|values)$/ },
  { library: "Flipper", tables: /^flipper_(features|gates)$/ },
  { library: "PaperTrail", tables: /^version_associations$/ },
  { library: "FriendlyId", tables: /^friendly_id_slugs$/ },
  { library: "acts-as-taggable-on", tables: /^taggings$/ },
  { library: "Doorkeeper", tables: /^oauth_(access_grants|access_tokens|applications|openid_requests)$/ },
  { library: "Django", tables: /^(django_(content_type|session|admin_log|site)|auth_(permission|group|group_permissions|user_groups|user_user_permissions))$/ },
  { library: "pg_partman", tables: /^template_\w+$/, schema: /^partman$/ },
  { library: "pg_partman", tables: /^(part_config|part_config_sub)$/ },
  { library: "pg-boss", tables: /./, schema: /^pgboss$/ },
  { library: "Graphile Worker", tables: /./, schema: /^graphile_worker$/ },
  { library: "River", tables: /^river_(job|leader|migration|queue|client|client_queue)$/ },
  { library: "Oban", tables: /^oban_(jobs|peers|producers)$/ },
  { library: "Hangfire", tables: /./, schema: /^hangfire$/ },
  { library: "Quartz", tables: /^qrtz_\w+$/ },
  { library: "Spring Batch", tables: /^batch_(job|step)_\w+$/ },
  { library: "Hibernate", tables: /^hibernate_sequences?$/ },
  { library: "Temporal's schema tool", tables: /^schema_update_history$/ },
  { library: "Alembic", tables: /^alembic_version$/ },
];

/** Tables recognised by their columns, where the name alone is too common (Account, Session). */
const LIBRARY_SHAPES: { library: string; tables: RegExp; columns: string[] }[] = [
  { library: "the Auth.js / NextAuth adapter", tables: /^(Account|accounts?)$/, columns: ["refresh_token", "access_token", "token_type", "id_token", "session_state"] },
  { library: "the Auth.js / NextAuth adapter", tables: /^(VerificationToken|verification_tokens?)$/, columns: ["identifier", "token", "expires"] },
  { library: "connect-pg-simple (express-session store)", tables: /session/i, columns: ["sid", "sess", "expire"] },
];

/** The library that owns a table, or undefined when the table is the team's own. */
export function libraryOwning(schema: string, table: string, columns: string[] = []): string | undefined {
  const byName = LIBRARY_TABLES.find((entry) => entry.tables.test(table) && (!entry.schema || entry.schema.test(schema)))?.library;
  if (byName) return byName;
  const names = new Set(columns);
  return LIBRARY_SHAPES.find((entry) => entry.tables.test(table) && entry.columns.every((c) => names.has(c)))?.library;
}
