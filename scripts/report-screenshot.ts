/**
 * Makes docs/report.png: the HTML report of examples/antipatterns, one table selected, taken
 * in headless Chromium (Debian's /usr/bin/chromium). Run: node --import tsx scripts/report-screenshot.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { hasChromium, openOfflinePage } from "../test/report-html/chromium.js";

const root = path.resolve(import.meta.dirname, "..");
const example = path.join(root, "examples", "antipatterns");
const selected = process.argv[2] ?? "public.invoices";

if (!hasChromium()) {
  process.stderr.write("report-screenshot: /usr/bin/chromium is missing (apt-get install chromium)\n");
  process.exit(2);
}
const folder = mkdtempSync(path.join(tmpdir(), "schemawise-report-"));
const html = path.join(folder, "report.html");
try {
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts", "dev.ts"), "report", ".", "-o", html, "--quiet"], { cwd: example, stdio: "inherit" });
  const { page, close } = await openOfflinePage({ width: 1500, height: 940 });
  try {
    await page.goto(pathToFileURL(html).href);
    // Zoomed out a step so more of the diagram shows, then the table clicked and centred in the frame.
    await page.click("#zoom-out");
    await page.locator(`#diagram g.table[data-table="${selected}"]`).click();
    await page.waitForSelector("#panel .panel-title");
    await page.evaluate(`(() => {
      const frame = document.getElementById("diagram-frame");
      const box = document.querySelector('#diagram g.table.selected').getBoundingClientRect();
      const view = frame.getBoundingClientRect();
      frame.scrollLeft += box.left + box.width / 2 - (view.left + view.width / 2);
      frame.scrollTop += box.top + box.height / 2 - (view.top + view.height / 2);
      window.scrollTo(0, 0);
    })()`);
    await page.screenshot({ path: path.join(root, "docs", "report.png") });
  } finally {
    await close();
  }
  process.stdout.write("docs/report.png written\n");
} finally {
  rmSync(folder, { recursive: true, force: true });
}
