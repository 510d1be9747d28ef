// The input steps of the Initiate connection wizard. Each renders the fields
// of one step; the modal owns the state and the buttons.
import Checkbox from '@atlaskit/checkbox';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import Tooltip from '@atlaskit/tooltip';
import InformationCircleIcon from '@atlaskit/icon/core/information-circle';
import { ChoiceCards } from '../../components/ChoiceCards';
import { Field } from '../../components/Field';
import { ProjectSelect } from '../../components/ProjectSelect';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import type { Resource } from '../../lib/use-resource';
import type { ListProjectsAnswer } from './types';
import { PARTNER_SITE_EXAMPLE, type WizardEdit, type WizardErrors, type WizardState } from './initiate-wizard';
import type { ConnectionKind } from '../../schemas';
import { ADMIN_ACCESS_CHOICES, MODE_CHOICES, PROJECT_FIELD_LABEL, initiateProjectText } from './mode-texts';

const DESTINATION_HELP =
  "The address of the Jira you connect with: its site URL (such as https://acme.atlassian.net) or the Exalate URL from its Settings page. Enter this site's own URL to sync two of its projects.";

/** Who the connection is with, once the destination step is done: the admin sees what their URL resolved to. */
export function DestinationSummary({ state, kind }: { state: WizardState; kind: ConnectionKind }) {
  const destination = state.destination;
  let text: string | null = null;
  if (state.noUrl && state.partnerSiteUrl.trim()) text = `Private connection with the Jira site ${state.partnerSiteUrl.trim()}: it will contact this instance.`;
  else if (kind === 'local') text = 'Local connection between two projects of this site.';
  else if (destination?.kind === 'endpoint') text = `Partner: ${destination.name ?? destination.exalateUrl} on ${destination.siteUrl}.`;
  else if (destination?.kind === 'site')
    text = `Partner: the Jira site ${destination.siteUrl}. Its Exalate URL comes with the acceptance, and is confirmed before this side sends anything.`;
  return text ? (
    <p className="field-help destination-summary" data-testid="destination-summary">
      {text}
    </p>
  ) : null;
}

export interface StepProps {
  state: WizardState;
  errors: WizardErrors;
  kind: ConnectionKind;
  onEdit(change: WizardEdit): void;
}

