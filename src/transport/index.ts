// The transport's entry points, for the app's handlers and the sync engine.
export { handlePartnerRequest } from './endpoint';
export { handleTransportWork } from './work';
export { runTransportMaintenance } from './maintenance';
export { sendMessage, sendMessageWith } from './send';
export { deliverNow } from './inline-delivery';
export { readDeliveryState } from './delivery-state';
export {
  DEFAULT_SETTINGS,
  isTransportWork,
  type InboundHandler,
  type InboundHandlers,
  type PairingHandlers,
  type TransportDeps,
  type TransportSettings,
  type WebTriggerRequest,
  type WebTriggerResponse,
} from './types';
