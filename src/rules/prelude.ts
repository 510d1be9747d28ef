// The bindings rule scripts see, as JavaScript evaluated inside the sandbox
// before the admin's script: no host functions, only the text the engine
// passed. Each prelude is one expression that defines everything a run needs
// and returns `{start, finish, logs}`: `start()` reads the run's inputs from
// `__rules*` globals (and removes them) and binds `issue`, `replica` and the
// rest; `finish()` and `logs()` are for the sandbox afterwards.
//
// Compiling code dominates the cost of a fresh QuickJS context (about 150 ns
// per character of code), so the prelude holds only what the script names
// (a helper's code is left out unless the script mentions it), and it does not
// depend on the run: the sandbox can evaluate it in a new context ahead of time,
// while the engine waits on Jira, and the run then only calls `start()`.
// `previous` and the lookups stay JSON text until first read. A script that
// builds a helper's name at run time (e.g. `globalThis["node" + "Helper"]`)
// will not find it.

const LOG_LINES = 200;
const LOG_LINE_CHARS = 2_000;

/** Global names through which the sandbox hands the prelude its inputs. */
export const INPUT_GLOBALS = {
  main: '__rulesInput',
  previous: '__rulesPrevious',
  lookups: '__rulesLookups',
} as const;

/** Array methods that walk a length they did not allocate: on a sparse array
 *  or an array-like such as `{length: 1e12}` they would loop natively, where
 *  QuickJS never polls its interrupt handler. */
const LENGTH_WALKERS =
  'concat copyWithin every fill filter find findIndex findLast findLastIndex flat flatMap forEach includes indexOf ' +
  'join lastIndexOf map reduce reduceRight reverse slice some sort splice toLocaleString toString unshift shift ' +
  'toReversed toSorted toSpliced with';
/** String and JSON methods that can spend long in native code on big data. */
const HEAVY_STRING_METHODS = 'indexOf lastIndexOf includes split replace replaceAll repeat padStart padEnd search match matchAll normalize';
export const MAX_ARRAY_LENGTH = 1_000_000;

/** QuickJS polls its interrupt handler every ~10,000 bytecode steps, so a loop
 *  around a heavy native call (or one native call over a huge length) could
 *  run far past the deadline. These natives check the deadline themselves,
 *  and the length walkers refuse absurd lengths. Once the deadline passes,
 *  every guarded call and the result fail, so catching the error does not
 *  help a script. */
export const GUARD_SOURCE = `
  var apply = Reflect.apply, now = Date.now, stopAt = Infinity;
  function guarded(native, capped) {
    return function () {
      if (overdue || now() > stopAt) stop();
      if (capped && this != null && this.length > ${MAX_ARRAY_LENGTH}) {
        throw new RangeError('Arrays longer than ${MAX_ARRAY_LENGTH} elements are not supported in sync rules');
      }
      return apply(native, this, arguments);
    };
  }
  function guard(target, names, capped) {
    names = names.split(' ');
    for (var i = 0; i < names.length; i++) {
      var native = target[names[i]];
      if (typeof native === 'function') target[names[i]] = guarded(native, capped);
    }
  }
  guard(Array.prototype, '${LENGTH_WALKERS}', true);
  guard(String.prototype, '${HEAVY_STRING_METHODS}', false);
  guard(JSON, 'parse stringify', false);`;

const core = `
  var parse = JSON.parse, stringify = JSON.stringify, logs = [], dropped = 0, overdue = false;
  var input, lookupsText, parsedLookups;
  function takeInputs() {
    input = parse(g.${INPUT_GLOBALS.main});
    lookupsText = g.${INPUT_GLOBALS.lookups};
    delete g.${INPUT_GLOBALS.main};
    delete g.${INPUT_GLOBALS.lookups};
    stopAt = now() + input.deadlineMs;
  }
  function stop() {
    overdue = true;
    var e = new Error('interrupted');
    e.name = 'InternalError';
    throw e;
  }
  function lookups() { return parsedLookups || (parsedLookups = parse(lookupsText || '{}')); }
  function bind(name, value) { Object.defineProperty(g, name, { value: value, writable: true, configurable: true }); }
  function lazy(name, make) {
    Object.defineProperty(g, name, {
      configurable: true,
      get: function () { var made = make(); bind(name, made); return made; },
      set: function (value) { bind(name, value); },
    });
  }
  function show(v) {
    if (typeof v === 'string') return v;
    try { var s = stringify(v); if (s !== undefined) return s; } catch (e) {}
    try { return String(v); } catch (e) { return '[unprintable]'; }
  }
  function logLines() {
    if (!dropped) return logs;
    var lines = [];
    for (var i = 0; i < logs.length; i++) lines[i] = logs[i];
    lines[lines.length] = '(' + dropped + ' more log lines were dropped)';
    return lines;
  }
  function result(value) {
    if (overdue) stop();
    return stringify(value);
  }
  bind('debug', {
    log: function () {
      if (logs.length >= ${LOG_LINES}) { dropped++; return; }
      var parts = [];
      for (var i = 0; i < arguments.length; i++) parts.push(show(arguments[i]));
      var line = parts.join(' ');
      logs.push(line.length > ${LOG_LINE_CHARS} ? line.slice(0, ${LOG_LINE_CHARS}) + '…' : line);
    },
  });${GUARD_SOURCE}`;

