import { describe, expect, it } from 'vitest';
import { translateGroovy, TranslationTooCostly } from '../../../src/rules/groovy';
import { looksLikeGroovy } from '../../../src/domain/groovy-signs';
import { sandbox } from '../../../src/rules/sandbox';

// The Groovy → JavaScript translation, construct by construct: what Exalate's
// rules write, what comes out, that it compiles, and that what cannot be
// translated is listed with its line and kept as a comment.

const incoming = (source: string) => translateGroovy({ source, direction: 'incoming' });
const outgoing = (source: string) => translateGroovy({ source, direction: 'outgoing' });
const js = (source: string, direction: 'incoming' | 'outgoing' = 'incoming') => translateGroovy({ source, direction }).script.trim();

async function compiles(script: string): Promise<void> {
  const error = (await sandbox()).compile(script, 'translated.js');
  expect(error, script).toBeNull();
}

describe('translating Exalate Groovy', () => {
  it('keeps assignments, firstSync and helper calls as they are', () => {
    expect(js('issue.summary = replica.summary\nissue.labels = replica.labels')).toBe('issue.summary = replica.summary;\nissue.labels = replica.labels;');
    expect(js('if (firstSync) {\n  issue.projectKey = "SC"\n}')).toBe('if (firstSync) {\n  issue.projectKey = "SC";\n}');
    expect(js('issue.comments = commentHelper.mergeComments(issue, replica)')).toBe('issue.comments = commentHelper.mergeComments(issue, replica);');
    expect(js('issue.attachments = attachmentHelper.mergeAttachments(issue, replica)')).toBe('issue.attachments = attachmentHelper.mergeAttachments(issue, replica);');
  });

  it('turns def and maps into let and objects, and ?: / ?. into || / ?.', () => {
    expect(js('def statusMap = ["Open": "To Do", Done: "Closed"]\nissue.setStatus(statusMap[replica.status?.name] ?: "To Do")')).toBe(
      'let statusMap = { "Open": "To Do", "Done": "Closed" };\nissue.setStatus(statusMap[replica.status?.name] || "To Do");',
    );
    expect(js('def empty = [:]\ndef list = []')).toBe('let empty = {};\nlet list = [];');
  });

  it('maps nodeHelper to the helpers this app has', () => {
    expect(js('issue.assignee = nodeHelper.getUserByEmail(replica.assignee?.email)')).toBe('issue.assignee = nodeHelper.getUserByEmail(replica.assignee?.email);');
    expect(js('issue.reporter = nodeHelper.getUser(replica.reporter?.accountId)')).toBe('issue.reporter = nodeHelper.getUserByAccountId(replica.reporter?.accountId);');
    expect(js('issue.priority = nodeHelper.getPriority(replica.priority?.name)')).toBe('issue.priority = nodeHelper.getPriority(replica.priority?.name);');
    expect(js('issue.project = nodeHelper.getProject("SC")')).toBe('issue.projectKey = "SC";');
    expect(js('issue.labels += nodeHelper.getLabel("synced")')).toBe('issue.labels = (issue.labels ?? []).concat("synced");');
  });

  it('turns GStrings into template literals, reading rich text as text', () => {
    expect(js('issue.summary = "[${replica.key}] $replica.summary"')).toBe('issue.summary = `[${replica.key}] ${replica.summary}`;');
    expect(js('issue.summary = "From: ${replica.description}"')).toBe('issue.summary = `From: ${plainText(replica.description)}`;');
  });

  it('turns closures into arrow functions, with the implicit it', () => {
    expect(js('replica.comments = issue.comments.findAll { !it.internal }', 'outgoing')).toBe('replica.comments = (issue.comments ?? []).filter((it) => !it.internal);');
    expect(js('issue.labels = replica.labels.collect { l -> l.toUpperCase() }')).toBe('issue.labels = (replica.labels ?? []).map((l) => l.toUpperCase());');
    expect(js('def c = replica.comments.find { it.author.email == "a@b.c" }')).toBe('let c = ((replica.comments ?? []).find((it) => it.author.email === "a@b.c") ?? null);');
    expect(js('if (replica.labels.any { it.startsWith("x") }) return')).toBe('if ((replica.labels ?? []).some((it) => it.startsWith("x"))) { return; }');
    expect(js('replica.labels.each {\n  debug.log(it)\n}')).toBe('replica.labels.forEach((it) => {\n  debug.log(it);\n});');
  });

  it('searches the text inside a comment body for string tests', () => {
    expect(js('replica.comments = issue.comments.findAll { !it.body.contains("[internal]") }', 'outgoing')).toBe(
      'replica.comments = (issue.comments ?? []).filter((it) => !plainText(it.body).includes("[internal]"));',
    );
    expect(js('def keep = c.body.startsWith("#sync") || c.body.toLowerCase().endsWith("please")')).toBe(
      'let keep = plainText(c.body).startsWith("#sync") || plainText(c.body).toLowerCase().endsWith("please");',
    );
    expect(js('if (comment.body =~ /(?i)customer/) return')).toBe('if (/customer/i.test(plainText(comment.body))) { return; }');
    expect(js('def ok = it.body ==~ "OK.*"')).toBe('let ok = new RegExp("^(?:OK.*)$").test(plainText(it.body));');
  });

  it('reads and writes custom fields by name', () => {
    expect(js('issue.customFields."Story Points".value = replica.customFields."Story Points"?.value')).toBe(
      'customFieldHelper.setValue(issue, "Story Points", replica.customFields?.["Story Points"]?.value);',
    );
    expect(js('replica.customFields."Customer" = issue.customFields."Customer"', 'outgoing')).toBe('(replica.customFields ??= {})["Customer"] = issue.customFields?.["Customer"];');
    expect(js('def sev = replica.customFields.Severity?.value')).toBe('let sev = replica.customFields?.["Severity"]?.value;');
  });

  it('reads Exalate label objects as the plain strings labels are here', () => {
    expect(js('issue.labels = replica.labels.collect { it.label }')).toBe('issue.labels = (replica.labels ?? []).map((it) => it);');
  });

  it('writes one-line blocks with their braces spaced', () => {
    expect(js('if (a) { issue.setStatus("Done") } else { return }')).toBe('if (a) { issue.setStatus("Done"); } else { return; }');
  });

  it('gives Groovy truth to lists: an empty list is false', () => {
    expect(js('if (replica.labels) issue.labels = replica.labels')).toBe('if (replica.labels?.length > 0) { issue.labels = replica.labels; }');
    expect(js('def labels = replica.labels ?: ["none"]')).toBe('let labels = replica.labels?.length > 0 ? replica.labels : ["none"];');
  });

  it('compares with === except against null, and tests membership with in', () => {
    expect(js('if (replica.priority == null || replica.priority.name != "High") return')).toBe(
      'if (replica.priority == null || replica.priority.name !== "High") { return; }',
    );
    expect(js('if (replica.status.name in ["Done", "Closed"]) issue.setStatus("Done")')).toBe(
      'if (["Done", "Closed"].includes(replica.status.name)) { issue.setStatus("Done"); }',
    );
  });

  it('turns debug.error into a throw and log calls into debug.log', () => {
    expect(js('debug.error("no mapping for " + replica.key)')).toBe('throw new Error(String("no mapping for " + replica.key));');
    expect(js('log.info("synced")\nprintln "done"')).toBe('debug.log("synced");\ndebug.log("done");');
    expect(js('throw new IssueTrackerException("stop")')).toBe('throw new Error("stop");');
  });

  it('keeps the original lines and comments', () => {
    const source = '// Incoming sync\n\n/* block\n   comment */\nissue.summary = replica.summary // the title\n\nif (firstSync) {\n  // create\n  issue.projectKey = "SC"\n}\n';
    const script = incoming(source).script;
    expect(script.split('\n').slice(0, 10)).toEqual([
      '// Incoming sync',
      '',
      '/* block',
      '   comment */',
      'issue.summary = replica.summary; // the title',
      '',
      'if (firstSync) {',
      '  // create',
      '  issue.projectKey = "SC";',
      '}',
    ]);
  });

  it('lists what it cannot translate with its line, and keeps it as a comment', () => {
    const source = 'issue.summary = replica.summary\nissue.components = replica.components\ndef resp = httpClient.get("/rest/api/2/issue")\nissue.fixVersions = []\nissue.labels = replica.labels';
    const out = incoming(source);
    expect(out.unsupported.map((u) => u.line)).toEqual([2, 3, 4]);
    expect(out.unsupported[0]).toMatchObject({ construct: 'issue.components', suggestion: expect.stringContaining('Components') });
    expect(out.unsupported[1]).toMatchObject({ construct: 'httpClient', suggestion: expect.stringContaining('network') });
    expect(out.script.split('\n')).toEqual([
      'issue.summary = replica.summary;',
      '// not translated: issue.components = replica.components',
      '// not translated: def resp = httpClient.get("/rest/api/2/issue")',
      '// not translated: issue.fixVersions = []',
      'issue.labels = replica.labels;',
      '',
    ]);
  });

  it('lists a line it cannot read and goes on with the next', () => {
    const out = incoming('issue.summary = replica.summary\ndef (a, b) = [1, 2]\nissue.labels = replica.labels');
    expect(out.unsupported).toEqual([{ line: 2, construct: 'def (a, b) = [1, 2]', suggestion: expect.stringContaining('Multiple assignment') }]);
    expect(out.script).toContain('issue.labels = replica.labels;');
  });

  it('refuses what the direction does not allow', () => {
    expect(outgoing('issue.summary = "x"').unsupported[0]?.suggestion).toMatch(/read-only/);
    expect(outgoing('if (firstSync) replica.summary = issue.summary').unsupported[0]?.suggestion).toMatch(/incoming/);
    expect(outgoing('issue.comments = commentHelper.mergeComments(issue, replica)').unsupported).toHaveLength(1);
  });

  it('stops on an unclosed string with the whole script kept as comments', () => {
    const out = incoming('issue.summary = "oops\nissue.labels = []');
    expect(out.unsupported).toEqual([{ line: 1, construct: 'issue.summary = "oops', suggestion: expect.stringContaining('not closed') }]);
    expect(out.script).toBe('// issue.summary = "oops\n// issue.labels = []\n');
  });

  it('produces scripts that compile, for a mix of everything above', async () => {
    for (const source of [
      'def m = ["a": 1]\nm.each { k, v -> debug.log("${k}=${v}") }\nfor (e in m) { debug.log(e.key) }',
      'switch (replica.priority?.name) {\n  case "Highest":\n  case ["High", "Urgent"]:\n    issue.priority = nodeHelper.getPriority("High")\n    break\n  default:\n    issue.priority = nodeHelper.getPriority("Low")\n}',
      'try {\n  issue.summary = replica.summary.trim()\n} catch (Exception e) {\n  debug.log(e.message)\n}',
      'def total = replica.labels.inject(0) { acc, l -> acc + l.size() }\nfor (int i = 0; i < 3; i++) { debug.log(i) }\nfor (i in 0..<2) { debug.log(i) }',
      'def String name = replica.summary as String\nint n = "5".toInteger()\ndef byName = replica.labels.collectEntries { [(it): it.size()] }',
      'def parent = nodeHelper.getLocalIssueKeyFromRemoteId(replica.parentId)\nif (parent) issue.parentId = parent.id',
      'issue.summary = replica.summary.replaceAll(/\\s+/, " ").replace("[ext]", "").split(",").join(";")',
    ]) {
      const out = incoming(source);
      expect(out.unsupported, source).toEqual([]);
      await compiles(out.script);
    }
  });
});

