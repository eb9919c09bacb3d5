import type { Convention, Conventions } from "./types.js";

const LABELS: [keyof Omit<Conventions, "libraryTables">, string][] = [
  ["dialect", "written by"],
  ["tableCase", "table names"],
  ["tablePlurality", "table names are"],
  ["columnCase", "column names"],
  ["primaryKeyNaming", "primary key column"],
  ["idStrategy", "primary key values"],
  ["referenceNaming", "reference columns"],
  ["declaresForeignKeys", "declares foreign keys"],
  ["onDelete", "ON DELETE"],
  ["indexNaming", "index names"],
  ["booleanPrefixes", "boolean prefixes"],
  ["timestampSuffix", "timestamp suffix"],
  ["timestampType", "timestamp type"],
  ["createdColumn", "creation time column"],
  ["updatedColumn", "last-change column"],
  ["softDeleteColumn", "soft-delete column"],
  ["stringType", "bounded strings"],
];

const SOURCE_NOTE: Record<Convention<unknown>["source"], string> = {
  inferred: "inferred",
  pinned: "pinned in the config",
  default: "default",
  mixed: "no convention: most common shown",
};

function show(value: unknown): string {
  if (value === null) return "none";
  if (Array.isArray(value)) return value.length > 0 ? value.join(", ") : "none";
  return String(value);
}

/** The conventions as a table for people: value, how it was decided, and how many objects follow it. */
export function formatConventions(conventions: Conventions): string {
  const width = Math.max(...LABELS.map(([, label]) => label.length));
  const lines = LABELS.map(([key, label]) => {
    const convention = conventions[key] as Convention<unknown> & { evidence?: string[] };
    const count = convention.of > 0 ? `, ${convention.follows} of ${convention.of}` : convention.source === "default" && key !== "dialect" ? ", nothing to judge on" : "";
    const evidence = convention.evidence?.length ? `: ${convention.evidence.join("; ")}` : "";
    return `${label.padEnd(width)}  ${show(convention.value)}  (${SOURCE_NOTE[convention.source]}${count}${evidence})`;
  });
  const libraries = [...conventions.libraryTables].map(([table, library]) => `${table} (${library})`);
  lines.push(`${"not the team's design".padEnd(width)}  ${libraries.length > 0 ? libraries.join(", ") : "none"}`);
  return `${lines.join("\n")}\n`;
}

/** The conventions as plain JSON (the library tables as an object). */
export function conventionsJson(conventions: Conventions): unknown {
  return { ...conventions, libraryTables: Object.fromEntries(conventions.libraryTables) };
}