/** `nodeHelper`: lookups the engine prefetched. Names compare
 *  case-insensitively, as admins type them. */
const nodeHelper = `(function (lookups, issue, unmapped) {
  var own = Object.prototype.hasOwnProperty;
  function lower(s) { return String(s).toLowerCase(); }
  function pick(list, test) {
    for (var i = 0; list && i < list.length; i++) if (test(list[i])) return list[i];
    return null;
  }
  function named(list, name) {
    if (name == null) return null;
    var wanted = lower(name);
    var hit = pick(list, function (e) { return lower(e.name) === wanted; });
    return hit && { id: hit.id, name: hit.name };
  }
  function types(projectKey) {
    var key = String(projectKey == null ? issue().projectKey : projectKey);
    var byProject = lookups().issueTypesByProject;
    return byProject && own.call(byProject, key) ? byProject[key] : [];
  }
  function user(test) {
    var hit = pick(lookups().users, test);
    return hit && { accountId: hit.accountId, displayName: hit.displayName, email: hit.email };
  }
  var helper = {
    getIssueType: function (name, projectKey) { return named(types(projectKey), name); },
    getDefaultIssueType: function (projectKey) {
      var hit = pick(types(projectKey), function (t) { return t.default; });
      return hit && { id: hit.id, name: hit.name };
    },
    getPriority: function (name) { return named(lookups().priorities, name); },
    getStatus: function (name) { return named(lookups().statuses, name); },
    getResolution: function (name) { return named(lookups().resolutions, name); },
    getUserByEmail: function (email) {
      if (email == null) return null;
      var wanted = lower(email);
      return user(function (u) { return u.email != null && lower(u.email) === wanted; });
    },
    getUserByAccountId: function (accountId) {
      if (accountId == null) return null;
      return user(function (u) { return u.accountId === String(accountId); });
    },
    /** The partner's person here: by email, else the connection's account table, else \`fallback\` (an email,
     *  an account id or a person), else the connection's fallback person. Nobody: undefined, which leaves the
     *  field as it is, and the engine warns. No person (null) stays null. */
    mapUser: function (remote, fallback) {
      if (remote == null) return null;
      var byEmail = remote.email ? helper.getUserByEmail(remote.email) : null;
      if (byEmail) return byEmail;
      var people = lookups().people || {}, accounts = people.accounts || {}, id = String(remote.accountId);
      if (own.call(accounts, id)) return { accountId: accounts[id].accountId, displayName: accounts[id].displayName };
      var chosen = null;
      if (fallback != null && typeof fallback === 'object') chosen = fallback.accountId ? helper.getUserByAccountId(fallback.accountId) || { accountId: String(fallback.accountId), displayName: String(fallback.displayName || fallback.accountId) } : null;
      else if (fallback != null) chosen = String(fallback).indexOf('@') > 0 ? helper.getUserByEmail(fallback) : helper.getUserByAccountId(fallback);
      if (!chosen && people.fallback) chosen = { accountId: people.fallback.accountId, displayName: people.fallback.displayName };
      unmapped(remote, !!chosen);
      return chosen || undefined;
    },
  };
  return helper;
})`;

/** `syncHelper`: twins and the unexalate wish. */
const syncHelper = `(function (lookups, state) {
  var own = Object.prototype.hasOwnProperty;
  return {
    getLocalIssueKeyFromRemoteId: function (remoteId) {
      var twins = lookups().twinsByRemoteId;
      if (remoteId == null || !twins || !own.call(twins, String(remoteId))) return null;
      var twin = twins[String(remoteId)];
      return { id: twin.id, key: twin.key };
    },
    unExalate: function () { state.unExalate = true; },
  };
})`;

