// Which issues the connection syncs, per side (project and filters), and how
// each direction is triggered (Manual, Automatic or Disabled).
import type { SyncMethod, VisualSide } from '../../../schemas';
import { EDITED_FILTERS, SYNC_METHODS, otherSide, type Draft, type EditedFilter } from './model';

interface Props {
  draft: Draft;
  left: VisualSide;
  names: Record<VisualSide, string>;
  onChange(draft: Draft): void;
}

export function ScopeEditor({ draft, left, names, onChange }: Props) {
  const right = otherSide(left);
  const setProject = (side: VisualSide, projectKey: string) =>
    onChange({ ...draft, mapping: { ...draft.mapping, scope: { ...draft.mapping.scope, [side]: { ...draft.mapping.scope[side], projectKey } } } });
  const setFilter = (side: VisualSide, field: EditedFilter, text: string) => onChange({ ...draft, filters: { ...draft.filters, [side]: { ...draft.filters[side], [field]: text } } });
  const setSync = (from: VisualSide, method: SyncMethod) =>
    onChange({ ...draft, mapping: { ...draft.mapping, sync: { ...draft.mapping.sync, [from === 'inviter' ? 'toInvitee' : 'toInviter']: method } } });
  const methodFrom = (from: VisualSide) => (from === 'inviter' ? draft.mapping.sync.toInvitee : draft.mapping.sync.toInviter);

  const column = (side: VisualSide) => (
    <fieldset className="visual__column" data-testid={`scope-${side === left ? 'left' : 'right'}`}>
      <legend className="visual__column-name">{names[side]}</legend>
      <label className="visual__label" htmlFor={`scope-${side}-project`}>
        Project
      </label>
      <input id={`scope-${side}-project`} className="visual__input" value={draft.mapping.scope[side].projectKey} onChange={(e) => setProject(side, e.target.value)} />
      {EDITED_FILTERS.map(({ field, label }) => (
        <div key={field}>
          <label className="visual__label" htmlFor={`scope-${side}-${field}`}>
            {label}
          </label>
          <input
            id={`scope-${side}-${field}`}
            className="visual__input"
            placeholder="any"
            aria-describedby="scope-filter-help"
            value={draft.filters[side][field]}
            onChange={(e) => setFilter(side, field, e.target.value)}
          />
        </div>
      ))}
    </fieldset>
  );

  const method = (from: VisualSide) => {
    const id = `sync-${from}`;
    return (
      <div className="visual__sync">
        <label className="visual__label" htmlFor={id}>
          From {names[from]}: {names[left]} {from === left ? '→' : '←'} {names[right]}
        </label>
        <select id={id} className="visual__input" value={methodFrom(from)} onChange={(e) => setSync(from, e.target.value as SyncMethod)}>
          {SYNC_METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
    );
  };

  return (
    <section className="visual__section" aria-labelledby="visual-scope-heading">
      <h3 className="rules__heading" id="visual-scope-heading">
        Scope
      </h3>
      <p className="field-help" id="scope-filter-help">
        Filters take comma-separated names; an issue matches a filter with any of its values, and must match every filter filled in.
      </p>
      <div className="visual__columns">
        {column(left)}
        {column(right)}
      </div>
      <h3 className="rules__heading">Sync method</h3>
      <div className="visual__columns">
        {method(left)}
        {method(right)}
      </div>
    </section>
  );
}
