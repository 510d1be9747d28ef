import { z } from 'zod';
import { html, type Markup } from './html';

// Atlassian Document Format in the shell: rendered to simple HTML for reading,
// and built from plain text for the forms (a person types text, Jira stores ADF).

export interface AdfNode {
  type: string;
  version?: number;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
}

const AdfMark = z.object({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() });
export const AdfNodeSchema: z.ZodType<AdfNode> = z.lazy(() =>
  z.object({
    type: z.string(),
    version: z.number().optional(),
    text: z.string().optional(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    marks: z.array(AdfMark).optional(),
    content: z.array(AdfNodeSchema).optional(),
  }),
);

/** An ADF document from plain text: blank lines split paragraphs, single newlines become hard breaks. */
export function textToAdf(text: string): AdfNode {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.replace(/^\n+|\n+$/g, ''))
    .filter((block) => block.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((block) => ({
      type: 'paragraph',
      content: block.split('\n').flatMap((line, i): AdfNode[] => {
        const parts: AdfNode[] = i > 0 ? [{ type: 'hardBreak' }] : [];
        if (line !== '') parts.push({ type: 'text', text: line });
        return parts;
      }),
    })),
  };
}

/** Plain text of an ADF document, paragraphs separated by blank lines: what the edit forms start from. */
export function adfToText(value: unknown): string {
  const parsed = AdfNodeSchema.safeParse(value);
  if (!parsed.success) return typeof value === 'string' ? value : '';
  const blocks: string[] = [];
  const inline = (node: AdfNode): string => {
    if (node.type === 'text') return node.text ?? '';
    if (node.type === 'hardBreak') return '\n';
    if (node.type === 'mention') return String(node.attrs?.text ?? '@someone');
    if (node.type === 'emoji') return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    if (node.type === 'inlineCard') return String(node.attrs?.url ?? '');
    if (node.type === 'status') return String(node.attrs?.text ?? '');
    return (node.content ?? []).map(inline).join('');
  };
  const walk = (node: AdfNode) => {
    const children = node.content ?? [];
    if (children.length > 0 && children.every((c) => !isInline(c.type))) children.forEach(walk);
    else if (node.type !== 'doc') blocks.push(inline(node));
  };
  walk(parsed.data);
  return blocks.join('\n\n');
}

const inlineTypes = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'status', 'date', 'mediaInline', 'placeholder', 'inlineExtension']);
const isInline = (type: string) => inlineTypes.has(type);

const safeHref = (href: unknown): string | null =>
  typeof href === 'string' && /^(https?:|mailto:|\/|#)/i.test(href.trim()) ? href.trim() : null;

function renderMarks(text: Markup, marks: AdfNode['marks']): Markup {
  return (marks ?? []).reduce<Markup>((inner, mark) => {
    switch (mark.type) {
      case 'strong':
        return html`<strong>${inner}</strong>`;
      case 'em':
        return html`<em>${inner}</em>`;
      case 'underline':
        return html`<u>${inner}</u>`;
      case 'strike':
        return html`<s>${inner}</s>`;
      case 'code':
        return html`<code>${inner}</code>`;
      case 'subsup':
        return mark.attrs?.type === 'sub' ? html`<sub>${inner}</sub>` : html`<sup>${inner}</sup>`;
      case 'link': {
        const href = safeHref(mark.attrs?.href);
        return href ? html`<a href="${href}" rel="noopener noreferrer">${inner}</a>` : inner;
      }
      default:
        return inner;
    }
  }, text);
}

function renderNode(node: AdfNode): Markup {
  const children = () => (node.content ?? []).map(renderNode);
  const attr = (name: string) => node.attrs?.[name];
  switch (node.type) {
    case 'doc':
      return html`${children()}`;
    case 'text':
      return renderMarks(html`${node.text ?? ''}`, node.marks);
    case 'paragraph':
      return html`<p>${children()}</p>`;
    case 'hardBreak':
      return html`<br>`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(attr('level')) || 1));
      return html`<h${level}>${children()}</h${level}>`;
    }
    case 'bulletList':
      return html`<ul>${children()}</ul>`;
    case 'orderedList': {
      const start = Number(attr('order'));
      return Number.isInteger(start) && start > 1 ? html`<ol start="${start}">${children()}</ol>` : html`<ol>${children()}</ol>`;
    }
    case 'listItem':
      return html`<li>${children()}</li>`;
    case 'taskList':
      return html`<ul class="tasks">${children()}</ul>`;
    case 'taskItem':
      return html`<li>${attr('state') === 'DONE' ? '☑' : '☐'} ${children()}</li>`;
    case 'decisionList':
      return html`<ul class="tasks">${children()}</ul>`;
    case 'decisionItem':
      return html`<li>◆ ${children()}</li>`;
    case 'codeBlock':
      return html`<pre><code>${(node.content ?? []).map((c) => c.text ?? '').join('')}</code></pre>`;
    case 'blockquote':
      return html`<blockquote>${children()}</blockquote>`;
    case 'rule':
      return html`<hr>`;
    case 'panel':
      return html`<div class="panel panel-${String(attr('panelType') ?? 'info')}">${children()}</div>`;
    case 'expand':
    case 'nestedExpand':
      return html`<details open><summary>${String(attr('title') ?? '')}</summary>${children()}</details>`;
    case 'table':
      return html`<table class="adf-table">${children()}</table>`;
    case 'tableRow':
      return html`<tr>${children()}</tr>`;
    case 'tableHeader':
      return html`<th>${children()}</th>`;
    case 'tableCell':
      return html`<td>${children()}</td>`;
    case 'mention':
      return html`<span class="mention">${String(attr('text') ?? '@someone')}</span>`;
    case 'emoji':
      return html`${String(attr('text') ?? attr('shortName') ?? '')}`;
    case 'status':
      return html`<span class="lozenge">${String(attr('text') ?? '')}</span>`;
    case 'date': {
      const when = Number(attr('timestamp'));
      return html`<time>${Number.isFinite(when) ? new Date(when).toISOString().slice(0, 10) : ''}</time>`;
    }
    case 'inlineCard':
    case 'blockCard':
    case 'embedCard': {
      const href = safeHref(attr('url'));
      return href ? html`<a href="${href}" rel="noopener noreferrer">${href}</a>` : html``;
    }
    case 'mediaSingle':
    case 'mediaGroup':
      return html`<div class="media">${children()}</div>`;
    case 'media':
    case 'mediaInline':
      return html`<span class="media-ref">📎 ${String(attr('alt') ?? attr('id') ?? 'attachment')}</span>`;
    default:
      // Unknown blocks still show their text, as Jira's renderer falls back to content.
      return html`${children()}`;
  }
}

/** Simple HTML for an ADF document; text that is not ADF is shown as plain text. */
export function adfToHtml(value: unknown): Markup {
  if (value === null || value === undefined) return html``;
  if (typeof value === 'string') return html`<p>${value}</p>`;
  const parsed = AdfNodeSchema.safeParse(value);
  return parsed.success ? renderNode(parsed.data) : html``;
}