/** `commentHelper` and `attachmentHelper`: merge a list the other side sent
 *  into this side's, touching only this connection's copies (items with a
 *  \`remoteId\`): new remote items are added, changed ones rebuilt, removed ones
 *  dropped, everything else kept as it is. */
const mergeHelpers = `(function (partnerName) {
  function merge(target, source, field, make) {
    var local = target && Array.isArray(target[field]) ? target[field] : [];
    if (!source || !Array.isArray(source[field])) return local.slice();
    var remote = source[field], wanted = new Map(), seen = new Set(), out = [], i, item, theirs, made;
    for (i = 0; i < remote.length; i++) wanted.set(String(remote[i].id), remote[i]);
    for (i = 0; i < local.length; i++) {
      item = local[i];
      if (!item || item.remoteId == null) { out.push(item); continue; }
      theirs = wanted.get(String(item.remoteId));
      if (!theirs || seen.has(String(theirs.id))) continue;
      seen.add(String(theirs.id));
      made = make(theirs, item);
      if (made) out.push(made);
    }
    for (i = 0; i < remote.length; i++) {
      if (seen.has(String(remote[i].id))) continue;
      seen.add(String(remote[i].id));
      made = make(remote[i], null);
      if (made) out.push(made);
    }
    return out;
  }
  // A copy is written by the app, so its first line names the author and, when the engine passed it, the
  // partner's site ("Ava Blue, on Blue Jira:"). Copies made under the earlier heading ("Ava Blue commented:")
  // keep it while the text under it is the same, so an upgrade does not rewrite every copied comment.
  function heading(who, verb) {
    return { type: 'paragraph', content: [{ type: 'text', text: partnerName ? who + ', on ' + partnerName + ':' : who + ' ' + verb + ':' }] };
  }
  function withHeading(author, body, verb, mine, mineBody) {
    var who = author && author.displayName ? author.displayName : 'Someone';
    var content = body && Array.isArray(body.content) ? body.content : [];
    var first = mineBody && Array.isArray(mineBody.content) ? mineBody.content[0] : null;
    if (mine && partnerName && first && mineBody.content.length === content.length + 1
      && stringify(first) === stringify({ type: 'paragraph', content: [{ type: 'text', text: who + ' ' + verb + ':' }] })
      && stringify(mineBody.content.slice(1)) === stringify(content)) return mineBody;
    return { type: 'doc', version: 1, content: [heading(who, verb)].concat(content) };
  }
  return {
    commentHelper: {
      mergeComments: function (target, source, change) {
        return merge(target, source, 'comments', function (theirs, mine) {
          var copy = { remoteId: String(theirs.id), author: theirs.author, body: withHeading(theirs.author, theirs.body, 'commented', mine, mine && mine.body), internal: !!theirs.internal, created: theirs.created, updated: theirs.updated };
          if (mine) copy.id = mine.id;
          if (typeof change !== 'function') return copy;
          var changed = change(copy, theirs);
          if (changed === false) return null;
          if (!changed || typeof changed !== 'object') return copy;
          if (mine && changed.id == null) changed.id = mine.id;
          if (changed.remoteId == null) changed.remoteId = String(theirs.id);
          return changed;
        });
      },
      /** A new comment by the app, added to \`comments\` (Exalate's addComment): \`issue.comments = commentHelper.addComment("Synced", issue.comments)\`. */
      addComment: function (body, comments) {
        var list = Array.isArray(comments) ? comments.slice() : [];
        list.push({ body: body == null ? '' : body, internal: false });
        return list;
      },
    },
    worklogHelper: {
      /** The partner's worklogs as this connection's copies; the time and the day stay, the author leads the comment. */
      mergeWorklogs: function (target, source) {
        return merge(target, source, 'worklogs', function (theirs, mine) {
          var copy = { remoteId: String(theirs.id), author: theirs.author, timeSpentSeconds: theirs.timeSpentSeconds, started: theirs.started, comment: withHeading(theirs.author, theirs.comment, 'logged', mine, mine && mine.comment) };
          if (mine) copy.id = mine.id;
          return copy;
        });
      },
    },
    attachmentHelper: {
      mergeAttachments: function (target, source) {
        return merge(target, source, 'attachments', function (theirs, mine) {
          return mine || { remoteId: String(theirs.id), filename: theirs.filename, mimeType: theirs.mimeType, size: theirs.size, created: theirs.created, sha256: theirs.sha256, contentRef: theirs.contentRef };
        });
      },
    },
  };
})`;

