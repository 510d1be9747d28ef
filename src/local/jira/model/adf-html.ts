// ADF rendered to the simple HTML Jira returns under `renderedFields` and
// `renderedBody`: paragraphs, headings, lists, code, quotes, tables, links
// and text marks, with every piece of text escaped.
import type { AdfNode } from './adf';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const attr = (node: AdfNode, name: string): string => {
  const value = node.attrs?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};

/** Only links a browser may follow without running anything. */
const safeHref = (href: string): string => (/^(https?:|mailto:|\/|#)/i.test(href) ? href : '#');

interface Mark {
  type: string;
  attrs?: Record<string, unknown>;
}

function marked(text: string, marks: unknown[] | undefined): string {
  let html = escape(text);
  for (const mark of (marks ?? []) as Mark[]) {
    switch (mark.type) {
      case 'strong':
        html = `<b>${html}</b>`;
        break;
      case 'em':
        html = `<em>${html}</em>`;
        break;
      case 'underline':
        html = `<ins>${html}</ins>`;
        break;
      case 'strike':
        html = `<del>${html}</del>`;
        break;
      case 'code':
        html = `<tt>${html}</tt>`;
        break;
      case 'subsup':
        html = mark.attrs?.type === 'sup' ? `<sup>${html}</sup>` : `<sub>${html}</sub>`;
        break;
      case 'link':
        html = `<a href="${escape(safeHref(String(mark.attrs?.href ?? '')))}" class="external-link" rel="nofollow noreferrer">${html}</a>`;
        break;
      default:
        break;
    }
  }
  return html;
}

export function adfToHtml(node: AdfNode | null | undefined): string {
  if (!node) return '';
  const inner = (): string => (node.content ?? []).map(adfToHtml).join('');
  switch (node.type) {
    case 'doc':
      return inner();
    case 'text':
      return marked(node.text ?? '', node.marks);
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1)));
      return `<h${level}>${inner()}</h${level}>`;
    }
    case 'hardBreak':
      return '<br/>';
    case 'bulletList':
      return `<ul>${inner()}</ul>`;
    case 'orderedList':
      return `<ol>${inner()}</ol>`;
    case 'listItem':
      return `<li>${inner()}</li>`;
    case 'blockquote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'codeBlock':
      return `<pre><code>${(node.content ?? []).map((child) => escape(child.text ?? '')).join('')}</code></pre>`;
    case 'rule':
      return '<hr/>';
    case 'panel':
      return `<div class="panel">${inner()}</div>`;
    case 'table':
      return `<table><tbody>${inner()}</tbody></table>`;
    case 'tableRow':
      return `<tr>${inner()}</tr>`;
    case 'tableHeader':
      return `<th>${inner()}</th>`;
    case 'tableCell':
      return `<td>${inner()}</td>`;
    case 'mention':
      return `<span class="user-hover">${escape(attr(node, 'text') || `@${attr(node, 'id')}`)}</span>`;
    case 'emoji':
      return escape(attr(node, 'text') || attr(node, 'shortName'));
    case 'status':
      return `<span class="status-macro">${escape(attr(node, 'text'))}</span>`;
    case 'date': {
      const at = Number(node.attrs?.timestamp);
      return Number.isFinite(at) ? `<time datetime="${new Date(at).toISOString().slice(0, 10)}">${new Date(at).toISOString().slice(0, 10)}</time>` : '';
    }
    case 'inlineCard':
    case 'blockCard': {
      const url = attr(node, 'url');
      return `<a href="${escape(safeHref(url))}" class="external-link" rel="nofollow noreferrer">${escape(url)}</a>`;
    }
    case 'media':
    case 'mediaInline':
      // Jira renders attachments from the media store; there is none here.
      return '';
    default:
      return inner();
  }
}
