import { api } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import type { Trigger } from '../../schemas';

export default function DeleteTriggerModal({ trigger, onClose }: { trigger: Trigger; onClose(deleted: boolean): void }) {
  return (
    <ConfirmModal
      label="Delete trigger"
      title="Delete trigger?"
      testId="delete-trigger"
      confirmTestId="confirm-delete-trigger"
      confirmLabel="Delete"
      act={() => api.deleteTrigger(trigger.id)}
      onClose={onClose}
    >
      <p>
        The trigger <code className="jql">{trigger.jql}</code> will be deleted. Issues it already synced stay in sync; new matches no longer start syncing.
      </p>
    </ConfirmModal>
  );
}