/** `plainText(value)`: the text of a rich-text (ADF) body, so a script can
 *  search a comment or a description (`plainText(c.body).includes("[sync]")`);
 *  paragraphs and hard breaks become line breaks; a string comes back as it is,
 *  nothing as "". Walks with its own stack, so a deep document cannot overflow. */
const plainText = `function (value) {
    if (value == null) return '';
    if (typeof value === 'string') return value;
    if (typeof value !== 'object') return String(value);
    var out = '', stack = [value], node, i, content;
    var blocks = { paragraph: 1, heading: 1, listItem: 1, codeBlock: 1, blockquote: 1, rule: 1, tableRow: 1, panel: 1 };
    while (stack.length) {
      node = stack.pop();
      if (node === '\\n') { if (out && out.charAt(out.length - 1) !== '\\n') out += '\\n'; continue; }
      if (!node || typeof node !== 'object') continue;
      if (typeof node.text === 'string') out += node.text;
      else if (node.type === 'hardBreak') out += '\\n';
      else if (node.type === 'mention' && node.attrs && node.attrs.text) out += node.attrs.text;
      else if ((node.type === 'emoji' || node.type === 'status') && node.attrs) out += node.attrs.text || node.attrs.shortName || '';
      else if (node.type === 'inlineCard' && node.attrs && node.attrs.url) out += node.attrs.url;
      content = node.content;
      if (blocks[node.type]) stack.push('\\n');
      if (Array.isArray(content)) for (i = content.length - 1; i >= 0; i--) stack.push(content[i]);
    }
    return out.replace(/\\n+$/, '');
  }`;

/** `customFieldHelper.setValue(target, name, value)`: sets a custom field's
 *  value by name, as Exalate's `customFields."Name".value = …` does. A custom
 *  field travels with its type (text, number, option, …); the type comes from
 *  the field already on `target`, else from the same field on the other side
 *  (the replica for an incoming script, the issue for an outgoing one), else
 *  from the value itself. */
const customFieldHelper = `(function (peerOf) {
  var TYPES = { text: 1, richtext: 1, number: 1, option: 1, options: 1, cascade: 1, user: 1, users: 1, labels: 1, date: 1, datetime: 1 };
  function typeOf(field) { return field && typeof field === 'object' && TYPES[field.type] ? field.type : null; }
  function guess(value) {
    if (typeof value === 'number') return 'number';
    if (typeof value === 'string') return 'text';
    if (Array.isArray(value)) return 'labels';
    if (value && typeof value === 'object' && typeof value.accountId === 'string') return 'user';
    if (value && typeof value === 'object' && value.type === 'doc') return 'richtext';
    if (value && typeof value === 'object' && typeof value.parent === 'string') return 'cascade';
    return null;
  }
  return {
    setValue: function (target, name, value) {
      if (!target || typeof target !== 'object') throw new TypeError('customFieldHelper.setValue needs the issue or replica to change');
      var fields = target.customFields && typeof target.customFields === 'object' ? target.customFields : (target.customFields = {});
      var peer = peerOf(target), peerFields = peer && peer.customFields;
      var type = typeOf(fields[name]) || typeOf(peerFields && peerFields[name]) || guess(value);
      if (!type) return;
      if (value === undefined || value === null) value = type === 'options' || type === 'labels' || type === 'users' ? [] : null;
      if (type === 'text' && typeof value !== 'string' && value !== null) value = String(value);
      if (type === 'number' && typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value))) value = Number(value);
      fields[name] = { type: type, value: value };
    },
  };
})`;

export interface PreludeNeeds {
  nodeHelper: boolean;
  syncHelper: boolean;
  mergeHelpers: boolean;
  previous: boolean;
  plainText: boolean;
  customFieldHelper: boolean;
}

/** Which optional bindings a script names. Word matches on the source: a
 *  name in a comment costs a little time, never correctness. */
export function preludeNeeds(script: string): PreludeNeeds {
  return {
    nodeHelper: /\bnodeHelper\b/.test(script),
    syncHelper: /\bsyncHelper\b/.test(script),
    mergeHelpers: /\b(commentHelper|attachmentHelper|worklogHelper)\b/.test(script),
    previous: /\bprevious\b/.test(script),
    plainText: /\bplainText\b/.test(script),
    customFieldHelper: /\bcustomFieldHelper\b/.test(script),
  };
}

const wrap = (definitions: string, start: string, finish: string) => `(function (g) {
  'use strict';${core}${definitions}
  return {
    start: function () {
      takeInputs();${start}
    },
    finish: function () { return result(${finish}); },
    logs: function () { return stringify(logLines()); },
  };
})(globalThis)`;

