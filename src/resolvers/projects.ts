import { z } from 'zod';
import { createJiraClient } from '../jira/client';
import { defineResolver, type ResolverHandler } from './define';

/** Projects the app can see, for the project pickers of the wizards. */
export const listProjects: ResolverHandler = defineResolver(
  z.object({ query: z.string().max(100).optional() }).strict(),
  async (platform, payload) => {
    const jira = createJiraClient(platform.jira);
    const projects: { key: string; name: string; id: string }[] = [];
    let startAt = 0;
    for (;;) {
      const page = await jira.projects.search(startAt);
      projects.push(...page.values.map((p) => ({ key: p.key, name: p.name, id: p.id })));
      if (page.isLast !== false || page.values.length === 0) break;
      startAt += page.values.length;
    }
    const query = payload.query?.toLowerCase();
    const matching = query ? projects.filter((p) => p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) : projects;
    return { projects: matching.sort((a, b) => a.key.localeCompare(b.key)) };
  },
);
