// Triggers and sync operations as the rest of the app sees them.
export { connectionsByTrigger } from './routing';
export { receiveConnect } from './connect';
export { handleOperationWork, isOperationWork } from './work';
export { triggerStore } from './store';