/** Outgoing: `issue` is the local issue, frozen with its fields; `replica`
 *  starts with the issue's identity and is what the script fills. */
function outgoingPrelude(needs: PreludeNeeds): string {
  return wrap(
    [
      needs.nodeHelper ? `\n  var makeNodeHelper = ${nodeHelper};` : '',
      needs.plainText ? `\n  bind('plainText', ${plainText});` : '',
      needs.customFieldHelper ? `\n  var makeCustomFieldHelper = ${customFieldHelper};` : '',
    ].join(''),
    `
      var issue = Object.freeze(input.issue);
      for (var key in issue) if (issue[key] !== null && typeof issue[key] === 'object') Object.freeze(issue[key]);
      bind('issue', issue);
      bind('replica', { id: issue.id, key: issue.key });${needs.nodeHelper ? `
      bind('nodeHelper', makeNodeHelper(lookups, function () { return issue; }, function () {}));` : ''}${needs.customFieldHelper ? `
      bind('customFieldHelper', makeCustomFieldHelper(function (target) { return target === g.issue ? g.replica : g.issue; }));` : ''}`,
    '{ replica: g.replica, logs: logLines() }',
  );
}

/** Incoming: `replica` as received, `previous` (the replica applied last
 *  time, or null), `issue` the local issue to change (next to empty on the
 *  first sync), `firstSync`, and the helpers. */
function incomingPrelude(needs: PreludeNeeds): string {
  const definitions = [
    '\n  var state = { status: null, unExalate: false, unmapped: [] };',
    needs.nodeHelper ? `\n  var makeNodeHelper = ${nodeHelper};` : '',
    needs.syncHelper ? `\n  var makeSyncHelper = ${syncHelper};` : '',
    needs.mergeHelpers ? `\n  var makeMergeHelpers = ${mergeHelpers};` : '',
    needs.plainText ? `\n  bind('plainText', ${plainText});` : '',
    needs.customFieldHelper ? `\n  var makeCustomFieldHelper = ${customFieldHelper};` : '',
  ].join('');
  return wrap(
    definitions,
    `
      var issue = input.issue;
      // On a first sync the issue is next to empty: custom field lines such as
      // issue.customFields["Story Points"] = … still have somewhere to write.
      if (!issue.customFields || typeof issue.customFields !== 'object') issue.customFields = {};
      Object.defineProperty(issue, 'setStatus', {
        value: function (name) { state.status = name == null ? null : String(name); },
        writable: true,
        configurable: true,
      });
      bind('issue', issue);
      bind('replica', input.replica);
      bind('firstSync', input.firstSync);${needs.previous ? `
      var previousText = g.${INPUT_GLOBALS.previous};
      delete g.${INPUT_GLOBALS.previous};
      lazy('previous', function () { return parse(previousText); });` : ''}${needs.nodeHelper ? `
      bind('nodeHelper', makeNodeHelper(lookups, function () { return g.issue; }, function (remote, fellBack) {
        state.unmapped.push({ accountId: String(remote.accountId), displayName: String(remote.displayName || remote.accountId), fellBack: fellBack });
      }));` : ''}${needs.syncHelper ? `
      bind('syncHelper', makeSyncHelper(lookups, state));` : ''}${needs.mergeHelpers ? `
      var merge = makeMergeHelpers(typeof input.partnerName === 'string' && input.partnerName ? input.partnerName : null);
      bind('commentHelper', merge.commentHelper);
      bind('attachmentHelper', merge.attachmentHelper);
      bind('worklogHelper', merge.worklogHelper);` : ''}${needs.customFieldHelper ? `
      bind('customFieldHelper', makeCustomFieldHelper(function (target) { return target === g.issue ? g.replica : g.issue; }));` : ''}`,
    '{ issue: g.issue, status: state.status, unExalate: state.unExalate, unmapped: state.unmapped, logs: logLines() }',
  );
}

const preludes = new Map<string, string>();

/** The prelude for a script, by direction and by the bindings it names (at most 128 texts, made once). */
export function preludeFor(direction: 'outgoing' | 'incoming', script: string): string {
  const needs = preludeNeeds(script);
  const key = `${direction}:${needs.nodeHelper}:${needs.syncHelper}:${needs.mergeHelpers}:${needs.previous}:${needs.plainText}:${needs.customFieldHelper}`;
  let text = preludes.get(key);
  if (!text) {
    text = direction === 'outgoing' ? outgoingPrelude(needs) : incomingPrelude(needs);
    preludes.set(key, text);
  }
  return text;
}
