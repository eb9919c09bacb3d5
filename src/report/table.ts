import Table from "cli-table3";

export interface TableOptions {
  /** Per column; default left. */
  align?: ("left" | "right")[];
  /** Put before every line. */
  indent?: string;
}

/**
 * A borderless table whose columns are measured by display width (wide and combining characters
 * count as they show, colour codes not at all), two spaces between columns, no trailing blanks.
 */
export function drawTable(head: string[] | undefined, rows: string[][], options: TableOptions = {}): string[] {
  const blank = { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  " };
  const table = new Table({
    ...(head ? { head } : {}),
    chars: blank,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
    ...(options.align ? { colAligns: options.align } : {}),
  });
  table.push(...rows);
  return table
    .toString()
    .split("\n")
    .map((line) => `${options.indent ?? ""}${line}`.trimEnd());
}
