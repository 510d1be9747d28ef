import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { api, type ApiError } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { Field } from '../../components/Field';
import type { Connection } from '../../schemas';
import { LIMITS } from './initiate-wizard';

const MODE_LABEL = { basic: 'Basic', visual: 'Visual', script: 'Script' } as const;
const KIND_LABEL = { public: 'Public', private: 'Private', local: 'Local (two projects of this site)' } as const;

export default function EditConnectionModal({ connection, onClose }: { connection: Connection; onClose(changed: boolean): void }) {
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
    if (result.ok) onClose(true);
    else setFailure(result.error);
  }

  return (
    <ModalDialog onClose={() => onClose(false)} label="Edit connection" testId="edit-connection">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <ModalHeader hasCloseButton>
          <ModalTitle>Edit connection</ModalTitle>
        </ModalHeader>
        <ModalBody>
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
            </dl>
            <Field id="edit-name" label="Connection name" required error={problem.name}>
              {(describedBy) => (
                <Textfield
                  id="edit-name"
                  value={name}
                  isInvalid={Boolean(problem.name)}
                  aria-describedby={describedBy}
                  onChange={(event) => setName(event.currentTarget.value)}
                  autoFocus
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
          </div>
        </ModalBody>
        <ModalFooter>
          <Button appearance="subtle" onClick={() => onClose(false)}>
            Cancel
          </Button>
          <Button type="submit" appearance="primary" isLoading={busy}>
            Save
          </Button>
        </ModalFooter>
      </form>
    </ModalDialog>
  );
}
