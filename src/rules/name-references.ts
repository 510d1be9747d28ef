import { parse, type Node } from 'acorn';
import { simple } from 'acorn-walk';
import type { NameKind, NameReference, NameSide } from '../domain/name-references';
import type { ScriptDirection } from '../domain/script-api';
import { otherSide, type VisualMapping, type VisualSide } from '../domain/visual-mapping';

// Finds the names a rule set refers to, with their lines, so publish and the
// drift check can hold them against the sites' real values. Scripts are read
// with a real JavaScript parser (acorn, ESTree), never with patterns over the
// text, so comments, strings and odd spacing cannot fool it. Only names
// written as literals are found: a name computed at run time cannot be known
// before the run, and guessing would give warnings that are not true.

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked by their `type`. */
type AnyNode = any;

/** `nodeHelper.getX(name)`: which kind of name each look-up takes. */
const NODE_HELPER_KINDS: Record<string, NameKind> = { getStatus: 'status', getPriority: 'priority', getIssueType: 'issueType', getResolution: 'resolution' };
/** `x.status.name == "…"` and the like: the kind each compared property names. */
const COMPARED_KINDS: Record<string, NameKind> = { status: 'status', type: 'issueType', priority: 'priority', resolution: 'resolution' };
const EQUALITY = new Set(['==', '===', '!=', '!==']);

/** Every name the script refers to. A script that does not parse has none (publish refuses it first). */
export function scriptNameReferences(source: string, direction: ScriptDirection): NameReference[] {
  let program: Node;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, locations: true });
  } catch {
    return [];
  }
  const found: NameReference[] = [];
  const add = (node: AnyNode, kind: NameKind, side: NameSide, name: string) => {
    if (name.trim() !== '') found.push({ script: direction, line: node.loc?.start.line ?? 0, kind, side, name });
  };
  // In the outgoing script `replica` is what this side fills, so its values are this side's too.
  const replicaSide: NameSide = direction === 'incoming' ? 'partner' : 'local';
  const maps = objectMaps(program);

  /** A name given to a sink: literals, and look-ups in an object map (its values this side's, its keys the partner's). */
  const sink = (expression: AnyNode, kind: NameKind) => {
    for (const literal of literalsOf(expression)) add(literal, kind, 'local', literal.value);
    for (const map of mapsLookedUpIn(expression, maps)) {
      for (const property of map.properties) {
        if (property.type !== 'Property') continue;
        const key = keyOf(property);
        if (key !== undefined) add(property.key, kind, replicaSide, key);
        if (isString(property.value)) add(property.value, kind, 'local', property.value.value);
      }
    }
  };

  simple(program, {
    AssignmentExpression(node: AnyNode) {
      const target = pathOf(node.left);
      if (node.operator !== '=' || !target || target[0] !== 'issue' || target.length !== 2) return;
      if (target[1] === 'projectKey') sink(node.right, 'project');
      if (target[1] === 'typeName') sink(node.right, 'issueType');
    },
    CallExpression(node: AnyNode) {
      const callee = pathOf(node.callee);
      if (!callee || callee.length !== 2) return;
      const [owner, method] = callee as [string, string];
      const first = node.arguments[0];
      if (owner === 'issue' && method === 'setStatus' && first) sink(first, 'status');
      if (owner === 'nodeHelper' && NODE_HELPER_KINDS[method] && first) sink(first, NODE_HELPER_KINDS[method]);
      if (owner === 'customFieldHelper' && method === 'setValue' && isString(node.arguments[1])) add(node.arguments[1], 'field', 'local', node.arguments[1].value);
    },
    MemberExpression(node: AnyNode) {
      // issue.customFields["Name"], replica.customFields?.["Name"]
      if (!node.computed || !isString(node.property)) return;
      const owner = pathOf(node.object);
      if (!owner || owner.length !== 2 || owner[1] !== 'customFields') return;
      if (owner[0] === 'issue') add(node.property, 'field', 'local', node.property.value);
      if (owner[0] === 'replica' && direction === 'incoming') add(node.property, 'field', 'partner', node.property.value);
      if (owner[0] === 'previous') add(node.property, 'field', 'partner', node.property.value);
    },
    BinaryExpression(node: AnyNode) {
      if (!EQUALITY.has(node.operator)) return;
      for (const [value, other] of [[node.left, node.right], [node.right, node.left]]) {
        if (!isString(value)) continue;
        const path = pathOf(other);
        if (!path || path.length !== 3 || path[2] !== 'name' || !COMPARED_KINDS[path[1]!]) continue;
        const side: NameSide | undefined = path[0] === 'issue' ? 'local' : path[0] === 'replica' ? replicaSide : path[0] === 'previous' ? 'partner' : undefined;
        if (side) add(value, COMPARED_KINDS[path[1]!]!, side, value.value);
      }
    },
  });
  return found;
}

