import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { useResource } from '../../lib/use-resource';
import type { ConnectionMode } from '../../schemas';
import {
  edit,
  initialWizardState,
  isLastStep,
  kindOf,
  needsDestinationCheck,
  next,
  outcomeOf,
  previous,
  toPayload,
  type OwnInstance,
  type WizardErrors,
  type WizardOutcome,
  type WizardState,
} from './initiate-wizard';
import { AdminAccessStep, DestinationStep, DestinationSummary, InformationStep, ProjectStep } from './InitiateSteps';
import { EstablishedView, InvitationView, RedirectView } from './InitiateResult';

interface Props {
  onClose(changed: boolean): void;
  /** Project settings: Basic mode only, for that project only. */
  fixedMode?: ConnectionMode;
  fixedProjectKey?: string;
}

export default function InitiateConnectionModal({ onClose, fixedMode, fixedProjectKey }: Props) {
  const [state, setState] = useState<WizardState>(() => initialWizardState({ mode: fixedMode, projectKey: fixedProjectKey }));
  const [errors, setErrors] = useState<WizardErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<WizardOutcome | null>(null);
  const [instance] = useResource(api.getInstance);
  const [projects, reloadProjects] = useResource(api.listProjects);
  const [connections] = useResource(api.listConnections);
  // Names are unique per site: said on the step where the name is typed; the server says it again.
  const taken = connections.state === 'ready' ? connections.value.connections.map((c) => c.name) : [];

  const own: OwnInstance | null = instance.state === 'ready' ? instance.value : null;
  const kind = kindOf(state, own);
  const last = isLastStep(state, own);

  /** Asks the server what the destination URL is, so a wrong address is said on this step. */
  async function checkDestination(): Promise<WizardState | null> {
    const url = state.destinationUrl.trim();
    setSubmitting(true);
    const answer = await api.describeDestination(url);
    setSubmitting(false);
    if (!answer.ok) {
      setErrors({ destinationUrl: answer.error.message.replace(/^destinationUrl: /, '') });
      return null;
    }
    const { kind, siteUrl, exalateUrl, name } = answer.value;
    return { ...state, destination: { url, kind, siteUrl, exalateUrl, name } };
  }

  async function advance() {
    const local = next(state, own, taken);
    setErrors(local.errors);
    if (Object.keys(local.errors).length > 0) return;
    let current = state;
    if (needsDestinationCheck(state, own)) {
      const checked = await checkDestination();
      if (!checked) return;
      current = checked;
    }
    const moved = next(current, own, taken);
    setErrors(moved.errors);
    if (Object.keys(moved.errors).length > 0) return;
    if (!isLastStep(current, own)) {
      setState(moved.state);
      return;
    }
    const payload = toPayload(current, own);
    setSubmitting(true);
    setFailure(null);
    const result = await api.initiateConnection(payload);
    setSubmitting(false);
    if (result.ok) setOutcome(outcomeOf(result.value, payload));
    else setFailure(result.error);
  }

  const stepProps = {
    state,
    errors,
    kind,
    onEdit: (change: Parameters<typeof edit>[1]) => {
      setState((current) => edit(current, change));
      setErrors((current) => ({ ...current, [change.field]: undefined }));
    },
  };
  const incomingProject =
    projects.state === 'ready' ? (projects.value.projects.find((project) => project.key === state.projectKey) ?? null) : null;

  return (
    <ModalDialog onClose={() => onClose(outcome !== null)} width="large" label="Initiate connection" testId="initiate-connection">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (outcome) onClose(true);
          else void advance();
        }}
        noValidate
      >
        <ModalHeader hasCloseButton>
          <ModalTitle>Initiate connection</ModalTitle>
        </ModalHeader>
        <ModalBody>
          {outcome?.kind === 'invitation' ? <InvitationView outcome={outcome} /> : null}
          {outcome?.kind === 'redirect' ? <RedirectView outcome={outcome} /> : null}
          {outcome?.kind === 'established' ? (
            <EstablishedView
              connectionId={outcome.connectionId}
              project={incomingProject ? { key: incomingProject.key, name: incomingProject.name } : null}
            />
          ) : null}
          {!outcome && state.step !== 'destination' ? <DestinationSummary state={state} kind={kind} /> : null}
          {!outcome && state.step === 'destination' ? <DestinationStep {...stepProps} fixedMode={Boolean(fixedMode)} /> : null}
          {!outcome && state.step === 'information' ? <InformationStep {...stepProps} /> : null}
          {!outcome && state.step === 'project' ? (
            <ProjectStep
              {...stepProps}
              projects={projects}
              onRetryProjects={() => void reloadProjects()}
              fixedProject={Boolean(fixedProjectKey)}
            />
          ) : null}
          {!outcome && state.step === 'admin-access' ? <AdminAccessStep {...stepProps} /> : null}
          {failure ? <ApiErrorMessage error={failure} testId="initiate-error" /> : null}
        </ModalBody>
        <ModalFooter>
          {outcome ? (
            <Button type="submit" appearance="primary">
              Done
            </Button>
          ) : (
            <div className="wizard-footer">
              <div>
                {state.step !== 'destination' ? (
                  <Button
                    appearance="subtle"
                    onClick={() => {
                      setErrors({});
                      setFailure(null);
                      setState(previous(state, own));
                    }}
                  >
                    &lt; Previous
                  </Button>
                ) : null}
              </div>
              <Button type="submit" appearance="primary" isLoading={submitting}>
                {last ? 'Initiate' : 'Next'}
              </Button>
            </div>
          )}
        </ModalFooter>
      </form>
    </ModalDialog>
  );
}
