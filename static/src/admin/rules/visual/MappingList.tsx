// The field mappings, one row each: the field on both sides with the arrow
// between them; Edit opens a row's value mappings or custom field names.
import { useState } from 'react';
import Button from '@atlaskit/button/default/button';
import type { FieldMapping, VisualSide } from '../../../schemas';
import { MAPPED_FIELDS, arrowOf, directionOf, fieldLabel, hasValueMappings, newMapping, otherSide, type Arrow } from './model';
import { ValueMappings } from './ValueMappings';

interface Props {
  mappings: FieldMapping[];
  left: VisualSide;
  names: Record<VisualSide, string>;
  onChange(mappings: FieldMapping[]): void;
}

const ARROWS: { value: Arrow; label: string }[] = [
  { value: '→', label: '→ left to right' },
  { value: '←', label: '← right to left' },
  { value: '↔', label: '↔ both ways' },
];

function CustomFieldNames({ mapping, left, names, onChange }: { mapping: FieldMapping; left: VisualSide; names: Record<VisualSide, string>; onChange(m: FieldMapping): void }) {
  const custom = mapping.customField ?? { type: 'text' as const, inviter: '', invitee: '' };
  const prefix = `mapping-${mapping.id}`;
  return (
    <div className="visual__custom">
      <label className="visual__label" htmlFor={`${prefix}-type`}>
        Custom field type
      </label>
      <select
        id={`${prefix}-type`}
        className="visual__input"
        value={custom.type}
        onChange={(e) => {
          const type = e.target.value as 'text' | 'select' | 'user';
          const next: FieldMapping = { ...mapping, customField: { ...custom, type } };
          if (type === 'select' && !next.values) Object.assign(next, { values: [], ifNoMatch: { action: 'nothing' } });
          onChange(next);
        }}
      >
        <option value="text">Text</option>
        <option value="select">Select list</option>
        <option value="user">User</option>
      </select>
      {[left, otherSide(left)].map((side) => (
        <div key={side}>
          <label className="visual__label" htmlFor={`${prefix}-name-${side}`}>
            Field name on {names[side]}
          </label>
          <input id={`${prefix}-name-${side}`} className="visual__input" value={custom[side]} onChange={(e) => onChange({ ...mapping, customField: { ...custom, [side]: e.target.value } })} />
        </div>
      ))}
    </div>
  );
}

const describe = (mapping: FieldMapping) =>
  mapping.field === 'customField' && mapping.customField ? { inviter: mapping.customField.inviter || 'Custom field', invitee: mapping.customField.invitee || 'Custom field' } : { inviter: fieldLabel(mapping.field), invitee: fieldLabel(mapping.field) };

export function MappingList({ mappings, left, names, onChange }: Props) {
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
          const editable = mapping.field === 'customField' || hasValueMappings(mapping);
          return (
            <li key={mapping.id} data-testid={`mapping-${mapping.id}`}>
              <div className="visual__mapping">
                <span>{label[left]}</span>
                <select
                  className="visual__arrow"
                  aria-label={`Direction of ${label[left]}`}
                  value={arrowOf(mapping.direction, left)}
                  onChange={(e) => replace({ ...mapping, direction: directionOf(e.target.value as Arrow, left) })}
                >
                  {ARROWS.map((a) => (
                    <option key={a.value} value={a.value} title={a.label}>
                      {a.value}
                    </option>
                  ))}
                </select>
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
                  {mapping.field === 'customField' ? <CustomFieldNames mapping={mapping} left={left} names={names} onChange={replace} /> : null}
                  {hasValueMappings(mapping) ? <ValueMappings mapping={mapping} left={left} names={names} onChange={replace} /> : null}
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
        <select id="add-mapping-field" className="visual__input" value={adding} onChange={(e) => setAdding(e.target.value as FieldMapping['field'])}>
          {MAPPED_FIELDS.map((f) => (
            <option key={f.field} value={f.field}>
              {f.label}
            </option>
          ))}
        </select>
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
