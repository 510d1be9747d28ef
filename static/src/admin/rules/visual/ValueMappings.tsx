// One field's value mappings: rows of left value ↔ right value, and what to
// do with a value that has no row. Each value is picked from its side's
// own values (statuses, priorities, issue types, options) where known here.
import Button from '@atlaskit/button/default/button';
import type { FieldMapping, IfNoMatch, VisualSide } from '../../../schemas';
import { otherSide } from './model';
import { FixedPicker, ValuePicker } from './pickers';
import { choicesFor, isReported, type SideValues } from './side-values';

interface Props {
  mapping: FieldMapping;
  left: VisualSide;
  names: Record<VisualSide, string>;
  values: SideValues;
  onChange(mapping: FieldMapping): void;
}

const NO_MATCH_ACTIONS: { value: IfNoMatch['action']; label: string }[] = [
  { value: 'nothing', label: 'Do nothing' },
  { value: 'default', label: 'Use a default value' },
  { value: 'error', label: 'Report an error' },
];

export function ValueMappings({ mapping, left, names, values: sideValues, onChange }: Props) {
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
                <ValuePicker inputId={`${prefix}-${index}-left`} label={`${names[left]} value ${index + 1}`} choices={choicesFor(mapping, left, sideValues)} typed={isReported(left, sideValues)} value={pair[left]} onChange={(v) => setValue(index, left, v)} />
              </td>
              <td aria-hidden>↔</td>
              <td>
                <ValuePicker inputId={`${prefix}-${index}-right`} label={`${names[right]} value ${index + 1}`} choices={choicesFor(mapping, right, sideValues)} typed={isReported(right, sideValues)} value={pair[right]} onChange={(v) => setValue(index, right, v)} />
              </td>
              <td>
                <Button appearance="subtle" aria-label={`Remove value mapping ${index + 1}`} onClick={() => onChange({ ...mapping, values: values.filter((_, i) => i !== index) })}>
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
        <FixedPicker
          inputId={`${prefix}-no-match`}
          choices={NO_MATCH_ACTIONS}
          value={ifNoMatch.action}
          onChange={(action) => setNoMatch(action === 'default' ? { action: 'default' } : { action })}
        />
        {ifNoMatch.action === 'default'
          ? [left, right].map((side) => (
              <ValuePicker
                key={side}
                inputId={`${prefix}-default-${side}`}
                label={`Default value on ${names[side]}`}
                placeholder={`Default on ${names[side]}`}
                choices={choicesFor(mapping, side, sideValues)}
                value={ifNoMatch[side] ?? ''}
                onChange={(v) => setNoMatch({ ...ifNoMatch, [side]: v })}
              />
            ))
          : null}
      </div>
    </div>
  );
}
