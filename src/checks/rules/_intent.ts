/**
 * What the schema's author wrote about an object: its COMMENT ON text and the SQL comment next to its
 * definition (provenance.note). A note that states the intent answers the guess a rule would make.
 */
import type { Provenance } from "../../catalog/model.js";

export interface Documented {
  comment: string | null;
  provenance: Provenance;
}

/** The author's words about an object: COMMENT ON first, then the SQL comment next to its definition. */
export function authorNotes(object: Documented): string[] {
  return [object.comment, object.provenance.note].filter((text): text is string => typeof text === "string" && text.trim() !== "");
}

/** The first of the author's notes on any of the objects that matches one of the patterns, or undefined. */
export function noteStating(objects: Documented[], patterns: readonly RegExp[]): string | undefined {
  for (const object of objects) {
    for (const note of authorNotes(object)) if (patterns.some((pattern) => pattern.test(note))) return note;
  }
  return undefined;
}

/** A note shortened for a message: its first sentence, at most `max` characters, quoted. */
export function quoteNote(note: string, max = 100): string {
  const sentence = note.replace(/\s+/g, " ").trim().split(/(?<=[.!?])\s/)[0] ?? note;
  return `"${sentence.length > max ? `${sentence.slice(0, max - 1).trimEnd()}…` : sentence}"`;
}
