import { describe, expect, it } from 'vitest';
import { adfToHtml, adfToText, textToAdf } from '../../src/local/shell/adf';
import { html } from '../../src/local/shell/html';

describe('ADF in the shell', () => {
  it('builds paragraphs and hard breaks from plain text', () => {
    expect(textToAdf('first line\nsecond line\n\nnext paragraph')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'first line' }, { type: 'hardBreak' }, { type: 'text', text: 'second line' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'next paragraph' }] },
      ],
    });
  });

  it('turns text into ADF and back without loss', () => {
    const text = 'Steps:\n1. open\n2. click\n\nExpected <ok> & "fine"';
    expect(adfToText(textToAdf(text))).toBe(text);
  });

  it('renders marks, lists, code and links, escaping every text', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Title <x>' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'bold', marks: [{ type: 'strong' }] },
            { type: 'text', text: ' and ' },
            { type: 'text', text: 'site', marks: [{ type: 'link', attrs: { href: 'https://example.com/?a=1&b=2' } }] },
            { type: 'text', text: ' bad', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
          ],
        },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
        { type: 'codeBlock', attrs: { language: 'js' }, content: [{ type: 'text', text: 'if (a < b) {}' }] },
        { type: 'mention', attrs: { id: 'x', text: '@Ava Blue' } },
      ],
    };
    const out = adfToHtml(doc).value;
    expect(out).toContain('<h2>Title &lt;x&gt;</h2>');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toContain('<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer">site</a>');
    expect(out).not.toContain('javascript:');
    expect(out).toContain('<ul><li><p>one</p></li></ul>');
    expect(out).toContain('<pre><code>if (a &lt; b) {}</code></pre>');
    expect(out).toContain('<span class="mention">@Ava Blue</span>');
  });

  it('shows nothing for values that are not ADF and text for plain strings', () => {
    expect(adfToHtml({ nope: true }).value).toBe('');
    expect(adfToHtml('<b>plain</b>').value).toBe('<p>&lt;b&gt;plain&lt;/b&gt;</p>');
  });

  it('escapes interpolations in the html template but keeps nested markup', () => {
    const inner = html`<em>${'<script>'}</em>`;
    expect(html`<p title="${'"q"'}">${inner}${['a', '&']}</p>`.value).toBe('<p title="&quot;q&quot;"><em>&lt;script&gt;</em>a&amp;</p>');
  });
});