export function DestinationStep({ state, errors, kind, onEdit, fixedMode }: StepProps & { fixedMode: boolean }) {
  return (
    <div className="wizard-step">
      <div className="field">
        <div className="field-label--with-info">
          <label htmlFor="destination-url" className="field-label">
            Destination instance URL
          </label>
          <Tooltip content={DESTINATION_HELP}>
            <span className="info-button" tabIndex={0} role="img" aria-label={DESTINATION_HELP}>
              <InformationCircleIcon label="" size="small" />
            </span>
          </Tooltip>
        </div>
        <Textfield
          id="destination-url"
          value={state.noUrl ? '' : state.destinationUrl}
          placeholder={state.noUrl ? '' : 'https://example.atlassian.net'}
          isDisabled={state.noUrl}
          isInvalid={Boolean(errors.destinationUrl)}
          aria-describedby={errors.destinationUrl ? 'destination-url-error' : 'destination-url-help'}
          onChange={(event) => onEdit({ field: 'destinationUrl', value: event.currentTarget.value })}
          autoFocus
          autoComplete="url"
        />
        {errors.destinationUrl ? (
          <p id="destination-url-error" className="field-error" role="alert">
            {errors.destinationUrl}
          </p>
        ) : state.noUrl ? null : (
          <p id="destination-url-help" className="field-help">
            Your partner's Jira site address, such as {PARTNER_SITE_EXAMPLE}, or the Exalate URL from their Settings page.
          </p>
        )}
        <div className="no-url">
          <Checkbox
            label="I don't have a URL"
            isChecked={state.noUrl}
            onChange={(event) => onEdit({ field: 'noUrl', value: event.currentTarget.checked })}
            testId="no-url"
          />
        </div>
        {state.noUrl ? (
          <p className="field-help">
            The destination is in a private network. It will contact this instance; this instance never contacts it.
          </p>
        ) : null}
        {state.noUrl ? (
          <Field
            id="partner-site-url"
            label="Partner's Jira site"
            required
            help={`The invitation code will work on this site only. Your partner finds it at the start of their Jira's address, such as ${PARTNER_SITE_EXAMPLE}.`}
            error={errors.partnerSiteUrl}
          >
            {(describedBy) => (
              <Textfield
                id="partner-site-url"
                value={state.partnerSiteUrl}
                placeholder={PARTNER_SITE_EXAMPLE}
                isInvalid={Boolean(errors.partnerSiteUrl)}
                aria-describedby={describedBy}
                onChange={(event) => onEdit({ field: 'partnerSiteUrl', value: event.currentTarget.value })}
                autoComplete="url"
              />
            )}
          </Field>
        ) : null}
        {kind === 'local' ? (
          <p className="field-help" data-testid="local-connection-note">
            This is this instance's own URL: the connection will sync two of its projects.
          </p>
        ) : null}
      </div>
      {fixedMode ? (
        <SectionMessage appearance="information" title="Basic mode">
          <p>
            Project connections use Basic mode: summary, description, comments, attachments and issue types are synced
            with fixed rules.
          </p>
        </SectionMessage>
      ) : (
        <>
          <ChoiceCards
            name="mode"
            legend="Choose the configuration type"
            choices={MODE_CHOICES}
            value={state.mode}
            onChange={(value) => onEdit({ field: 'mode', value })}
            invalid={Boolean(errors.mode)}
            describedBy={errors.mode ? 'mode-error' : undefined}
          />
          {errors.mode ? (
            <p id="mode-error" className="field-error" role="alert">
              {errors.mode}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

export function InformationStep({ state, errors, onEdit }: StepProps) {
  return (
    <div className="wizard-step">
      <Heading size="small" as="h3">
        Connection information
      </Heading>
      <Field id="local-name" label="Local instance short name" required help="A short name for your instance" error={errors.localName}>
        {(describedBy) => (
          <Textfield
            id="local-name"
            value={state.localName}
            isInvalid={Boolean(errors.localName)}
            aria-describedby={describedBy}
            onChange={(event) => onEdit({ field: 'localName', value: event.currentTarget.value })}
            autoFocus
          />
        )}
      </Field>
      <Field
        id="remote-name"
        label="Remote instance short name"
        required
        help="A short name for the destination instance"
        error={errors.remoteName}
      >
        {(describedBy) => (
          <Textfield
            id="remote-name"
            value={state.remoteName}
            isInvalid={Boolean(errors.remoteName)}
            aria-describedby={describedBy}
            onChange={(event) => onEdit({ field: 'remoteName', value: event.currentTarget.value })}
          />
        )}
      </Field>
      <Field id="connection-name" label="Connection name" required help="Name of the connection" error={errors.name}>
        {(describedBy) => (
          <Textfield
            id="connection-name"
            value={state.name}
            isInvalid={Boolean(errors.name)}
            aria-describedby={describedBy}
            onChange={(event) => onEdit({ field: 'name', value: event.currentTarget.value })}
          />
        )}
      </Field>
      <Field id="connection-description" label="Description" help="Description of the connection" error={errors.description}>
        {(describedBy) => (
          <TextArea
            id="connection-description"
            value={state.description}
            minimumRows={3}
            isInvalid={Boolean(errors.description)}
            aria-describedby={describedBy}
            onChange={(event) => onEdit({ field: 'description', value: event.currentTarget.value })}
          />
        )}
      </Field>
    </div>
  );
}

interface ProjectStepProps extends StepProps {
  projects: Resource<ListProjectsAnswer>;
  onRetryProjects(): void;
  fixedProject: boolean;
}

export function ProjectStep({ state, errors, kind, onEdit, projects, onRetryProjects, fixedProject }: ProjectStepProps) {
  const list = projects.state === 'ready' ? projects.value.projects : [];
  return (
    <div className="wizard-step">
      <Heading size="small" as="h3">
        Select a project for the incoming sync
      </Heading>
      <p>{initiateProjectText(state.mode ?? 'basic')}</p>
      {projects.state === 'failed' ? <ApiErrorMessage error={projects.error} onRetry={onRetryProjects} /> : null}
      <Field id="incoming-project" label={PROJECT_FIELD_LABEL} required error={errors.projectKey}>
        {(describedBy) =>
          fixedProject ? (
            <p className="fixed-value" id="incoming-project">
              {list.find((project) => project.key === state.projectKey)?.name ?? state.projectKey} ({state.projectKey})
            </p>
          ) : (
            <ProjectSelect
              inputId="incoming-project"
              projects={list}
              value={state.projectKey}
              onChange={(value) => onEdit({ field: 'projectKey', value })}
              isInvalid={Boolean(errors.projectKey)}
              isLoading={projects.state === 'loading'}
              describedBy={describedBy}
            />
          )
        }
      </Field>
      {state.mode === 'basic' ? (
        <Field id="connection-name" label="Connection name" required help="Unique on this site: it tells this connection apart on the Connections page" error={errors.name}>
          {(describedBy) => (
            <Textfield
              id="connection-name"
              value={state.name}
              isInvalid={Boolean(errors.name)}
              aria-describedby={describedBy}
              onChange={(event) => onEdit({ field: 'name', value: event.currentTarget.value })}
            />
          )}
        </Field>
      ) : null}
      {kind === 'local' ? (
        <Field
          id="remote-project"
          label="Select the project on the other side of this local connection."
          required
          error={errors.remoteProjectKey}
        >
          {(describedBy) => (
            <ProjectSelect
              inputId="remote-project"
              projects={list}
              value={state.remoteProjectKey}
              onChange={(value) => onEdit({ field: 'remoteProjectKey', value })}
              isInvalid={Boolean(errors.remoteProjectKey)}
              isLoading={projects.state === 'loading'}
              describedBy={describedBy}
              exclude={state.projectKey}
            />
          )}
        </Field>
      ) : null}
    </div>
  );
}

export function AdminAccessStep({ state, errors, onEdit }: StepProps) {
  return (
    <div className="wizard-step">
      <ChoiceCards
        name="admin-access"
        legend="Do you have admin access to the destination instance?"
        choices={ADMIN_ACCESS_CHOICES}
        value={state.adminAccess === null ? null : state.adminAccess ? 'yes' : 'no'}
        onChange={(value) => onEdit({ field: 'adminAccess', value: value === 'yes' })}
        invalid={Boolean(errors.adminAccess)}
        describedBy={errors.adminAccess ? 'admin-access-error' : undefined}
      />
      {errors.adminAccess ? (
        <p id="admin-access-error" className="field-error" role="alert">
          {errors.adminAccess}
        </p>
      ) : null}
    </div>
  );
}
