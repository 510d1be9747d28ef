import Select from '@atlaskit/select';
import type { Project } from '../schemas';

interface Props {
  inputId: string;
  projects: Project[];
  value: string | null;
  onChange(key: string | null): void;
  isInvalid?: boolean;
  isLoading?: boolean;
  describedBy?: string;
  /** A project the other side already uses, e.g. in a local connection. */
  exclude?: string | null;
}

interface Option {
  label: string;
  value: string;
}

export function projectLabel(project: Pick<Project, 'key' | 'name'>): string {
  return `${project.name} (${project.key})`;
}

export function ProjectSelect({ inputId, projects, value, onChange, isInvalid, isLoading, describedBy, exclude }: Props) {
  const options: Option[] = projects
    .filter((project) => project.key !== exclude)
    .map((project) => ({ label: projectLabel(project), value: project.key }));
  const selected = options.find((option) => option.value === value) ?? null;
  return (
    <Select<Option>
      inputId={inputId}
      options={options}
      value={selected}
      onChange={(option) => onChange(option ? option.value : null)}
      placeholder="Select Project"
      isInvalid={isInvalid}
      isLoading={isLoading}
      descriptionId={describedBy}
      menuPortalTarget={document.body}
      styles={{ menuPortal: (base) => ({ ...base, zIndex: 1000 }) }}
      noOptionsMessage={() => 'No projects found'}
    />
  );
}
