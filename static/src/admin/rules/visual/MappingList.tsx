// The field mappings, one row each: the field on both sides with the arrow
// between them; Edit opens a row's value mappings, custom field names, or
// the person to set when the partner's has no match here.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import type { FieldMapping, VisualSide } from '../../../schemas';
import { MAPPED_FIELDS, arrowOf, directionOf, fieldLabel, hasValueMappings, newMapping, otherSide, type Arrow } from './model';
import { FixedPicker, UserPicker, ValuePicker } from './pickers';
import type { SideValues } from './side-values';
import { ValueMappings } from './ValueMappings';

interface Props {
  mappings: FieldMapping[];
  left: VisualSide;
  names: Record<VisualSide, string>;
  values: SideValues;
  onThisSite: Record<VisualSide, boolean>;
  onChange(mappings: FieldMapping[]): void;
}

const CUSTOM_TYPES = [
  { value: 'text', label: 'Text' },
  { value: 'select', label: 'Select list' },
  { value: 'user', label: 'User' },
] as const;

/** Mappings of people: assignee, reporter, and user custom fields. */
const mapsPeople = (m: FieldMapping) => m.field === 'assignee' || m.field === 'reporter' || (m.field === 'customField' && m.customField?.type === 'user');

function UserFallbacks({ mapping, left, names, onThisSite, onChange }: { mapping: FieldMapping; left: VisualSide; names: Record<VisualSide, string>; onThisSite: Record<VisualSide, boolean>; onChange(m: FieldMapping): void }) {
  const fallback = mapping.users?.fallback ?? { inviter: null, invitee: null };
  const set = (side: VisualSide, email: string | null) => onChange({ ...mapping, users: { fallback: { ...fallback, [side]: email || null } } });
  const prefix = `mapping-${mapping.id}-fallback`;
  return (
    <div className="visual__custom" data-testid="user-fallbacks">
      <p className="field-help">People are matched by email. When the other side's person has no match, set:</p>
      {[left, otherSide(left)].map((side) => (
        <div key={side}>
          <label className="visual__label" htmlFor={`${prefix}-${side}`}>
            On {names[side]}
          </label>
          {onThisSite[side] ? (
            <UserPicker inputId={`${prefix}-${side}`} label={`Person to set on ${names[side]} when there is no match`} value={fallback[side]} onChange={(email) => set(side, email)} />
          ) : (
            <ValuePicker
              inputId={`${prefix}-${side}`}
              label={`Person to set on ${names[side]} when there is no match`}
              choices={null}
              value={fallback[side] ?? ''}
              onChange={(email) => set(side, email)}
              placeholder={`An email on ${names[side]}, or leave unassigned`}
            />
          )}
        </div>
      ))}
    </div>
  );
}

const ARROWS: { value: Arrow; label: string }[] = [
  { value: '→', label: '→ left to right' },
  { value: '←', label: '← right to left' },
  { value: '↔', label: '↔ both ways' },
];

function CustomFieldNames({ mapping, left, names, values, onChange }: { mapping: FieldMapping; left: VisualSide; names: Record<VisualSide, string>; values: SideValues; onChange(m: FieldMapping): void }) {
  const custom = mapping.customField ?? { type: 'text' as const, inviter: '', invitee: '' };
  const prefix = `mapping-${mapping.id}`;
  return (
    <div className="visual__custom">
      <label className="visual__label" htmlFor={`${prefix}-type`}>
        Custom field type
      </label>
      <FixedPicker
        inputId={`${prefix}-type`}
        choices={CUSTOM_TYPES}
        value={custom.type}
        onChange={(type) => {
          const next: FieldMapping = { ...mapping, customField: { ...custom, type } };
          if (type === 'select' && !next.values) Object.assign(next, { values: [], ifNoMatch: { action: 'nothing' } });
          onChange(next);
        }}
      />
      {[left, otherSide(left)].map((side) => {
        const known = values[side];
        const fields = known && !known.partial ? known.customFields.filter((f) => f.type === custom.type).map((f) => ({ value: f.name, label: f.name })) : null;
        return (
          <div key={side}>
            <label className="visual__label" htmlFor={`${prefix}-name-${side}`}>
              Field name on {names[side]}
            </label>
            <ValuePicker
              inputId={`${prefix}-name-${side}`}
              label={`Field name on ${names[side]}`}
              choices={fields}
              value={custom[side]}
              onChange={(name) => onChange({ ...mapping, customField: { ...custom, [side]: name } })}
              placeholder={fields ? 'Select a custom field' : `The field's name on ${names[side]}`}
            />
          </div>
        );
      })}
    </div>
  );
}

