// Which issues the connection syncs, per side (project and filters), and how
// each direction is triggered (Manual, Automatic or Disabled). Projects,
// types, statuses and priorities are picked from the side's own values where
// they are known here; labels are free text, as in Jira.
import { useCallback } from 'react';
import { api } from '../../../api';
import { ProjectSelect } from '../../../components/ProjectSelect';
import { useResource } from '../../../lib/use-resource';
import type { SyncMethod, VisualSide } from '../../../schemas';
import { EDITED_FILTERS, SYNC_METHODS, otherSide, splitValues, type Draft, type EditedFilter } from './model';
import { FixedPicker, MultiValuePicker, ValuePicker } from './pickers';
import { filterChoices, isReported, type SideValues } from './side-values';

interface Props {
  draft: Draft;
  left: VisualSide;
  names: Record<VisualSide, string>;
  /** Whether the side's project is on this site (this side; the other one too in a local connection). */
  onThisSite: Record<VisualSide, boolean>;
  values: SideValues;
  onChange(draft: Draft): void;
}

export function ScopeEditor({ draft, left, names, onThisSite, values, onChange }: Props) {
  const right = otherSide(left);
  const [projects] = useResource(useCallback(() => api.listProjects(), []));
  const projectList = projects.state === 'ready' ? projects.value.projects : [];
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
      {onThisSite[side] ? (
        <ProjectSelect
          inputId={`scope-${side}-project`}
          projects={projectList}
          value={draft.mapping.scope[side].projectKey || null}
          onChange={(key) => setProject(side, key ?? '')}
          isLoading={projects.state === 'loading'}
        />
      ) : (
        <ValuePicker
          inputId={`scope-${side}-project`}
          label={`Project on ${names[side]}`}
          choices={null}
          value={draft.mapping.scope[side].projectKey}
          onChange={(key) => setProject(side, key)}
          placeholder={`The project key on ${names[side]}`}
        />
      )}
      {EDITED_FILTERS.map(({ field, label }) => (
        <div key={field}>
          <label className="visual__label" htmlFor={`scope-${side}-${field}`}>
            {label}
          </label>
          {field === 'labels' ? (
            <input
              id={`scope-${side}-${field}`}
              className="visual__input"
              placeholder="any"
              aria-describedby="scope-filter-help"
              value={draft.filters[side][field]}
              onChange={(e) => setFilter(side, field, e.target.value)}
            />
          ) : (
            <MultiValuePicker
              inputId={`scope-${side}-${field}`}
              label={`${label} on ${names[side]}`}
              choices={filterChoices(field, side, values)}
              typed={isReported(side, values)}
              values={splitValues(draft.filters[side][field])}
              onChange={(chosen) => setFilter(side, field, chosen.join(', '))}
              describedBy="scope-filter-help"
            />
          )}
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
        <FixedPicker inputId={id} choices={SYNC_METHODS} value={methodFrom(from)} onChange={(m) => setSync(from, m)} />
      </div>
    );
  };

  return (
    <section className="visual__section" aria-labelledby="visual-scope-heading">
      <h3 className="rules__heading" id="visual-scope-heading">
        Scope
      </h3>
      <p className="field-help" id="scope-filter-help">
        Labels take comma-separated names; an issue matches a filter with any of its values, and must match every filter filled in. Leave a filter empty for any value.
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
