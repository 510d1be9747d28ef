import { flowsFrom, methodFrom, otherSide, type FieldMapping, type IfNoMatch, type VisualMapping, type VisualSide } from '../domain/visual-mapping';

// Visual mode compiles its mapping document into the same two programs Script
// mode runs, one pair per side: the engine never knows which mode made them.
// Each program is wrapped in a function so it declares nothing at the top
// level, like the default scripts.

// A type, not an interface: resolver answers are checked against loose object types.
export type CompiledRules = {
  outgoing: string;
  incoming: string;
};

const lit = (value: unknown) => JSON.stringify(value);

/** The rule programs of `side` for this mapping. */
export function compileVisualMapping(mapping: VisualMapping, side: VisualSide): CompiledRules {
  return { outgoing: compileOutgoing(mapping, side), incoming: compileIncoming(mapping, side) };
}

function header(mapping: VisualMapping, side: VisualSide, which: string): string {
  return `// Visual mode (mapping version ${mapping.version}), ${which} rules of the ${side} side.
// Generated from the connection's mapping: edit the mapping, not this program.
`;
}

function compileOutgoing(mapping: VisualMapping, side: VisualSide): string {
  const lines = ['replica.key = issue.key;', 'replica.url = issue.url;', 'replica.project = issue.project;'];
  if (methodFrom(mapping, side) !== 'disabled') {
    for (const m of mapping.mappings.filter((x) => flowsFrom(x.direction, side))) lines.push(...outgoingLines(m, side));
  }
  return `${header(mapping, side, 'outgoing')}(function () {
  ${lines.join('\n  ')}
})();
`;
}

function outgoingLines(m: FieldMapping, side: VisualSide): string[] {
  switch (m.field) {
    case 'summary': return ['replica.summary = issue.summary;'];
    case 'description': return ['replica.description = issue.description;'];
    case 'comments': return ['replica.comments = issue.comments;'];
    case 'attachments': return ['replica.attachments = issue.attachments;'];
    case 'labels': return ['replica.labels = issue.labels;'];
    case 'status': return ['replica.status = issue.status;'];
    case 'priority': return ['replica.priority = issue.priority;'];
    case 'issueType': return ['replica.type = issue.type;'];
    case 'assignee': return ['replica.assignee = issue.assignee;'];
    case 'reporter': return ['replica.reporter = issue.reporter;'];
    case 'components': return ['replica.components = issue.components;'];
    case 'fixVersions': return ['replica.fixVersions = issue.fixVersions;'];
    case 'worklogs': return ['replica.worklogs = issue.worklogs;'];
    case 'issueLinks': return ['replica.issueLinks = issue.issueLinks;'];
    case 'customField': {
      const name = lit(m.customField![side]);
      return [`if (issue.customFields[${name}] !== undefined) { replica.customFields = replica.customFields || {}; replica.customFields[${name}] = issue.customFields[${name}]; }`];
    }
  }
}

/** Pairs [partner's value, our value] for the values mapping as seen by `side`. */
function pairsFor(m: FieldMapping, side: VisualSide): [string, string][] {
  return (m.values ?? []).map((p) => [p[otherSide(side)], p[side]]);
}

function noMatchFor(ifNoMatch: IfNoMatch | undefined, side: VisualSide): { action: string; value?: string } {
  if (!ifNoMatch) return { action: 'nothing' };
  if (ifNoMatch.action === 'default') return { action: 'default', value: ifNoMatch[side] };
  return { action: ifNoMatch.action };
}

const mapCall = (m: FieldMapping, side: VisualSide, valueExpr: string, what: string) =>
  `mapValue(${valueExpr}, ${lit(pairsFor(m, side))}, ${lit(noMatchFor(m.ifNoMatch, side))}, ${lit(what)})`;

const userCall = (m: FieldMapping, side: VisualSide, userExpr: string) => `mapUser(${userExpr}, ${lit(m.users?.fallback[side] ?? null)})`;

