import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import type { Trigger } from '../../schemas';

export default function DeleteTriggerModal({ trigger, onClose }: { trigger: Trigger; onClose(deleted: boolean): void }) {
  return (
    <ConfirmDeleteModal
      label="Delete trigger"
      title="Delete trigger?"
      testId="delete-trigger"
      confirmTestId="confirm-delete-trigger"
      remove={() => api.deleteTrigger(trigger.id)}
      onClose={onClose}
    >
      <p>
        The trigger <code className="jql">{trigger.jql}</code> will be deleted. Issues it already synced stay in sync; new matches no longer start syncing.
      </p>
    </ConfirmDeleteModal>
  );
}
