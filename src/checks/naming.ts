/** Small helpers rules share to talk about objects. SQL text itself is quoted by src/sql/text.ts. */
export { qualified, quoteIdent } from "../sql/text.js";

export function objectPath(...parts: string[]): string {
  return parts.join(".");
}