function compileIncoming(mapping: VisualMapping, side: VisualSide): string {
  const from = otherSide(side);
  const projectKey = lit(mapping.scope[side].projectKey);
  const flowing = mapping.mappings.filter((x) => flowsFrom(x.direction, from));
  const typeMapping = flowing.find((m) => m.field === 'issueType');
  const body: string[] = [];
  if (methodFrom(mapping, from) === 'disabled') {
    body.push(`if (firstSync) throw new Error(${lit(`Sync from the ${from} side is disabled on this Visual connection.`)});`);
  } else {
    const typeExpr = typeMapping
      ? `(function () { var t = replica.type ? ${mapCall(typeMapping, side, 'replica.type.name', 'issue type')} : null; return t && nodeHelper.getIssueType(t.value, ${projectKey}); })()`
      : 'null';
    body.push(
      'if (firstSync) {',
      `  issue.projectKey = ${projectKey};`,
      `  // A type this project lacks becomes its default type, else Task.`,
      `  issue.typeName = (${typeExpr} ?? nodeHelper.getDefaultIssueType(${projectKey}) ?? { name: "Task" }).name;`,
      '}',
    );
    for (const m of flowing) body.push(...incomingLines(m, side));
  }
  return `${header(mapping, side, 'incoming')}(function () {
  function mapValue(name, pairs, noMatch, what) {
    if (name == null) return null;
    if (pairs.length === 0) return { value: name };
    var wanted = String(name).toLowerCase();
    for (var i = 0; i < pairs.length; i++) if (pairs[i][0].toLowerCase() === wanted) return { value: pairs[i][1] };
    if (noMatch.action === "default" && noMatch.value) return { value: noMatch.value };
    if (noMatch.action === "error") throw new Error("No " + what + " mapping for \\"" + name + "\\": add it to the connection's Visual mapping.");
    return null;
  }
  // By email, else the connection's People table, else this mapping's fallback, else the connection's fallback person.
  function mapUser(user, fallbackEmail) {
    return nodeHelper.mapUser(user, fallbackEmail);
  }
  ${body.join('\n  ')}
})();
`;
}

function incomingLines(m: FieldMapping, side: VisualSide): string[] {
  switch (m.field) {
    case 'summary': return ['if (replica.summary !== undefined) issue.summary = replica.summary;'];
    case 'description': return ['if (replica.description !== undefined) issue.description = replica.description;'];
    case 'comments': return ['if (replica.comments) issue.comments = commentHelper.mergeComments(issue, replica);'];
    case 'attachments': return ['if (replica.attachments) issue.attachments = attachmentHelper.mergeAttachments(issue, replica);'];
    case 'labels': return ['if (replica.labels) issue.labels = replica.labels;'];
    case 'components': return ['if (replica.components) issue.components = replica.components;'];
    case 'fixVersions': return ['if (replica.fixVersions) issue.fixVersions = replica.fixVersions;'];
    case 'worklogs': return ['if (replica.worklogs) issue.worklogs = worklogHelper.mergeWorklogs(issue, replica);'];
    case 'issueLinks': return ['if (replica.issueLinks) issue.issueLinks = replica.issueLinks;'];
    case 'issueType': return [];
    case 'status':
      return [
        // Only a change on the partner's side moves the status here, so local moves are not undone.
        'if (replica.status && (firstSync || !previous || !previous.status || previous.status.name !== replica.status.name)) {',
        `  var status = ${mapCall(m, side, 'replica.status.name', 'status')};`,
        '  if (status) issue.setStatus(status.value);',
        '}',
      ];
    case 'priority':
      return [
        'if (replica.priority !== undefined) {',
        `  var priority = replica.priority ? ${mapCall(m, side, 'replica.priority.name', 'priority')} : null;`,
        '  if (priority) issue.priority = nodeHelper.getPriority(priority.value) ?? issue.priority;',
        '}',
      ];
    case 'assignee': return [`if (replica.assignee !== undefined) issue.assignee = ${userCall(m, side, 'replica.assignee')};`];
    case 'reporter': return [`if (replica.reporter !== undefined) { var reporter = ${userCall(m, side, 'replica.reporter')}; if (reporter) issue.reporter = reporter; }`];
    case 'customField': {
      const cf = m.customField!;
      const remote = `replica.customFields && replica.customFields[${lit(cf[otherSide(side)])}]`;
      const local = `issue.customFields[${lit(cf[side])}]`;
      const read = `var cf_${safeId(m.id)} = ${remote}; if (cf_${safeId(m.id)}) issue.customFields = issue.customFields || {};`;
      if (cf.type === 'text') return [read, `if (cf_${safeId(m.id)}) ${local} = { type: "text", value: cf_${safeId(m.id)}.value == null ? null : String(cf_${safeId(m.id)}.value) };`];
      if (cf.type === 'select') {
        return [
          read,
          `if (cf_${safeId(m.id)}) {`,
          `  var option_${safeId(m.id)} = ${mapCall(m, side, `cf_${safeId(m.id)}.value`, `"${cf[side]}" option`)};`,
          `  if (cf_${safeId(m.id)}.value == null) ${local} = { type: "option", value: null };`,
          `  else if (option_${safeId(m.id)}) ${local} = { type: "option", value: option_${safeId(m.id)}.value };`,
          '}',
        ];
      }
      return [read, `if (cf_${safeId(m.id)}) ${local} = { type: "user", value: ${userCall(m, side, `cf_${safeId(m.id)}.value`)} };`];
    }
  }
}

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');
