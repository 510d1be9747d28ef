// Atlassian Document Format: Jira REST v3 takes and returns rich text
// (descriptions, comments, multi-line custom fields) as ADF documents.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: unknown[];
}

export interface AdfDoc extends AdfNode {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

let validateAdf: ValidateFunction | undefined;

// The official schema ships with @atlaskit/adf-schema (draft-04). Compiling it
// takes about half a second, so it happens once, on first use.
function adfValidator(): ValidateFunction {
  if (!validateAdf) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@atlaskit/adf-schema/dist/json-schema/v1/full.json');
    const ajv = new AjvDraft04({ strict: false, allErrors: false });
    validateAdf = ajv.compile(JSON.parse(readFileSync(path, 'utf8')));
  }
  return validateAdf;
}

/** Whether `value` is a valid ADF document, as Jira checks it on input. */
export function isAdfDoc(value: unknown): value is AdfDoc {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  if (doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) return false;
  return adfValidator()(value) === true;
}

/** A document holding plain text, one paragraph per line block. */
export function textToAdf(text: string): AdfDoc {
  const paragraphs = text.split(/\n{2,}/);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => ({
      type: 'paragraph',
      content: paragraph.length === 0 ? [] : [{ type: 'text', text: paragraph }],
    })),
  };
}

const BLOCKS = new Set([
  'paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'panel', 'rule',
  'tableRow', 'mediaGroup', 'mediaSingle', 'decisionItem', 'taskItem', 'expand', 'nestedExpand',
]);

/** The plain text of a document, as JQL's text search and changelog strings see it. */
export function adfToText(doc: AdfNode | null | undefined): string {
  if (!doc) return '';
  const parts: string[] = [];
  const walk = (node: AdfNode): void => {
    switch (node.type) {
      case 'text':
        parts.push(node.text ?? '');
        return;
      case 'hardBreak':
        parts.push('\n');
        return;
      case 'mention':
      case 'emoji':
      case 'status':
        parts.push(String(node.attrs?.text ?? node.attrs?.shortName ?? ''));
        return;
      case 'inlineCard':
      case 'blockCard':
        parts.push(String(node.attrs?.url ?? ''));
        return;
      default:
        break;
    }
    for (const child of node.content ?? []) walk(child);
    if (BLOCKS.has(node.type)) parts.push('\n');
  };
  walk(doc);
  return parts.join('').replace(/\n+$/, '').replace(/\n{3,}/g, '\n\n');
}
