import type { Handlers } from './define';

// Projects for the wizards' pickers: the projects the caller can see, read
// as the caller, so a picker never offers what Jira would hide from them.

export const projectHandlers: Handlers<'listProjects'> = {
  listProjects: async ({ jira, input }) => {
    const projects: { key: string; name: string; id: string }[] = [];
    let startAt = 0;
    for (;;) {
      const page = await jira.projects.search(startAt);
      projects.push(...page.values.map((p) => ({ key: p.key, name: p.name, id: p.id })));
      if (page.isLast !== false || page.values.length === 0) break;
      startAt += page.values.length;
    }
    const query = input.query?.toLowerCase();
    const matching = query ? projects.filter((p) => p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) : projects;
    return { ok: true, projects: matching.sort((a, b) => a.key.localeCompare(b.key)) };
  },
};
