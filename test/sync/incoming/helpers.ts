import type { ConnectionRecord } from '../../../src/domain/connection';
import type { IncomingResult } from '../../../src/domain/replica';
import { createJiraClient } from '../../../src/jira/client';
import { fieldCatalog } from '../../../src/sync/issue-reader';
import { twinStore } from '../../../src/sync/twins';
import { emulatedJira } from '../../support/emulated-jira';
import { createMemoryPlatform } from '../../support/memory-platform';

// The receiving side of one connection, for the incoming steps: green's
// emulated Jira (project SC) behind an in-memory platform.

export const connection: ConnectionRecord = {
  v: 1,
  id: 'c-green',
  name: 'BlueJira_to_GreenJira',
  description: '',
  mode: 'script',
  kind: 'public',
  delivery: 'push',
  state: 'active',
  localName: 'GreenJira',
  localProjectKey: 'SC',
  remote: { instanceId: 'blue', name: 'BlueJira', url: 'https://blue.example/x/partner-endpoint', siteUrl: 'https://blue.example', projectKey: 'UD', connectionId: 'c-green' },
  inviter: false,
  createdAt: 0,
  activatedAt: 0,
  invitationExpiresAt: null,
};

export async function receivingSide() {
  const jira = emulatedJira('green');
  const platform = createMemoryPlatform({ jira: jira.http });
  const client = createJiraClient(platform.jira);
  return {
    platform,
    jira: client,
    twins: twinStore(platform.kvs),
    catalog: await fieldCatalog(client, platform, platform.clock.now()),
    close: () => jira.close(),
  };
}

/** What an incoming script decided, with nothing but `issue` filled in. */
export function result(issue: IncomingResult['issue'], more: Partial<IncomingResult> = {}): IncomingResult {
  return { issue, comments: [], attachments: [], status: null, unExalate: false, warnings: [], logs: [], ...more };
}
