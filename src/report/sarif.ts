import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, Severity } from "../checks/types.js";
import type { SourceLocation } from "../sources/types.js";
import { compareStrings, formatLocation, INFORMATION_URI, oneLine, ruleHelpUri, type RuleInfoMap } from "./common.js";
import { asReport, type Report } from "./model.js";
import type { CheckReport } from "./types.js";

export type { RuleInfo, RuleInfoMap } from "./common.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const SARIF_VERSION = "2.1.0";
export { INFORMATION_URI };
export const SRCROOT = "%SRCROOT%";
/** Key of the fingerprint in `result.partialFingerprints`; bump the suffix if fingerprints change meaning. */
export const FINGERPRINT_KEY = "schemawise/v1";

export interface SarifOptions {
  /**
   * Directory artifact URIs are made relative to (normally the repository root). Relative file paths in
   * the report are taken relative to the current directory. Files outside it get absolute `file:` URIs.
   * Without it, relative paths are used as they are and absolute ones become `file:` URIs.
   */
  baseDir?: string;
  /** Metadata of the rules, by id (`RuleMeta` fields); rules missing here get a descriptor with only id and name. */
  rules: RuleInfoMap;
}

export { ruleHelpUri };

export type SarifLevel = "error" | "warning" | "note";

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === "info" ? "note" : severity;
}

// The subset of the SARIF 2.1.0 object model this formatter emits.
interface Message {
  text: string;
}
interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface LogicalLocation {
  fullyQualifiedName: string;
  kind: string;
}
interface Location {
  physicalLocation?: { artifactLocation: ArtifactLocation; region: Region };
  logicalLocations?: LogicalLocation[];
}
interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription?: Message;
  fullDescription?: Message;
  help?: Message;
  helpUri: string;
  defaultConfiguration?: { level: SarifLevel };
  properties?: { tags: string[] };
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: Message;
  locations: Location[];
  partialFingerprints: Record<string, string>;
  properties: { category: string; objectKind: string; objectPath: string };
}
interface Notification {
  level: SarifLevel;
  message: Message;
  locations?: Location[];
}
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [
    {
      tool: {
        driver: {
          name: "schemawise";
          version: string;
          semanticVersion: string;
          informationUri: string;
          rules: ReportingDescriptor[];
        };
      };
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: Notification[] }[];
      columnKind: "utf16CodeUnits";
      results: Result[];
    },
  ];
}

/** `missing-primary-key` → `MissingPrimaryKey` (SARIF's `name` is an identifier-like, human-readable name). */
export function ruleName(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

function encodeRelative(relative: string, sep: string): string {
  return relative
    .split(sep)
    .filter((segment, i) => !(segment === "." && i === 0))
    .map(encodeURIComponent)
    .join("/");
}

/** The artifact location of a report file path (see `SarifOptions.baseDir`). */
export function artifactLocation(file: string, baseDir?: string): ArtifactLocation {
  if (baseDir !== undefined) {
    const absolute = path.resolve(file);
    const relative = path.relative(path.resolve(baseDir), absolute);
    const outside = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    if (relative !== "" && !outside) {
      return { uri: encodeRelative(relative, path.sep), uriBaseId: SRCROOT };
    }
    return { uri: pathToFileURL(absolute).href };
  }
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: encodeRelative(path.normalize(file), path.sep), uriBaseId: SRCROOT };
}

function region(location: SourceLocation): Region {
  const startLine = Math.max(1, location.line);
  const startColumn = Math.max(1, location.column);
  const endLine = Math.max(startLine, location.endLine);
  const endColumn = Math.max(endLine === startLine ? startColumn : 1, location.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

function physicalLocation(location: SourceLocation, baseDir: string | undefined): Location["physicalLocation"] {
  return { artifactLocation: artifactLocation(location.file, baseDir), region: region(location) };
}

function resultMessage(finding: Finding): string {
  let text = finding.message;
  const { description, sql } = finding.fix;
  if (description) text += `\n\nFix: ${description}`;
  if (sql) text += `${description ? "\n\n" : "\n\nFix:\n\n"}${sql.replace(/\s+$/, "")}`;
  return text;
}

function descriptor(ruleId: string, rules: RuleInfoMap, category: string | undefined): ReportingDescriptor {
  const info = Object.hasOwn(rules, ruleId) ? rules[ruleId] : undefined;
  const helpUri = ruleHelpUri(ruleId);
  return {
    id: ruleId,
    name: ruleName(ruleId) || ruleId,
    ...(info && {
      shortDescription: { text: info.summary },
      fullDescription: { text: info.rationale },
      help: { text: `${info.rationale}\n\nSee ${helpUri}` },
    }),
    helpUri,
    ...(info && { defaultConfiguration: { level: sarifLevel(info.severity) } }),
    ...(category && { properties: { tags: [category] } }),
  };
}

/** SARIF 2.1.0 log with one run. Fixes appear as text in the message (no SARIF `fixes`, which need byte edits). */
export function buildSarif(input: Report | CheckReport, options: SarifOptions): SarifLog {
  const report = asReport(input);
  const categories = new Map<string, string>();
  for (const finding of report.findings) {
    if (!categories.has(finding.ruleId)) categories.set(finding.ruleId, finding.category);
  }
  const ruleIds = [...categories.keys()].sort(compareStrings);
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => descriptor(id, options.rules, categories.get(id)));

  const results: Result[] = report.findings.map((finding) => {
    const logical: LogicalLocation = { fullyQualifiedName: finding.object.path, kind: finding.object.kind };
    const location: Location = finding.location
      ? { physicalLocation: physicalLocation(finding.location, options.baseDir), logicalLocations: [logical] }
      : { logicalLocations: [logical] };
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId)!,
      level: sarifLevel(finding.severity),
      message: { text: resultMessage(finding) },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
      properties: { category: finding.category, objectKind: finding.object.kind, objectPath: finding.object.path },
    };
  });

  const notifications: Notification[] = [
    ...report.skipped.map(
      (skipped): Notification => ({
        level: "note",
        message: { text: `Skipped ${oneLine(skipped.what)} at ${formatLocation(skipped.location)}: ${skipped.reason}` },
        locations: [{ physicalLocation: physicalLocation(skipped.location, options.baseDir) }],
      }),
    ),
    ...report.notChecked.map(
      (item): Notification => ({ level: "warning", message: { text: `Not checked: ${item.object}: ${item.reason}` } }),
    ),
  ];

  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: "schemawise",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

/** `buildSarif` serialised with two-space indentation and a trailing newline. */
export function formatSarif(report: Report | CheckReport, options: SarifOptions): string {
  return JSON.stringify(buildSarif(report, options), null, 2) + "\n";
}
