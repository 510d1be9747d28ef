import type { JiraClient } from '../jira/client';

// Moving an issue to a status as a person would: through the transitions its
// workflow offers. Jira answers "which transitions leave the issue's current
// status" (GET /issue/{key}/transitions), not the whole workflow (reading
// workflows needs Administer Jira, which an app user need not hold), so the
// graph is learned as the issue moves: a breadth-first search over what is
// known, and when the target is not yet reachable in it, a step to the
// nearest status whose transitions are unknown. When every reachable status
// is known and none is the target, no path exists: the issue goes back to
// where it started (when the workflow allows) and the caller records why.

/** Status name (lower case) → the transitions leaving it. */
type Graph = Map<string, { id: string; to: string; toName: string }[]>;

export interface StatusMove {
  /** The status the issue ended in (its start when nothing moved). */
  reached: string;
  /** Whether the target was reached. */
  ok: boolean;
  /** Transitions made, in order, by the name of the status each led to. */
  path: string[];
  /** Jira REST calls made. */
  calls: number;
  /** Set when the target could not be reached: the reason, for the history and the errors list. */
  error?: string;
}

/** Enough for any drawn workflow an admin keeps; a longer wander means something else is wrong. */
const MAX_TRANSITIONS = 24;

const norm = (name: string) => name.toLowerCase();

export async function moveToStatus(jira: JiraClient, issueKey: string, currentStatus: string, target: string): Promise<StatusMove> {
  const start = currentStatus;
  if (norm(start) === norm(target)) return { reached: start, ok: true, path: [], calls: 0 };
  const graph: Graph = new Map();
  let here = start;
  let calls = 0;
  const path: string[] = [];

  const explore = async (status: string) => {
    const { transitions } = await jira.issues.transitions(issueKey);
    calls++;
    graph.set(norm(status), transitions.map((t) => ({ id: t.id, to: norm(t.to.name), toName: t.to.name })));
  };
  const step = async (edge: { id: string; toName: string }) => {
    await jira.issues.transition(issueKey, edge.id);
    calls++;
    here = edge.toName;
    path.push(edge.toName);
  };

  while (path.length < MAX_TRANSITIONS) {
    if (norm(here) === norm(target)) return { reached: here, ok: true, path, calls };
    if (!graph.has(norm(here))) await explore(here);
    const route = shortestRoute(graph, norm(here), (s) => s === norm(target)) ?? shortestRoute(graph, norm(here), (s) => !graph.has(s));
    if (!route) break;
    await step(route[0]!);
  }

  const reason = path.length >= MAX_TRANSITIONS
    ? `The workflow did not lead from "${start}" to "${target}" within ${MAX_TRANSITIONS} transitions`
    : `No sequence of transitions in this issue's workflow leads from "${start}" to "${target}"`;
  // Back to where the issue was, so a failed move leaves it as it found it.
  while (norm(here) !== norm(start) && path.length < 2 * MAX_TRANSITIONS) {
    const back = shortestRoute(graph, norm(here), (s) => s === norm(start));
    if (!back) break;
    await step(back[0]!);
  }
  const left = norm(here) === norm(start) ? 'the status was left as it was' : `the issue could not return and is now in "${here}"`;
  return { reached: here, ok: false, path, calls, error: `${reason}; ${left}.` };
}

/** The transitions of a shortest route from `from` to a status `goal` accepts, over the known graph; undefined when none. */
function shortestRoute(graph: Graph, from: string, goal: (status: string) => boolean): { id: string; toName: string }[] | undefined {
  const previous = new Map<string, { via: string; edge: { id: string; toName: string } }>();
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const status = queue.shift()!;
    if (status !== from && goal(status)) {
      const route: { id: string; toName: string }[] = [];
      for (let at = status; at !== from; ) {
        const hop = previous.get(at)!;
        route.unshift(hop.edge);
        at = hop.via;
      }
      return route;
    }
    for (const edge of graph.get(status) ?? []) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { via: status, edge });
      queue.push(edge.to);
    }
  }
  return undefined;
}
