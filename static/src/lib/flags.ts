// Short confirmations after an action, through the host's flags (Jira's own
// flag stack on Forge, the host page's locally).
import { showFlag } from '@forge/bridge';

let counter = 0;

export function notify(title: string, options: { description?: string; type?: 'success' | 'info' | 'warning' | 'error' } = {}): void {
  try {
    showFlag({
      id: `exalate-${Date.now()}-${counter++}`,
      title,
      description: options.description,
      type: options.type ?? 'success',
      isAutoDismiss: options.type !== 'error',
    });
  } catch {
    // A host without flags still shows the result on the page itself.
  }
}
