// Wording of the reference documents for each mode.
import type { Choice } from '../../components/ChoiceCards';
import type { ConnectionMode } from '../../schemas';

export const MODE_CHOICES: Choice<ConnectionMode>[] = [
  {
    value: 'basic',
    title: 'Basic',
    bullets: [
      'Automatic configuration of basic fields',
      'Sync rules cannot be edited',
      'Only Issues can be synced',
      'Recommended for use cases of basic complexity',
    ],
  },
  {
    value: 'visual',
    title: 'Visual',
    bullets: [
      'Low-code, visual interface',
      'Configure both sides of the connection using a single interface',
      'Recommended for use cases of basic to intermediate complexity',
    ],
  },
  {
    value: 'script',
    title: 'Script',
    bullets: [
      'JavaScript-based scripting',
      'Configure each side of the connection separately',
      'Recommended for use cases of basic to advanced complexity',
    ],
  },
];

export const ADMIN_ACCESS_CHOICES: Choice<'yes' | 'no'>[] = [
  {
    value: 'yes',
    title: 'Yes, I have admin access',
    bullets: ['You will be redirected to the destination instance to establish the connection'],
  },
  {
    value: 'no',
    title: "No, I don't have admin access",
    bullets: ['You will generate an invitation and send it to the destination instance admin to establish the connection'],
  },
];

export function initiateProjectText(mode: ConnectionMode): string {
  return mode === 'basic'
    ? 'Exalate generates default sync rules to synchronize basic issue fields. By default the following issue data will be synchronized: summary, description, comments, attachments and issue types.'
    : 'Exalate generates default sync rules to synchronize basic issue fields. You can adapt the sync rules later. By default the following issue data will be synchronized: summary, description, comments, labels and attachments.';
}

export function acceptProjectText(mode: ConnectionMode | undefined): string[] {
  if (mode === 'basic') {
    return [
      'After accepting an invitation for a Basic mode connection, Exalate will be able to sync basic issue fields. The sync rules cannot be updated. Exalate will sync the following issue data: summary, description, comments, and attachments.',
      'Issue types are mirrored. This means that tasks will be synced as tasks, bugs as bugs, and improvements as improvements. If an issue type is not included in the basic set, it will be synced as a task.',
    ];
  }
  return [
    'Exalate generates default sync rules to synchronize basic issue fields. You can adapt the sync rules later. By default the following issue data will be synchronized: summary, description, comments, labels and attachments.',
  ];
}

export const PROJECT_FIELD_LABEL = 'Please select the project where you want to create issues, received from the other side.';
