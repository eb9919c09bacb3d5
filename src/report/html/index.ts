import { reportData, type HtmlReportInput } from "./data.js";
import { layoutDiagram } from "./layout.js";
import { htmlPage } from "./page.js";
import { diagramSvg } from "./svg.js";

export { reportData, owningTable, type HtmlReportData, type HtmlReportInput } from "./data.js";

/** The report as one self-contained HTML page: the ER diagram laid out by ELK, findings, timeline, workload, normalization. */
export async function formatHtml(input: HtmlReportInput): Promise<string> {
  const data = reportData(input);
  const layout = await layoutDiagram(data.tables, data.foreignKeys);
  return htmlPage(data, diagramSvg(layout, data.tables, data.foreignKeys, data.findings));
}
