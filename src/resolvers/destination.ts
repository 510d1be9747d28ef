import { resolveDestination } from '../pairing/destination';
import type { Handlers } from './define';

// The Initiate wizard asks what its destination is at the step where the
// admin types it, so a wrong address is said there, not at the last step.

export const destinationHandlers: Handlers<'describeDestination'> = {
  describeDestination: async ({ platform, input, context }) => {
    const destination = await resolveDestination(platform, input.url, context.siteUrl);
    switch (destination.kind) {
      case 'endpoint':
        return { ok: true, kind: 'endpoint', siteUrl: destination.siteUrl, exalateUrl: destination.exalateUrl, name: destination.info.name };
      case 'site':
        return { ok: true, kind: 'site', siteUrl: destination.siteUrl, exalateUrl: null, name: null };
      case 'this-instance':
        return { ok: true, kind: 'this-instance', siteUrl: destination.siteUrl, exalateUrl: null, name: null };
    }
  },
};
