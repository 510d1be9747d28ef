import { describe, expect, it } from 'vitest';
import type { AdfDoc } from '../../src/domain/replica';
import { mentionIds, rewriteMentions } from '../../src/sync/mentions';

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content }] }) as AdfDoc;
const mention = (id: string, text?: string) => ({ type: 'mention', attrs: { id, ...(text ? { text } : {}), accessLevel: '' } });

describe('mentions in rich text', () => {
  it('finds each mentioned account once, in order', () => {
    expect(mentionIds(doc(mention('a', '@A'), { type: 'text', text: 'x' }, mention('b'), mention('a')))).toEqual(['a', 'b']);
  });

  it('points a placed mention at the person here and turns the others into their shown names', () => {
    const out = rewriteMentions(doc(mention('a', '@Ann'), mention('b', 'Bob'), mention('c')), (id) => (id === 'a' ? { accountId: 'x', displayName: 'Ann Here' } : null));
    expect(out.content[0]!.content).toEqual([
      { type: 'mention', attrs: { id: 'x', text: '@Ann Here', accessLevel: '' } },
      { type: 'text', text: '@Bob' },
      { type: 'text', text: '@someone' },
    ]);
  });

  it('gives back the same document when it mentions nobody, and reaches mentions nested deep', () => {
    const plain = doc({ type: 'text', text: 'hi' });
    expect(rewriteMentions(plain, () => null)).toBe(plain);
    // Deeper than JSON.stringify or a recursive walk reaches here (messages never carry one this deep).
    let deep: unknown = mention('a', '@Ann');
    for (let i = 0; i < 20_000; i++) deep = { type: 'blockquote', content: [deep] };
    const out = rewriteMentions({ type: 'doc', version: 1, content: [deep] } as AdfDoc, () => null);
    expect(mentionIds(out)).toEqual([]);
    let node = out.content[0] as { content?: unknown[]; text?: string };
    while (node.content) node = node.content[0] as typeof node;
    expect(node).toEqual({ type: 'text', text: '@Ann' });
  });
});
