// Signs that a script is Exalate's Groovy rather than JavaScript, shared by the
// rule editor (static/src/admin/rules/groovy-check.ts) and publishRules: shown
// only when the text does not parse as JavaScript, so a sign that JavaScript
// shares (a `${` in a template) costs nothing.

const SIGNS: readonly [RegExp, string][] = [
  [/(^|[\s;{(])def\s+[A-Za-z_]/m, '`def` declarations'],
  [/\?:/, 'the Elvis operator ?:'],
  [/"[^"\n]*\$\{[^}\n]*\}[^"\n]*"/, 'GString interpolation "${…}"'],
  [/\{\s*[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*\s*->/, 'closures { x -> … }'],
  [/\.(each|collect|findAll|find|any|every|eachWithIndex|inject|collectEntries)\s*\{/, 'closure calls such as .each { … }'],
  [/\bcustomFields\s*\.\s*"[^"]+"/, 'custom fields by quoted name'],
  [/^\s*import\s+[\w.]+(\.\*)?\s*;?\s*$/m, 'Java imports'],
  [/=~|==~/, 'regex match operators =~ / ==~'],
  [/\bit\.\w+/, 'the implicit closure parameter `it`'],
];

export interface GroovySigns {
  groovy: boolean;
  signs: string[];
}

export function looksLikeGroovy(source: string): GroovySigns {
  const text = source.length > 200_000 ? source.slice(0, 200_000) : source;
  const signs = SIGNS.filter(([pattern]) => pattern.test(text)).map(([, name]) => name);
  return { groovy: signs.length > 0, signs };
}
