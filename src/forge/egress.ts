import { ExternalEndpointNotAllowedError, permissions } from '@forge/api';

// Forge's own egress check, for the local runtime to hold outbound calls to the
// manifest's egress list exactly as Forge does. Here because @forge/* is
// imported only by the Forge adapters and handlers; the runtime loads this
// module on first use, after it has installed its fetch (importing @forge/api
// earlier would capture the unpatched one).

/** Throws Forge's ExternalEndpointNotAllowedError when the invocation's permissions do not allow `url`. */
export function refuseUnlessEgressAllowed(url: string): void {
  if (!permissions.canFetchFrom('backend', url)) throw new ExternalEndpointNotAllowedError(url);
}
