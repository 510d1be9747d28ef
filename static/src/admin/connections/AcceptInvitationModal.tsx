// Accept invitation: paste the partner's code → who invites (name and site)
// and the project for incoming sync → Confirm → "Connection established
// successfully" with the first-sync box. A code made for another site is
// refused at the first step, in the words the server would use.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Field } from '../../components/Field';
import { FirstSyncBox } from '../../components/FirstSyncBox';
import { ProjectSelect } from '../../components/ProjectSelect';
import { madeForAnotherSiteMessage, siteOf } from '../../../../src/domain/site-url';
import { readInvitationCode, type InvitationPreview } from '../../lib/invitation';
import { useResource } from '../../lib/use-resource';
import { PROJECT_FIELD_LABEL, acceptProjectText } from './mode-texts';
import { checkConnectionName, freeConnectionName } from './initiate-wizard';

interface Props {
  onClose(changed: boolean): void;
  /** A code handed over in the page URL (the "Yes, I have admin access" path). */
  initialCode?: string;
  fixedProjectKey?: string;
}

type Step =
  | { name: 'code' }
  | { name: 'project'; code: string; preview: InvitationPreview }
  | { name: 'established'; connectionId: string; projectKey: string };

/** Why this site cannot accept the code, when the code says which site it was made for and this one is another. */
function wrongSite(preview: InvitationPreview, ownSiteUrl: string | undefined): string | null {
  const madeFor = siteOf(preview.partnerSiteUrl);
  const here = siteOf(ownSiteUrl);
  return madeFor && here && madeFor !== here ? madeForAnotherSiteMessage(madeFor, here) : null;
}

function startStep(initialCode: string | undefined): Step {
  if (!initialCode) return { name: 'code' };
  const reading = readInvitationCode(initialCode);
  return reading.ok ? { name: 'project', code: reading.code, preview: reading.preview } : { name: 'code' };
}