const describe = (mapping: FieldMapping) =>
  mapping.field === 'customField' && mapping.customField ? { inviter: mapping.customField.inviter || 'Custom field', invitee: mapping.customField.invitee || 'Custom field' } : { inviter: fieldLabel(mapping.field), invitee: fieldLabel(mapping.field) };

export function MappingList({ mappings, left, names, values, onThisSite, onChange }: Props) {
  const right = otherSide(left);
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState<FieldMapping['field']>('labels');
  const replace = (next: FieldMapping) => onChange(mappings.map((m) => (m.id === next.id ? next : m)));

  return (
    <section className="visual__section" aria-labelledby="visual-mappings-heading">
      <h3 className="rules__heading" id="visual-mappings-heading">
        Mappings
      </h3>
      <div className="visual__mapping visual__mapping--head" aria-hidden>
        <span className="visual__column-name">{names[left]}</span>
        <span />
        <span className="visual__column-name">{names[right]}</span>
      </div>
      <ul className="visual__mappings">
        {mappings.map((mapping) => {
          const label = describe(mapping);
          const editable = mapping.field === 'customField' || hasValueMappings(mapping) || mapsPeople(mapping);
          return (
            <li key={mapping.id} data-testid={`mapping-${mapping.id}`}>
              <div className="visual__mapping">
                <span>{label[left]}</span>
                <span className="visual__arrow">
                  <FixedPicker
                    inputId={`mapping-${mapping.id}-direction`}
                    label={`Direction of ${label[left]}`}
                    choices={ARROWS}
                    value={arrowOf(mapping.direction, left)}
                    onChange={(arrow) => replace({ ...mapping, direction: directionOf(arrow, left) })}
                  />
                </span>
                <span>{label[right]}</span>
                <span className="visual__actions">
                  {editable ? (
                    <Button appearance="subtle" onClick={() => setOpen(open === mapping.id ? null : mapping.id)} aria-expanded={open === mapping.id} testId={`edit-mapping-${mapping.id}`}>
                      {open === mapping.id ? 'Close' : 'Edit'}
                    </Button>
                  ) : null}
                  <Button appearance="subtle" onClick={() => onChange(mappings.filter((m) => m.id !== mapping.id))} testId={`delete-mapping-${mapping.id}`}>
                    Delete
                  </Button>
                </span>
              </div>
              {open === mapping.id ? (
                <div className="visual__details">
                  {mapping.field === 'customField' ? <CustomFieldNames mapping={mapping} left={left} names={names} values={values} onChange={replace} /> : null}
                  {hasValueMappings(mapping) ? <ValueMappings mapping={mapping} left={left} names={names} values={values} onChange={replace} /> : null}
                  {mapsPeople(mapping) ? <UserFallbacks mapping={mapping} left={left} names={names} onThisSite={onThisSite} onChange={replace} /> : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div className="visual__add">
        <label className="visual__label" htmlFor="add-mapping-field">
          Field to map
        </label>
        <FixedPicker<FieldMapping['field']>
          inputId="add-mapping-field"
          choices={MAPPED_FIELDS.map((f) => ({ value: f.field, label: f.label }))}
          value={adding}
          onChange={(field) => setAdding(field)}
        />
        <Button
          onClick={() => {
            const added = newMapping(adding, mappings);
            onChange([...mappings, added]);
            if (added.field === 'customField' || hasValueMappings(added)) setOpen(added.id);
          }}
          testId="add-mapping"
        >
          Add mapping
        </Button>
      </div>
    </section>
  );
}
