/** Constants the `queries` command's options need before the rest of the queries modules load. */
export type QueriesFormat = "text" | "compact" | "json" | "sarif" | "github" | "markdown";
export const QUERIES_FORMATS: readonly QueriesFormat[] = ["text", "compact", "json", "sarif", "github", "markdown"];

/** Seed of the data generator when none is given: the same data on every run. */
export const DEFAULT_SEED = 42;
