// The bindings rule scripts see, as JavaScript evaluated inside the sandbox
// before the admin's script: no host functions, only the JSON input the engine
// passed. Each prelude is one expression that reads `__rulesInput`, defines
// the globals, and returns `{finish, logs}` for the sandbox to call afterwards.
//
// Parsing is the dominant cost of a fresh context, so helpers are kept as
// source text and compiled on first use: a script that never touches
// `commentHelper` never pays for it.

const LOG_LINES = 200;
const LOG_LINE_CHARS = 2_000;

const header = `(function (global) {
  'use strict';
  var input = JSON.parse(global.__rulesInput);
  delete global.__rulesInput;
  var stringify = JSON.stringify;
  var evaluate = eval;
  var logs = [];
  var dropped = 0;
  function show(v) {
    if (typeof v === 'string') return v;
    try { var s = stringify(v); if (s !== undefined) return s; } catch (e) {}
    try { return String(v); } catch (e) { return '[unprintable]'; }
  }
  function bind(name, value) {
    Object.defineProperty(global, name, { value: value, writable: true, configurable: true });
  }
  function lazy(name, source, env) {
    Object.defineProperty(global, name, {
      configurable: true,
      get: function () { var made = (0, evaluate)(source)(env); bind(name, made); return made; },
      set: function (value) { bind(name, value); },
    });
  }
  function logLines() {
    return dropped ? logs.concat(['(' + dropped + ' more log lines were dropped)']) : logs;
  }
  bind('debug', {
    log: function () {
      if (logs.length >= ${LOG_LINES}) { dropped++; return; }
      var parts = [];
      for (var i = 0; i < arguments.length; i++) parts.push(show(arguments[i]));
      var line = parts.join(' ');
      logs.push(line.length > ${LOG_LINE_CHARS} ? line.slice(0, ${LOG_LINE_CHARS}) + '…' : line);
    }
  });
`;

const footer = `})(globalThis)`;

/** `nodeHelper` and `syncHelper`: lookups the engine prefetched. Names compare
 *  case-insensitively, as admins type them. */
const nodeHelperSource = `(function (env) {
  var lookups = env.lookups;
  var own = Object.prototype.hasOwnProperty;
  function lower(s) { return String(s).toLowerCase(); }
  function entry(map, key) { return map && key != null && own.call(map, String(key)) ? map[String(key)] : undefined; }
  function named(list, name) {
    if (name == null || !list) return null;
    var wanted = lower(name);
    for (var i = 0; i < list.length; i++) {
      if (lower(list[i].name) === wanted) return { id: list[i].id, name: list[i].name };
    }
    return null;
  }
  function typesOf(projectKey) {
    return entry(lookups.issueTypesByProject, projectKey == null ? env.issue().projectKey : projectKey) || [];
  }
  function person(u) { return { accountId: u.accountId, displayName: u.displayName, email: u.email }; }
  function findUser(test) {
    var users = lookups.users || [];
    for (var i = 0; i < users.length; i++) if (test(users[i])) return person(users[i]);
    return null;
  }
  return {
    getIssueType: function (name, projectKey) { return named(typesOf(projectKey), name); },
    getDefaultIssueType: function (projectKey) {
      var types = typesOf(projectKey);
      for (var i = 0; i < types.length; i++) if (types[i].default) return { id: types[i].id, name: types[i].name };
      return null;
    },
    getPriority: function (name) { return named(lookups.priorities, name); },
    getStatus: function (name) { return named(lookups.statuses, name); },
    getResolution: function (name) { return named(lookups.resolutions, name); },
    getUserByEmail: function (email) {
      if (email == null) return null;
      var wanted = lower(email);
      return findUser(function (u) { return u.email != null && lower(u.email) === wanted; });
    },
    getUserByAccountId: function (accountId) {
      if (accountId == null) return null;
      var wanted = String(accountId);
      return findUser(function (u) { return u.accountId === wanted; });
    },
  };
})`;

const syncHelperSource = `(function (env) {
  var own = Object.prototype.hasOwnProperty;
  return {
    getLocalIssueKeyFromRemoteId: function (remoteId) {
      var twins = env.lookups.twinsByRemoteId;
      if (remoteId == null || !twins || !own.call(twins, String(remoteId))) return null;
      var twin = twins[String(remoteId)];
      return { id: twin.id, key: twin.key };
    },
    unExalate: function () { env.state.unExalate = true; },
  };
})`;

/** Merges a list the other side sent into this side's list, touching only the
 *  copies this connection made (those with a \`remoteId\`): new remote items
 *  are added, changed ones rebuilt, removed ones dropped. */
