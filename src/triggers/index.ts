// Triggers as the rest of the app sees them.
export { connectionsByTrigger } from './routing';
export { triggerStore } from './store';
