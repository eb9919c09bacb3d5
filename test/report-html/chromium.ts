import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium, installed by .ci/run. */
export const CHROMIUM = "/usr/bin/chromium";

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * A headless Chromium on a fresh profile (deleted by `close`) with nothing that phones home, and a
 * page that may load nothing from the network: every request other than local files is aborted
 * and recorded in `blocked`, so a test can show the report needs none.
 */
export async function openOfflinePage(viewport = { width: 1400, height: 900 }): Promise<{ page: Page; blocked: string[]; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "schemawise-chromium-"));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      offline: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const blocked: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("about:")) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const opened = context;
    const page = opened.pages()[0] ?? (await opened.newPage());
    return {
      page,
      blocked,
      close: async () => {
        await opened.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
