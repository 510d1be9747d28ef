import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import App from './App';
import { ForgeContextReact, ForgeContextSchema } from './context';

export async function start(root: HTMLElement): Promise<void> {
  const parsed = ForgeContextSchema.safeParse(await view.getContext());
  if (!parsed.success) throw new Error('The host did not say which module this is (no moduleKey in the context).');
  const context = parsed.data;
  // Jira applies its own theme once asked; the token themes load beside the
  // first render (components carry light fallbacks until then).
  view.theme.enable().catch(() => undefined);
  import('@atlaskit/tokens/set-global-theme')
    .then(({ setGlobalTheme }) =>
      setGlobalTheme({
        light: 'light',
        dark: 'dark',
        colorMode: context.theme?.colorMode === 'dark' ? 'dark' : 'light',
        spacing: 'spacing',
        typography: 'typography',
      }),
    )
    .catch(() => undefined);
  document.documentElement.dataset.module = context.moduleKey;
  // No StrictMode: its doubled effects leave Atlaskit's modal portal empty the
  // first time a lazily loaded dialog opens, so dev builds would differ from production.
  createRoot(root).render(
    <ForgeContextReact.Provider value={context}>
      <App />
    </ForgeContextReact.Provider>,
  );
}
