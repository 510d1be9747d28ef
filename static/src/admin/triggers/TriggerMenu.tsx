// The "…" menu of a trigger: the two operations that act on every issue its
// query matches now. Loaded after the table, as it brings popup code along.
import DropdownMenu, { DropdownItem, DropdownItemGroup } from '@atlaskit/dropdown-menu';
import type { Trigger } from '../../schemas';

export default function TriggerMenu({ trigger, onBulk, onUnbulk }: { trigger: Trigger; onBulk(): void; onUnbulk(): void }) {
  return (
    <DropdownMenu trigger="…" label={`More actions for the trigger ${trigger.jql}`} testId={`trigger-menu-${trigger.id}`} spacing="compact">
      <DropdownItemGroup>
        <DropdownItem onClick={onBulk} description="Sync every issue the query matches now">
          Bulk Exalate
        </DropdownItem>
        <DropdownItem onClick={onUnbulk} description="Stop syncing every issue the query matches now">
          Unbulk Exalate
        </DropdownItem>
      </DropdownItemGroup>
    </DropdownMenu>
  );
}
