// Edit connection: its rules, triggers, statistics, who the other side's
// people are here, and the name and description on the Info tab.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { ConfirmModal } from '../../components/ConfirmModal';
import { hasUnsavedChanges } from '../../lib/unsaved';
import { Field } from '../../components/Field';
import type { Connection } from '../../schemas';
import { LIMITS } from './initiate-wizard';
import { PeopleTab } from './PeopleTab';
import { useForgeContext } from '../../context';
import { MODULES } from '../../../../src/contract/access';
import { RulesTab } from '../rules/RulesTab';
import { StatisticsView } from '../statistics/StatisticsView';
import { TriggersPanel } from '../triggers/TriggersPanel';

const MODE_LABEL = { basic: 'Basic', visual: 'Visual', script: 'Script' } as const;
const KIND_LABEL = { public: 'Public', private: 'Private', local: 'Local (two projects of this site)' } as const;

function InfoTab({ connection, onSaved }: { connection: Connection; onSaved(): void }) {
  const [name, setName] = useState(connection.name);
  const [description, setDescription] = useState(connection.description ?? '');
  const [problem, setProblem] = useState<{ name?: string; description?: string }>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    const next: typeof problem = {};
    if (!name.trim()) next.name = 'Enter a connection name.';
    else if (name.trim().length > LIMITS.name) next.name = `Keep it to ${LIMITS.name} characters or fewer.`;
    if (description.length > LIMITS.description) next.description = `Keep it to ${LIMITS.description} characters or fewer.`;
    setProblem(next);
    if (next.name || next.description) return;
    setBusy(true);
    setFailure(null);
    const result = await api.updateConnection(connection.id, { name: name.trim(), description: description.trim() });
    setBusy(false);
    if (result.ok) onSaved();
    else setFailure(result.error);
  }

  return (
    <form
      noValidate
      className="tab-body"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="wizard-step">
        <dl className="facts">
          <dt>Mode</dt>
          <dd>{MODE_LABEL[connection.mode]}</dd>
          <dt>Type</dt>
          <dd>{KIND_LABEL[connection.kind]}</dd>
          <dt>Sides</dt>
          <dd>
            {connection.localName} ↔ {connection.remoteName}
          </dd>
          {connection.kind !== 'local' ? (
            <>
              <dt>Partner site</dt>
              <dd>{connection.remoteSiteUrl ?? '–'}</dd>
            </>
          ) : null}
          <dt>Projects</dt>
          <dd>
            {connection.localProjectKey ?? '–'} ↔ {connection.remoteProjectKey ?? '–'}
          </dd>
          <dt>Issues under sync</dt>
          <dd>{connection.issuesUnderSync}</dd>
        </dl>
        <Field id="edit-name" label="Connection name" required error={problem.name}>
          {(describedBy) => (
            <Textfield
              id="edit-name"
              value={name}
              isInvalid={Boolean(problem.name)}
              aria-describedby={describedBy}
              onChange={(event) => setName(event.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="edit-description" label="Description" error={problem.description}>
          {(describedBy) => (
            <TextArea
              id="edit-description"
              value={description}
              minimumRows={3}
              isInvalid={Boolean(problem.description)}
              aria-describedby={describedBy}
              onChange={(event) => setDescription(event.currentTarget.value)}
            />
          )}
        </Field>
        {failure ? <ApiErrorMessage error={failure} /> : null}
        <div>
          <Button type="submit" appearance="primary" isLoading={busy}>
            Save
          </Button>
        </div>
      </div>
    </form>
  );
}

const TABS = ['Rules', 'Triggers', 'Statistics', 'People', 'Info'] as const;
type TabName = (typeof TABS)[number];

export default function EditConnectionModal({ connection, onClose }: { connection: Connection; onClose(changed: boolean): void }) {
  const [tab, setTab] = useState(0);
  // What would throw away unpublished rule edits waits for a "Discard" first.
  const [leaving, setLeaving] = useState<(() => void) | null>(null);
  const guarded = (go: () => void) => (hasUnsavedChanges() ? setLeaving(() => go) : go());
  // People settings are a Jira admin's (they decide who appears on issues): not offered from project settings.
  const tabs = useForgeContext().moduleKey === MODULES.admin ? TABS : TABS.filter((name) => name !== 'People');
  const panel = (name: TabName) => {
    switch (name) {
      case 'Rules': return <div className="tab-body"><RulesTab connection={connection} /></div>;
      case 'Triggers': return <div className="tab-body"><TriggersPanel connection={connection} /></div>;
      case 'Statistics': return <div className="tab-body"><StatisticsView connectionId={connection.id} /></div>;
      case 'People': return <PeopleTab connection={connection} />;
      case 'Info': return <InfoTab connection={connection} onSaved={() => onClose(true)} />;
    }
  };
  return (
    <ModalDialog onClose={() => guarded(() => onClose(false))} label={`Edit connection ${connection.name}`} testId="edit-connection" width="x-large">
      <ModalHeader hasCloseButton>
        <ModalTitle>Edit connection: {connection.name}</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <Tabs id="edit-connection-tabs" selected={tab} onChange={(next) => guarded(() => setTab(next))}>
          <TabList>
            {tabs.map((name) => (
              <Tab key={name} testId={`tab-${name.toLowerCase()}`}>
                {name}
              </Tab>
            ))}
          </TabList>
          {/* Only the chosen tab mounts, so each loads its data when first opened. */}
          {tabs.map((name, i) => (
            <TabPanel key={name}>{tab === i ? panel(name) : null}</TabPanel>
          ))}
        </Tabs>
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={() => guarded(() => onClose(false))}>
          Close
        </Button>
      </ModalFooter>
      {leaving ? (
        <ConfirmModal
          label="Discard unpublished changes"
          title="Discard unpublished changes?"
          testId="confirm-discard"
          confirmTestId="confirm-discard-button"
          confirmLabel="Discard"
          appearance="warning"
          act={async () => ({ ok: true, value: null })}
          onClose={(discard) => {
            const go = leaving;
            setLeaving(null);
            if (discard) go();
          }}
        >
          <p>The rules have changes that are not published yet. They are lost if you leave now; publish them first to keep them.</p>
        </ConfirmModal>
      ) : null}
    </ModalDialog>
  );
}
