// What people and product events ask of the sync engine, as the rest of the app sees it.
export { receiveConnect } from './connect';
export { routeEventLater, routeProductEvent } from './product-events';
export { handleOperationWork, isOperationWork } from './work';
