/** The inputs of ../shared/corpus (and the bundled examples), with what each project's runner prepares before migrating. */
import { join } from "node:path";

export const CORPUS = "../shared/corpus";

export interface CorpusItem {
  name: string;
  paths: string[];
  variables?: Record<string, string>;
  setup?: string[];
  /** A bundled example rather than a real project. */
  example?: boolean;
}

export const CORPUS_ITEMS: CorpusItem[] = [
  ...["pagila-2024", "gisia", "temporal", "northwind", "chinook"].map((name) => ({ name, paths: [join(CORPUS, "schemas", name)] })),
  ...["crates.io", "documenso", "umami", "marquez", "atuin-server", "kratos"].map((name) => ({ name, paths: [join(CORPUS, "migrations", name)] })),
  // Graphile Migrate fills its :DATABASE_* placeholders from the project's settings.
  {
    name: "graphile-starter",
    paths: [join(CORPUS, "migrations", "graphile-starter")],
    variables: { DATABASE_OWNER: "app_owner", DATABASE_VISITOR: "app_visitor", DATABASE_AUTHENTICATOR: "app_authenticator", DATABASE_NAME: "postgres" },
  },
  // The auth runner renders {{ index .Options "Namespace" }} and creates the schema before migrating.
  { name: "supabase-auth", paths: [join(CORPUS, "migrations", "supabase-auth")], variables: { Namespace: "auth" }, setup: ["CREATE SCHEMA auth"] },
  // golang-migrate creates its own bookkeeping table first; harbor's migrations alter it.
  { name: "harbor", paths: [join(CORPUS, "migrations", "harbor")], setup: ["CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)"] },
];

export const EXAMPLE_ITEMS: CorpusItem[] = ["ecommerce", "blog", "antipatterns"].map((name) => ({ name: `examples/${name}`, paths: [`examples/${name}`], example: true }));
