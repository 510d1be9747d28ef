// Whether a rule script is Exalate's Groovy pasted into a JavaScript editor:
// it must fail to parse as JavaScript (CodeMirror's own parser, so no eval,
// which Forge's content security policy forbids) and show Groovy's signs.
import { javascriptLanguage } from '@codemirror/lang-javascript';
import { looksLikeGroovy } from '../../../../src/domain/groovy-signs';

export interface GroovyCheck {
  groovy: boolean;
  signs: string[];
}

const NOT_GROOVY: GroovyCheck = { groovy: false, signs: [] };

/** Longer texts are not checked while typing: the parse would slow the editor down. */
const MAX_CHECKED = 200_000;

export function parsesAsJavaScript(text: string): boolean {
  const tree = javascriptLanguage.parser.parse(text);
  let ok = true;
  tree.iterate({
    enter: (node) => {
      if (!ok) return false;
      if (node.type.isError) ok = false;
      return undefined;
    },
  });
  return ok;
}

export function checkGroovy(text: string): GroovyCheck {
  if (!text.trim() || text.length > MAX_CHECKED) return NOT_GROOVY;
  const signs = looksLikeGroovy(text);
  if (!signs.groovy || parsesAsJavaScript(text)) return NOT_GROOVY;
  return signs;
}
