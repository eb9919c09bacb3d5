import { createHash } from "node:crypto";

/** Stable across runs and line shifts: depends only on what the finding is about. */
export function fingerprint(ruleId: string, objectPath: string, discriminator = ""): string {
  return createHash("sha256").update(`${ruleId}\u0000${objectPath}\u0000${discriminator}`).digest("hex").slice(0, 16);
}