describe('bounded translation', () => {
  it('translates the longest allowed ordinary script within its budget', () => {
    // About 0.3 s on the development machine; the budget (3 s) is what a slower or busier machine has.
    const line = 'issue.labels = replica.labels.findAll { it.startsWith("x") }.collect { it.toUpperCase() }\n';
    const source = line.repeat(Math.floor(100_000 / line.length));
    const out = incoming(source);
    expect(out.unsupported).toEqual([]);
    expect(out.script.split('\n')).toHaveLength(source.split('\n').length);
  });

  it('refuses a source over the length limit', () => {
    expect(() => incoming('x'.repeat(100_001))).toThrow(TranslationTooCostly);
  });

  it.each([
    ['deep parentheses', '('.repeat(50_000)],
    ['deep brackets', 'def x = ' + '['.repeat(30_000) + ']'.repeat(30_000)],
    ['deep closures', 'x.each { '.repeat(20_000)],
    ['a long operator chain', 'def x = ' + '1 + '.repeat(24_000) + '1'],
    ['a long member chain', 'def x = a' + '.b'.repeat(45_000)],
    ['nested GStrings', '"${"'.repeat(20_000)],
    ['unbalanced braces', '}'.repeat(90_000)],
    ['many bad lines', 'def (\n'.repeat(16_000)],
    ['unary chain', 'def x = ' + '!'.repeat(90_000) + 'y'],
  ])('answers within the time budget (3 s) for %s', (_, source) => {
    const started = performance.now();
    let result: unknown;
    try {
      result = incoming(source.slice(0, 100_000));
    } catch (e) {
      expect(e).toBeInstanceOf(TranslationTooCostly);
    }
    if (result) expect((result as { unsupported: unknown[] }).unsupported.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('looksLikeGroovy', () => {
  it('names the Groovy signs it sees', () => {
    expect(looksLikeGroovy('def x = replica.summary ?: "none"').signs).toEqual(['`def` declarations', 'the Elvis operator ?:']);
    expect(looksLikeGroovy('issue.labels.each { l -> debug.log(l) }').groovy).toBe(true);
    expect(looksLikeGroovy('issue.summary = replica.summary;').groovy).toBe(false);
  });
});
