// Entry point. @forge/bridge looks for the host's bridge as soon as it is
// imported, so it is only imported once the bridge is known to be there.
import '@atlaskit/css-reset';
import './app.css';

function showProblem(root: HTMLElement, title: string, detail: string): void {
  const box = document.createElement('div');
  box.className = 'page startup-problem';
  const heading = document.createElement('h1');
  heading.textContent = title;
  const text = document.createElement('p');
  text.textContent = detail;
  box.append(heading, text);
  root.replaceChildren(box);
}

const root = document.getElementById('root');
const bridge = (globalThis as { __bridge?: { callBridge?: unknown } }).__bridge;
if (root && typeof bridge?.callBridge !== 'function') {
  showProblem(
    root,
    'Exalate runs inside Jira',
    'Open it from Jira (Apps → Exalate, a project\'s settings or an issue), or from the local runtime started with "npm start".',
  );
} else if (root) {
  import('./start')
    .then(({ start }) => start(root))
    .catch((error: unknown) =>
      showProblem(root, 'Exalate could not start', error instanceof Error ? error.message : String(error)),
    );
}
