import type { AdfDoc } from '../domain/replica';

// Mentions in rich text name people by account id. An Atlassian account id is the same person on every site,
// but the partner's people mostly have no account here, so a copied mention would point at nobody: each is
// rewritten to the person it maps to here, or to plain text with the name it showed ("@Ava Blue").

interface Node {
  type?: unknown;
  attrs?: Record<string, unknown>;
  content?: unknown;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is Node => !!value && typeof value === 'object' && !Array.isArray(value);

/** The account ids a document mentions, in order, each once. Walks with its own stack: a deep document cannot overflow. */
export function mentionIds(doc: AdfDoc): string[] {
  const ids = new Set<string>();
  const stack: unknown[] = [doc];
  while (stack.length) {
    const node = stack.pop();
    if (!isNode(node)) continue;
    if (node.type === 'mention' && typeof node.attrs?.id === 'string' && node.attrs.id) ids.add(node.attrs.id);
    if (Array.isArray(node.content)) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]);
  }
  return [...ids];
}

/** The person a mention becomes here, or null for plain text. */
export type MentionTarget = (accountId: string) => { accountId: string; displayName: string } | null;

/**
 * The document with every mention pointed at its person here, or turned into its text; the same object when
 * nothing changes. Copies along `content` with its own stack, so a deep document cannot overflow.
 */
export function rewriteMentions<T extends AdfDoc | null | undefined>(doc: T, target: MentionTarget): T {
  if (!doc || mentionIds(doc).length === 0) return doc;
  const out: { value?: unknown } = {};
  const stack: { from: unknown; put: (value: unknown) => void }[] = [{ from: doc, put: (value) => (out.value = value) }];
  while (stack.length) {
    const { from, put } = stack.pop()!;
    if (Array.isArray(from)) {
      const copy: unknown[] = new Array(from.length);
      put(copy);
      from.forEach((child, i) => stack.push({ from: child, put: (value) => (copy[i] = value) }));
    } else if (isNode(from) && from.type === 'mention') put(rewritten(from, target));
    else if (isNode(from) && Array.isArray(from.content)) {
      const copy: Node = { ...from };
      put(copy);
      stack.push({ from: from.content, put: (value) => (copy.content = value) });
    } else put(from);
  }
  return out.value as T;
}

function rewritten(node: Node, target: MentionTarget): unknown {
  const id = typeof node.attrs?.id === 'string' ? node.attrs.id : '';
  const shown = typeof node.attrs?.text === 'string' && node.attrs.text ? node.attrs.text : '@someone';
  const here = id ? target(id) : null;
  if (here) return { ...node, attrs: { ...node.attrs, id: here.accountId, text: `@${here.displayName}` } };
  return { type: 'text', text: shown.startsWith('@') ? shown : `@${shown}` };
}
