// Edits not yet published, wherever they are on the page: the rule editors
// say so here, and whatever would throw them away (closing the dialog,
// another tab, leaving or reloading the page) asks first.
import { useEffect } from 'react';

const dirty = new Set<string>();

export function hasUnsavedChanges(): boolean {
  return dirty.size > 0;
}

function warnBeforeUnload(event: BeforeUnloadEvent) {
  if (!hasUnsavedChanges()) return;
  // The browser shows its own "Leave site?" prompt; the text is not shown by modern browsers.
  event.preventDefault();
  event.returnValue = '';
}

/** While `isDirty`, the edits of `owner` count as unsaved (and the page warns before it is left). */
export function useUnsavedChanges(owner: string, isDirty: boolean): void {
  useEffect(() => {
    if (!isDirty) return;
    dirty.add(owner);
    if (dirty.size === 1) window.addEventListener('beforeunload', warnBeforeUnload);
    return () => {
      dirty.delete(owner);
      if (dirty.size === 0) window.removeEventListener('beforeunload', warnBeforeUnload);
    };
  }, [owner, isDirty]);
}
