/** Findings as LSP diagnostics: the rule id as code, its documentation as the code's link. */
import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding, Severity } from "../checks/types.js";
import { ruleHelpUri } from "../report/common.js";
import type { SourceLocation } from "../sources/types.js";

export const SOURCE = "schemawise";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** What a diagnostic carries back to the server when the editor asks for its code actions. */
export interface DiagnosticData {
  fingerprint: string;
}

export function toDiagnostic(finding: Finding, document: TextDocument): Diagnostic {
  const related = relatedMembers(finding);
  return {
    range: finding.location ? rangeOf(finding.location, document) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleHelpUri(finding.ruleId) },
    source: SOURCE,
    message: `${finding.message}\nFix: ${finding.fix.description}`,
    data: { fingerprint: finding.fingerprint } satisfies DiagnosticData,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/**
 * The finding's span, 1-based with an exclusive end as the sources give it. A column's finding
 * points at the column's first character only: it is widened to the rest of that definition's
 * line, so editors underline the column rather than a single character.
 */
export function rangeOf(location: SourceLocation, document: TextDocument): Range {
  const start = { line: location.line - 1, character: location.column - 1 };
  const end = { line: location.endLine - 1, character: location.endColumn - 1 };
  if (start.line !== end.line || start.character !== end.character) return { start, end };
  const line = document.getText({ start: { line: start.line, character: 0 }, end: { line: start.line + 1, character: 0 } });
  const rest = line.slice(start.character).replace(/--.*$/s, "").replace(/[\s,]+$/, "");
  return { start, end: { line: start.line, character: start.character + Math.max(rest.length, 1) } };
}

/** The objects a schema-wide finding covers, as related locations (in any file). */
function relatedMembers(finding: Finding): DiagnosticRelatedInformation[] {
  return (finding.members ?? []).flatMap((member) =>
    member.location
      ? [
          {
            location: {
              uri: pathToFileURL(member.location.file).toString(),
              range: {
                start: { line: member.location.line - 1, character: member.location.column - 1 },
                end: { line: member.location.endLine - 1, character: member.location.endColumn - 1 },
              },
            },
            message: member.path,
          },
        ]
      : [],
  );
}
