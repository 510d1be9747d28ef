// What the Initiate connection wizard shows once the server made the connection.
import Button from '@atlaskit/button/default/button';
import LinkExternalIcon from '@atlaskit/icon/core/link-external';
import { router } from '@forge/bridge';
import { CopyButton } from '../../components/CopyButton';
import { FirstSyncBox } from '../../components/FirstSyncBox';
import { formatDateTime } from '../../lib/relative-time';
import type { WizardOutcome } from './initiate-wizard';

export function InvitationView({ outcome }: { outcome: Extract<WizardOutcome, { kind: 'invitation' }> }) {
  // The partner is named as soon as it is known: by its Exalate, or by the Jira site the code is bound to.
  const side = outcome.remoteName;
  return (
    <div className="wizard-step" data-testid="invitation">
      {outcome.privateSide ? (
        <p>
          Ensure that Exalate is <strong>installed</strong> on the destination side "{side}".
        </p>
      ) : null}
      <p>
        On the "{side}" side, you (or their application administrator) need to <strong>Accept the Invitation</strong>.
      </p>
      <label htmlFor="invitation-code" className="field-label">
        Use the following invitation code:
      </label>
      <textarea
        id="invitation-code"
        className="invitation-code"
        readOnly
        value={outcome.code}
        rows={4}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div>
        <CopyButton text={outcome.code} label="Copy invitation code" appearance="primary" testId="copy-invitation-code" />
      </div>
      {outcome.partnerSiteUrl ? (
        <p data-testid="invitation-binding">
          The code works once, only on <strong>{outcome.partnerSiteUrl}</strong>
          {outcome.expiresAt !== null ? `, until ${formatDateTime(outcome.expiresAt)}` : ''}. You can revoke it from the Connections
          page until it is accepted.
        </p>
      ) : null}
      <p className="field-help">
        To finish setting up the connection, the partner opens Connections in their Exalate and clicks{' '}
        <strong>Accept invitation</strong>, then pastes this code. When they accept, the connection becomes Active.
      </p>
    </div>
  );
}

export function RedirectView({ outcome }: { outcome: Extract<WizardOutcome, { kind: 'redirect' }> }) {
  return (
    <div className="wizard-step" data-testid="redirect">
      <p>
        Confirm the connection on "{outcome.remoteName}": choose the project there for the issues this side sends, then
        click <strong>Confirm</strong>.
      </p>
      <div>
        <Button
          appearance="primary"
          iconAfter={LinkExternalIcon}
          onClick={() => {
            void router.open(outcome.acceptUrl).catch(() => window.open(outcome.acceptUrl, '_blank', 'noopener'));
          }}
        >
          {`Continue on ${outcome.remoteName}`}
        </Button>
      </div>
    </div>
  );
}

export function EstablishedView({ connectionId, project }: { connectionId: string; project: { key: string; name: string } | null }) {
  return <FirstSyncBox connectionId={connectionId} project={project} />;
}