/** The names a Visual mapping refers to, as seen from `side` (this installation's side of the document). */
export function mappingNameReferences(mapping: VisualMapping, side: VisualSide): NameReference[] {
  const found: NameReference[] = [];
  const partner = otherSide(side);
  const add = (kind: NameKind, who: NameSide, name: string | null | undefined) => {
    if (name && name.trim() !== '') found.push({ script: 'mapping', line: 0, kind, side: who, name });
  };
  const sideOfRole = (role: VisualSide): NameSide => (role === side ? 'local' : 'partner');
  for (const role of [side, partner]) {
    add('project', sideOfRole(role), mapping.scope[role].projectKey);
    for (const filter of mapping.scope[role].filters) {
      const kind = filter.field === 'issueType' ? 'issueType' : filter.field === 'status' || filter.field === 'priority' ? filter.field : undefined;
      if (kind) for (const value of filter.values) add(kind, sideOfRole(role), value);
    }
  }
  for (const m of mapping.mappings) {
    if (m.field === 'customField' && m.customField) {
      add('field', 'local', m.customField[side]);
      add('field', 'partner', m.customField[partner]);
    }
    const kind: NameKind | undefined = m.field === 'status' || m.field === 'priority' || m.field === 'issueType' ? m.field : undefined;
    if (!kind) continue;
    for (const pair of m.values ?? []) {
      add(kind, 'local', pair[side]);
      add(kind, 'partner', pair[partner]);
    }
    if (m.ifNoMatch?.action === 'default') {
      add(kind, 'local', m.ifNoMatch[side]);
      add(kind, 'partner', m.ifNoMatch[partner]);
    }
  }
  return found;
}

const isString = (node: AnyNode): boolean => node?.type === 'Literal' && typeof node.value === 'string';

/** `a.b.c`, `a?.b["c"]` → ['a', 'b', 'c']; undefined for anything that is not a plain chain of names. */
function pathOf(node: AnyNode): string[] | undefined {
  if (node?.type === 'ChainExpression') return pathOf(node.expression);
  if (node?.type === 'Identifier') return [node.name];
  if (node?.type !== 'MemberExpression') return undefined;
  const head = pathOf(node.object);
  if (!head) return undefined;
  if (!node.computed && node.property.type === 'Identifier') return [...head, node.property.name];
  if (node.computed && isString(node.property)) return [...head, node.property.value];
  return undefined;
}

/** String literals an expression can evaluate to directly: through `??`, `||`, `&&` and `?:`. */
function literalsOf(node: AnyNode): AnyNode[] {
  if (isString(node)) return [node];
  if (node?.type === 'LogicalExpression') return [...literalsOf(node.left), ...literalsOf(node.right)];
  if (node?.type === 'ConditionalExpression') return [...literalsOf(node.consequent), ...literalsOf(node.alternate)];
  return [];
}

/** Object literals looked up by a computed key in an expression: `map[x]`, `{…}[x]`, through `??`, `||`, `?:`. */
function mapsLookedUpIn(node: AnyNode, maps: Map<string, AnyNode>): AnyNode[] {
  if (node?.type === 'ChainExpression') return mapsLookedUpIn(node.expression, maps);
  if (node?.type === 'LogicalExpression') return [...mapsLookedUpIn(node.left, maps), ...mapsLookedUpIn(node.right, maps)];
  if (node?.type === 'ConditionalExpression') return [...mapsLookedUpIn(node.consequent, maps), ...mapsLookedUpIn(node.alternate, maps)];
  if (node?.type !== 'MemberExpression' || !node.computed) return [];
  if (node.object.type === 'ObjectExpression') return [node.object];
  if (node.object.type === 'Identifier' && maps.has(node.object.name)) return [maps.get(node.object.name)];
  return [];
}

/** Variables initialised with an object literal whose values are all strings: the value maps scripts use. */
function objectMaps(program: Node): Map<string, AnyNode> {
  const maps = new Map<string, AnyNode>();
  simple(program, {
    VariableDeclarator(node: AnyNode) {
      if (node.id.type !== 'Identifier' || node.init?.type !== 'ObjectExpression') return;
      if (node.init.properties.every((p: AnyNode) => p.type === 'Property' && isString(p.value) && keyOf(p) !== undefined)) maps.set(node.id.name, node.init);
    },
  });
  return maps;
}

function keyOf(property: AnyNode): string | undefined {
  if (property.computed) return isString(property.key) ? property.key.value : undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  return isString(property.key) ? property.key.value : undefined;
}