export default function AcceptInvitationModal({ onClose, initialCode, fixedProjectKey }: Props) {
  const [step, setStep] = useState<Step>(() => startStep(initialCode));
  const [text, setText] = useState(initialCode ?? '');
  const [codeProblem, setCodeProblem] = useState<string | null>(null);
  const [projectKey, setProjectKey] = useState<string | null>(fixedProjectKey ?? null);
  const [projectProblem, setProjectProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState<string | null>(null);
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const [projects, reloadProjects] = useResource(api.listProjects);
  const [connections] = useResource(api.listConnections);
  const taken = connections.state === 'ready' ? connections.value.connections.map((c) => c.name) : [];
  const [instance] = useResource(api.getInstance);
  const ownSiteUrl = instance.state === 'ready' ? instance.value.siteUrl : undefined;
  const projectList = projects.state === 'ready' ? projects.value.projects : [];

  async function submit() {
    if (step.name === 'code') {
      const reading = readInvitationCode(text);
      if (!reading.ok) {
        setCodeProblem(reading.reason);
        return;
      }
      const elsewhere = wrongSite(reading.preview, ownSiteUrl);
      if (elsewhere) {
        setCodeProblem(elsewhere);
        return;
      }
      setCodeProblem(null);
      setStep({ name: 'project', code: reading.code, preview: reading.preview });
      return;
    }
    if (step.name === 'project') {
      const chosenName = name ?? freeConnectionName(step.preview.name ?? '', taken);
      const problem = step.preview.name !== undefined || name !== null ? checkConnectionName(chosenName, taken) : undefined;
      setNameProblem(problem ?? null);
      if (!projectKey) setProjectProblem('Select the project for incoming sync.');
      if (!projectKey || problem) return;
      setBusy(true);
      setFailure(null);
      const result = await api.acceptInvitation(step.code, projectKey, chosenName.trim() || undefined);
      setBusy(false);
      if (result.ok) setStep({ name: 'established', connectionId: result.value.connectionId, projectKey });
      else setFailure(result.error);
      return;
    }
    onClose(true);
  }

  const established = step.name === 'established';
  const chosenProject = established ? projectList.find((project) => project.key === step.projectKey) : undefined;

  return (
    <ModalDialog onClose={() => onClose(established)} width="medium" label="Accept invitation" testId="accept-invitation">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <ModalHeader hasCloseButton>
          <ModalTitle>{established ? 'Exalate' : 'Accept invitation'}</ModalTitle>
        </ModalHeader>
        <ModalBody>
          {step.name === 'code' ? (
            <div className="wizard-step">
              <Field
                id="invitation-code-input"
                label="Please paste the invitation code, received from your partner"
                error={codeProblem ?? undefined}
              >
                {(describedBy) => (
                  <TextArea
                    id="invitation-code-input"
                    value={text}
                    placeholder="Enter the invitation code"
                    minimumRows={6}
                    isMonospaced
                    isInvalid={codeProblem !== null}
                    aria-describedby={describedBy}
                    onChange={(event) => {
                      setText(event.currentTarget.value);
                      setCodeProblem(null);
                    }}
                    autoFocus
                  />
                )}
              </Field>
            </div>
          ) : null}
          {step.name === 'project' ? (
            <div className="wizard-step">
              <Heading size="small" as="h3">
                Select a project for the incoming sync
              </Heading>
              {step.preview.inviter?.name ? (
                <p data-testid="inviter">
                  Invitation from <strong>{step.preview.inviter.name}</strong>
                  {step.preview.inviter.siteUrl ? (
                    <>
                      {' '}
                      at <strong>{step.preview.inviter.siteUrl}</strong>
                    </>
                  ) : null}
                  {step.preview.mode ? ` · ${step.preview.mode[0]?.toUpperCase()}${step.preview.mode.slice(1)} mode` : ''}
                </p>
              ) : null}
              {step.preview.description ? (
                <blockquote className="invitation-description" data-testid="inviter-description" aria-label={`Description from ${step.preview.inviter?.name ?? 'the inviter'}`}>
                  {step.preview.description}
                </blockquote>
              ) : null}
              {step.preview.partnerSiteUrl ? (
                <p className="field-help" data-testid="invitation-made-for">
                  Made for {step.preview.partnerSiteUrl}. Confirm only if you expected an invitation from this partner.
                </p>
              ) : null}
              {wrongSite(step.preview, ownSiteUrl) ? (
                <SectionMessage appearance="error" testId="invitation-wrong-site">
                  <p>{wrongSite(step.preview, ownSiteUrl)}</p>
                </SectionMessage>
              ) : null}
              {acceptProjectText(step.preview.mode).map((paragraph) => (
                <p key={paragraph}>{paragraph}</p>
              ))}
              {projects.state === 'failed' ? <ApiErrorMessage error={projects.error} onRetry={() => void reloadProjects()} /> : null}
              <Field id="accept-project" label={PROJECT_FIELD_LABEL} required error={projectProblem ?? undefined}>
                {(describedBy) =>
                  fixedProjectKey ? (
                    <p className="fixed-value" id="accept-project">
                      {projectList.find((project) => project.key === fixedProjectKey)?.name ?? fixedProjectKey} ({fixedProjectKey})
                    </p>
                  ) : (
                    <ProjectSelect
                      inputId="accept-project"
                      projects={projectList}
                      value={projectKey}
                      onChange={(value) => {
                        setProjectKey(value);
                        setProjectProblem(null);
                      }}
                      isInvalid={projectProblem !== null}
                      isLoading={projects.state === 'loading'}
                      describedBy={describedBy}
                    />
                  )
                }
              </Field>
              {step.preview.name !== undefined ? (
                <Field id="accept-connection-name" label="Connection name" required help="Its name on this site, unique here; your partner keeps theirs" error={nameProblem ?? undefined}>
                  {(describedBy) => (
                    <Textfield
                      id="accept-connection-name"
                      value={name ?? freeConnectionName(step.preview.name ?? '', taken)}
                      isInvalid={nameProblem !== null}
                      aria-describedby={describedBy}
                      onChange={(event) => {
                        setName(event.currentTarget.value);
                        setNameProblem(null);
                      }}
                    />
                  )}
                </Field>
              ) : null}
              {failure ? <ApiErrorMessage error={failure} testId="accept-error" /> : null}
            </div>
          ) : null}
          {step.name === 'established' ? (
            <FirstSyncBox
              connectionId={step.connectionId}
              project={{ key: step.projectKey, name: chosenProject?.name ?? step.projectKey }}
            />
          ) : null}
        </ModalBody>
        <ModalFooter>
          {established ? (
            <Button type="submit" appearance="primary">
              Done
            </Button>
          ) : (
            <div className="wizard-footer">
              <div>
                {step.name === 'project' ? (
                  <Button
                    appearance="subtle"
                    onClick={() => {
                      setFailure(null);
                      setStep({ name: 'code' });
                    }}
                  >
                    &lt; Previous
                  </Button>
                ) : null}
              </div>
              <Button type="submit" appearance="primary" isLoading={busy}>
                {step.name === 'code' ? 'Next' : 'Confirm'}
              </Button>
            </div>
          )}
        </ModalFooter>
      </form>
    </ModalDialog>
  );
}
