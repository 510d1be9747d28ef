// One field's value mappings: rows of left value ↔ right value, and what to
// do with a value that has no row.
import Button from '@atlaskit/button/default/button';
import type { FieldMapping, IfNoMatch, VisualSide } from '../../../schemas';
import { otherSide } from './model';

interface Props {
  mapping: FieldMapping;
  left: VisualSide;
  names: Record<VisualSide, string>;
  onChange(mapping: FieldMapping): void;
}

const NO_MATCH_ACTIONS: { value: IfNoMatch['action']; label: string }[] = [
  { value: 'nothing', label: 'Do nothing' },
  { value: 'default', label: 'Use a default value' },
  { value: 'error', label: 'Report an error' },
];

export function ValueMappings({ mapping, left, names, onChange }: Props) {
  const right = otherSide(left);
  const values = mapping.values ?? [];
  const ifNoMatch: IfNoMatch = mapping.ifNoMatch ?? { action: 'nothing' };
  const prefix = `mapping-${mapping.id}`;
  const setValue = (index: number, side: VisualSide, value: string) => onChange({ ...mapping, values: values.map((pair, i) => (i === index ? { ...pair, [side]: value } : pair)) });
  const setNoMatch = (next: IfNoMatch) => onChange({ ...mapping, ifNoMatch: next });

  return (
    <div className="visual__values" data-testid="value-mappings">
      <table className="visual__value-table">
        <thead>
          <tr>
            <th scope="col">{names[left]}</th>
            <th aria-hidden />
            <th scope="col">{names[right]}</th>
            <th aria-hidden />
          </tr>
        </thead>
        <tbody>
          {values.map((pair, index) => (
            <tr key={index} data-testid="value-row">
              <td>
                <input className="visual__input" aria-label={`${names[left]} value ${index + 1}`} value={pair[left]} onChange={(e) => setValue(index, left, e.target.value)} />
              </td>
              <td aria-hidden>↔</td>
              <td>
                <input className="visual__input" aria-label={`${names[right]} value ${index + 1}`} value={pair[right]} onChange={(e) => setValue(index, right, e.target.value)} />
              </td>
              <td>
                <Button appearance="subtle" onClick={() => onChange({ ...mapping, values: values.filter((_, i) => i !== index) })}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button onClick={() => onChange({ ...mapping, values: [...values, { inviter: '', invitee: '' }] })} testId="add-value">
        Add value mapping
      </Button>
      <div className="visual__no-match">
        <label className="visual__label" htmlFor={`${prefix}-no-match`}>
          If no matching value
        </label>
        <select
          id={`${prefix}-no-match`}
          className="visual__input"
          value={ifNoMatch.action}
          onChange={(e) => setNoMatch(e.target.value === 'default' ? { action: 'default' } : { action: e.target.value as 'nothing' | 'error' })}
        >
          {NO_MATCH_ACTIONS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
        {ifNoMatch.action === 'default'
          ? [left, right].map((side) => (
              <input
                key={side}
                className="visual__input"
                aria-label={`Default value on ${names[side]}`}
                placeholder={`Default on ${names[side]}`}
                value={ifNoMatch[side] ?? ''}
                onChange={(e) => setNoMatch({ ...ifNoMatch, [side]: e.target.value })}
              />
            ))
          : null}
      </div>
    </div>
  );
}
