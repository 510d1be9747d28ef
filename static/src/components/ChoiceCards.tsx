// The mode and admin-access choices of the Initiate connection wizard: radio
// buttons drawn as cards. Each radio is named by the card's title and
// described by its bullets; arrow keys move between them as in any radio group.
import type { ReactNode } from 'react';

export interface Choice<V extends string> {
  value: V;
  title: string;
  bullets: string[];
  icon?: ReactNode;
}

interface Props<V extends string> {
  name: string;
  legend: string;
  choices: Choice<V>[];
  value: V | null;
  onChange(value: V): void;
  invalid?: boolean;
  describedBy?: string;
}

export function ChoiceCards<V extends string>({ name, legend, choices, value, onChange, invalid, describedBy }: Props<V>) {
  return (
    <fieldset className="choice-cards" aria-invalid={invalid || undefined} aria-describedby={describedBy}>
      <legend className="field-label">{legend}</legend>
      <div className="choice-cards__row">
        {choices.map((choice) => {
          const id = `${name}-${choice.value}`;
          const selected = value === choice.value;
          return (
            // The whole card picks the choice; the radio inside stays the control keyboards and screen readers use.
            <div
              key={choice.value}
              className={`choice-card${selected ? ' choice-card--selected' : ''}`}
              onClick={() => onChange(choice.value)}
            >
              <span className="choice-card__head">
                <input
                  id={id}
                  type="radio"
                  name={name}
                  value={choice.value}
                  checked={selected}
                  aria-describedby={`${id}-bullets`}
                  onChange={() => onChange(choice.value)}
                />
                {choice.icon}
                <label htmlFor={id} className="choice-card__title">
                  {choice.title}
                </label>
              </span>
              <ul className="choice-card__bullets" id={`${id}-bullets`}>
                {choice.bullets.map((bullet) => (
                  <li key={bullet}>{bullet}</li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