const mergeSource = `function merge(target, source, field, make) {
    var local = target && Array.isArray(target[field]) ? target[field] : [];
    if (!source || !Array.isArray(source[field])) return local.slice();
    var remote = source[field];
    var wanted = new Map();
    for (var i = 0; i < remote.length; i++) wanted.set(String(remote[i].id), remote[i]);
    var seen = new Set();
    var out = [];
    for (var j = 0; j < local.length; j++) {
      var mine = local[j];
      if (!mine || mine.remoteId == null) { out.push(mine); continue; }
      var theirs = wanted.get(String(mine.remoteId));
      if (!theirs || seen.has(String(theirs.id))) continue;
      seen.add(String(theirs.id));
      var kept = make(theirs, mine);
      if (kept) out.push(kept);
    }
    for (var k = 0; k < remote.length; k++) {
      if (seen.has(String(remote[k].id))) continue;
      seen.add(String(remote[k].id));
      var added = make(remote[k], null);
      if (added) out.push(added);
    }
    return out;
  }`;

const commentHelperSource = `(function () {
  ${mergeSource}
  function attributed(c) {
    var who = c.author && c.author.displayName ? c.author.displayName : 'Someone';
    var body = c.body && Array.isArray(c.body.content) ? c.body.content : [];
    return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: who + ' commented:' }] }].concat(body) };
  }
  return {
    mergeComments: function (target, source, change) {
      return merge(target, source, 'comments', function (theirs, mine) {
        var copy = {
          remoteId: String(theirs.id),
          author: theirs.author,
          body: attributed(theirs),
          internal: !!theirs.internal,
          created: theirs.created,
          updated: theirs.updated,
        };
        if (mine) copy.id = mine.id;
        if (typeof change !== 'function') return copy;
        var changed = change(copy, theirs);
        if (changed === false) return null;
        if (changed && typeof changed === 'object') {
          if (mine && changed.id == null) changed.id = mine.id;
          if (changed.remoteId == null) changed.remoteId = String(theirs.id);
          return changed;
        }
        return copy;
      });
    },
  };
})`;

const attachmentHelperSource = `(function () {
  ${mergeSource}
  return {
    mergeAttachments: function (target, source) {
      return merge(target, source, 'attachments', function (theirs, mine) {
        if (mine) return mine;
        return {
          remoteId: String(theirs.id),
          filename: theirs.filename,
          mimeType: theirs.mimeType,
          size: theirs.size,
          created: theirs.created,
          sha256: theirs.sha256,
          contentRef: theirs.contentRef,
        };
      });
    },
  };
})`;

/** Outgoing: `issue` is the local issue, frozen; `replica` starts with the
 *  issue's identity and is what the script fills. */
export const OUTGOING_PRELUDE = `${header}
  function freeze(v) {
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (var k in v) freeze(v[k]);
    }
    return v;
  }
  var issue = freeze(input.issue);
  var env = { lookups: input.lookups, state: {}, issue: function () { return issue; } };
  bind('issue', issue);
  bind('replica', { id: issue.id, key: issue.key });
  lazy('nodeHelper', ${JSON.stringify(nodeHelperSource)}, env);
  return {
    finish: function () { return stringify({ replica: global.replica, logs: logLines() }); },
    logs: function () { return stringify(logLines()); },
  };
${footer}`;

/** Incoming: `replica` and `previous` as received, `issue` the local issue to
 *  change (next to empty on the first sync), `firstSync`, and the helpers. */
export const INCOMING_PRELUDE = `${header}
  var state = { status: null, unExalate: false };
  var issue = input.issue;
  function setStatus(name) { state.status = name == null ? null : String(name); }
  Object.defineProperty(issue, 'setStatus', { value: setStatus, writable: true, configurable: true });
  var env = { lookups: input.lookups, state: state, issue: function () { return global.issue; } };
  bind('issue', issue);
  bind('replica', input.replica);
  bind('previous', input.previous);
  bind('firstSync', input.firstSync);
  lazy('nodeHelper', ${JSON.stringify(nodeHelperSource)}, env);
  lazy('syncHelper', ${JSON.stringify(syncHelperSource)}, env);
  lazy('commentHelper', ${JSON.stringify(commentHelperSource)}, env);
  lazy('attachmentHelper', ${JSON.stringify(attachmentHelperSource)}, env);
  return {
    finish: function () {
      return stringify({ issue: global.issue, status: state.status, unExalate: state.unExalate, logs: logLines() });
    },
    logs: function () { return stringify(logLines()); },
  };
${footer}`;
