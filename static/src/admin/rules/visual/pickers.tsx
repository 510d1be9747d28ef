// Visual mode's pickers, all Atlaskit selects with search: one value, many
// values, a fixed choice of the app's own, and a person with their avatar.
// Where a side's values are not known here (a partner site), the picker takes
// what the admin types and says so.
import Select, { AsyncSelect, CreatableSelect } from '@atlaskit/select';
import { api } from '../../../api';
import type { UserChoice } from '../../../schemas';
import type { Choice } from './side-values';

const portal = { menuPortalTarget: document.body, styles: { menuPortal: (base: object) => ({ ...base, zIndex: 1000 }) } } as const;

function ChoiceLabel({ choice }: { choice: Choice }) {
  return (
    <span className="picker-choice">
      {choice.iconUrl ? <img src={choice.iconUrl} alt="" width={16} height={16} /> : null}
      {choice.label}
    </span>
  );
}

/** `choices` plus whatever is chosen already but not among them (a value typed earlier, or since renamed). */
function withChosen(choices: Choice[], chosen: string[]): Choice[] {
  const missing = chosen.filter((value) => value && !choices.some((c) => c.value === value)).map((value) => ({ value, label: value }));
  return [...choices, ...missing];
}

interface ValueProps {
  inputId: string;
  /** The accessible name: which side and which value. */
  label: string;
  /** null: this side's values are not known here, so any text is taken. */
  choices: Choice[] | null;
  /** The choices are the partner's last report: offered, and any typed text taken too. */
  typed?: boolean;
  value: string;
  onChange(value: string): void;
  isInvalid?: boolean;
  placeholder?: string;
}

export function ValuePicker({ inputId, label, choices, typed, value, onChange, isInvalid, placeholder }: ValueProps) {
  const options = withChosen(choices ?? [], [value]);
  const selected = options.find((o) => o.value === value) ?? null;
  const common = {
    inputId,
    'aria-label': label,
    options,
    value: selected,
    isClearable: true,
    isInvalid,
    formatOptionLabel: (choice: Choice) => <ChoiceLabel choice={choice} />,
    onChange: (choice: Choice | null) => onChange(choice ? choice.value : ''),
    ...portal,
  };
  if (choices === null || typed) {
    return (
      <CreatableSelect<Choice>
        {...common}
        placeholder={placeholder ?? (choices === null ? 'Type the value as the partner names it' : 'Select, or type as the partner names it')}
        formatCreateLabel={(text: string) => `Use "${text}"`}
        onCreateOption={(text: string) => onChange(text.trim())}
        noOptionsMessage={() => 'Type the value as the partner names it'}
      />
    );
  }
  return <Select<Choice> {...common} placeholder={placeholder ?? 'Select…'} noOptionsMessage={() => 'No matching values'} />;
}

interface MultiProps {
  inputId: string;
  label: string;
  choices: Choice[] | null;
  /** As for ValuePicker: the partner's last report, typed text taken too. */
  typed?: boolean;
  values: string[];
  onChange(values: string[]): void;
  describedBy?: string;
}

export function MultiValuePicker({ inputId, label, choices, typed, values, onChange, describedBy }: MultiProps) {
  const options = withChosen(choices ?? [], values);
  const selected = values.map((v) => options.find((o) => o.value === v)!).filter(Boolean);
  const common = {
    inputId,
    'aria-label': label,
    isMulti: true as const,
    options,
    value: selected,
    placeholder: 'any',
    descriptionId: describedBy,
    formatOptionLabel: (choice: Choice) => <ChoiceLabel choice={choice} />,
    onChange: (chosen: readonly Choice[] | null) => onChange((chosen ?? []).map((c) => c.value)),
    ...portal,
  };
  if (choices === null || typed) {
    return (
      <CreatableSelect<Choice, true>
        {...common}
        formatCreateLabel={(text: string) => `Use "${text}"`}
        onCreateOption={(text: string) => onChange([...values, text.trim()])}
        noOptionsMessage={() => 'Type the value as the partner names it'}
      />
    );
  }
  return <Select<Choice, true> {...common} noOptionsMessage={() => 'No matching values'} />;
}

interface FixedProps<T extends string> {
  inputId: string;
  label?: string;
  choices: readonly { value: T; label: string }[];
  value: T;
  onChange(value: T): void;
}

/** One of the app's own choices (sync method, direction, what to do without a match). */
export function FixedPicker<T extends string>({ inputId, label, choices, value, onChange }: FixedProps<T>) {
  const options = choices.map((c) => ({ value: c.value, label: c.label }));
  return (
    <Select<{ value: T; label: string }>
      inputId={inputId}
      {...(label ? { 'aria-label': label } : {})}
      options={options}
      value={options.find((o) => o.value === value) ?? null}
      onChange={(choice) => choice && onChange(choice.value)}
      isSearchable={options.length > 5}
      {...portal}
    />
  );
}

interface UserProps {
  inputId: string;
  label: string;
  /** The chosen person's email (what a Visual mapping stores), or null. */
  value: string | null;
  onChange(email: string | null): void;
}

interface Person {
  value: string;
  label: string;
  avatarUrl: string | null;
}

const personOf = (user: UserChoice): Person | null => (user.email ? { value: user.email, label: user.displayName, avatarUrl: user.avatarUrl } : null);

async function searchPeople(query: string): Promise<Person[]> {
  const answer = await api.searchUsers(query);
  return answer.ok ? answer.value.users.map(personOf).filter((p): p is Person => p !== null) : [];
}

/** A person of this site, searched as the admin types, shown with their avatar; chosen by email. */
export function UserPicker({ inputId, label, value, onChange }: UserProps) {
  const selected = value ? { value, label: value, avatarUrl: null } : null;
  return (
    <AsyncSelect<Person>
      inputId={inputId}
      aria-label={label}
      cacheOptions
      defaultOptions
      loadOptions={searchPeople}
      value={selected}
      isClearable
      placeholder="Leave unassigned"
      onChange={(person) => onChange(person ? person.value : null)}
      formatOptionLabel={(person) => (
        <span className="picker-choice">
          {person.avatarUrl ? <img className="picker-avatar" src={person.avatarUrl} alt="" width={20} height={20} /> : null}
          {person.label}
          {person.label !== person.value ? <span className="picker-secondary">{person.value}</span> : null}
        </span>
      )}
      noOptionsMessage={() => 'No people with a visible email match'}
      {...portal}
    />
  );
}
