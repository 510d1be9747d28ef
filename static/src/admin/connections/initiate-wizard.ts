// The Initiate connection wizard as a pure state machine, following the
// reference flow: destination and mode → connection information (Visual and
// Script) → project for incoming sync → admin access (Basic, public) → result.
// Without a destination URL the admin names the partner's Jira site on the
// first step: the invitation code will work there only.
import type { InitiateConnectionPayload } from '../../api';
import { siteOf } from '../../../../src/domain/site-url';
import type { ConnectionKind, ConnectionMode, InitiateConnectionResult } from '../../schemas';
import {
  SHORT_NAME_PATTERN,
  connectionKindFor,
  defaultConnectionName,
  isHttpUrl,
  shortNameFromUrl,
  toShortName,
} from '../../lib/connection-names';

export type WizardStep = 'destination' | 'information' | 'project' | 'admin-access';

export interface OwnInstance {
  name: string;
  siteUrl: string;
  exalateUrl: string;
}

/** What the server said the destination URL is (describeDestination), once asked. */
export interface ResolvedDestination {
  url: string;
  kind: 'endpoint' | 'site' | 'this-instance';
  siteUrl: string | null;
  exalateUrl: string | null;
  name: string | null;
}

export interface WizardState {
  step: WizardStep;
  destinationUrl: string;
  /** Set when the destination step was checked with the server; cleared when the URL changes. */
  destination: ResolvedDestination | null;
  noUrl: boolean;
  /** Private connections: the partner's Jira site, the only site the code will work on. */
  partnerSiteUrl: string;
  mode: ConnectionMode | null;
  localName: string;
  remoteName: string;
  name: string;
  description: string;
  /** A Basic local connection: named after its two projects until the admin names it. */
  namedByProjects: boolean;
  /** Fields the admin typed in, which the wizard no longer fills for them. */
  touched: { localName: boolean; remoteName: boolean; name: boolean };
  projectKey: string | null;
  remoteProjectKey: string | null;
  adminAccess: boolean | null;
}

export type WizardErrors = Partial<
  Record<'destinationUrl' | 'partnerSiteUrl' | 'mode' | 'localName' | 'remoteName' | 'name' | 'description' | 'projectKey' | 'remoteProjectKey' | 'adminAccess', string>
>;

export const LIMITS = { shortName: 40, name: 100, description: 1000 } as const;

export function initialWizardState(fixed: { mode?: ConnectionMode; projectKey?: string } = {}): WizardState {
  return {
    step: 'destination',
    destinationUrl: '',
    destination: null,
    noUrl: false,
    partnerSiteUrl: '',
    mode: fixed.mode ?? null,
    localName: '',
    remoteName: '',
    name: '',
    description: '',
    namedByProjects: false,
    touched: { localName: false, remoteName: false, name: false },
    projectKey: fixed.projectKey ?? null,
    remoteProjectKey: null,
    adminAccess: null,
  };
}

export function kindOf(state: WizardState, own: OwnInstance | null): ConnectionKind {
  if (!state.noUrl && state.destination?.kind === 'this-instance') return 'local';
  return connectionKindFor(state.noUrl ? null : state.destinationUrl, own);
}

/** Whether the destination step still needs the server's word on the URL before moving on. */
export function needsDestinationCheck(state: WizardState, own: OwnInstance | null): boolean {
  return state.step === 'destination' && !state.noUrl && kindOf(state, own) === 'public' && state.destination?.url !== state.destinationUrl.trim();
}

/**
 * The partner's short name as far as it is known: what its Exalate calls
 * itself, else its Jira site's first word (`https://acme.atlassian.net` →
 * `acme`). Never "unknown": a private partner is named by the site the
 * admin gave for it.
 */
export function partnerShortName(state: WizardState): string {
  if (state.noUrl) return shortNameFromUrl(state.partnerSiteUrl);
  const named = state.destination?.kind === 'endpoint' ? toShortName(state.destination.name ?? '') : '';
  return named || shortNameFromUrl(state.destination?.siteUrl ?? state.destinationUrl);
}

const comparableName = (name: string) => name.trim().toLowerCase();

export function stepsFor(state: WizardState, own: OwnInstance | null): WizardStep[] {
  const kind = kindOf(state, own);
  const steps: WizardStep[] = ['destination'];
  if (state.mode !== 'basic') steps.push('information');
  steps.push('project');
  if (state.mode === 'basic' && kind === 'public') steps.push('admin-access');
  return steps;
}

export function isLastStep(state: WizardState, own: OwnInstance | null): boolean {
  const steps = stepsFor(state, own);
  return steps[steps.length - 1] === state.step;
}

function checkShortName(value: string, side: string): string | undefined {
  const text = value.trim();
  if (!text) return `Enter a short name for ${side}.`;
  if (text.length > LIMITS.shortName) return `Keep it to ${LIMITS.shortName} characters or fewer.`;
  if (!SHORT_NAME_PATTERN.test(text)) return 'Use letters, digits, "-" and "_" only.';
  return undefined;
}

export const PARTNER_SITE_EXAMPLE = 'https://acme.atlassian.net';

/** What is wrong with the partner site the admin typed, in words that say what to paste. */
export function checkPartnerSite(value: string, own: OwnInstance | null): string | undefined {
  const text = value.trim();
  if (!text) {
    return `Paste your partner's Jira site address, such as ${PARTNER_SITE_EXAMPLE}: the start of the address of any page of their Jira. The invitation code will work on that site only.`;
  }
  const site = siteOf(text);
  if (!site) return `Paste a full address starting with https://, such as ${PARTNER_SITE_EXAMPLE}, copied from your partner's Jira in the browser.`;
  if (own && site === siteOf(own.siteUrl)) return `That is this site. Paste your partner's Jira site address, such as ${PARTNER_SITE_EXAMPLE}.`;
  return undefined;
}

/** `name`, or `name_2`, `name_3`… whichever this site has no connection named yet: what the wizard proposes. */
export function freeConnectionName(name: string, taken: readonly string[]): string {
  const used = new Set(taken.map(comparableName));
  if (!name || !used.has(comparableName(name))) return name;
  for (let n = 2; ; n++) if (!used.has(comparableName(`${name}_${n}`))) return `${name}_${n}`;
}

/** What is wrong with a connection name; `taken` holds this site's connection names. */
export function checkConnectionName(name: string, taken: readonly string[]): string | undefined {
  if (!name.trim()) return 'Enter a connection name: it tells this connection apart on the Connections page.';
  if (name.trim().length > LIMITS.name) return `Keep it to ${LIMITS.name} characters or fewer.`;
  const clash = taken.find((other) => comparableName(other) === comparableName(name));
  return clash ? `A connection named "${clash}" already exists on this site. Choose another name.` : undefined;
}

export function validateStep(state: WizardState, own: OwnInstance | null, taken: readonly string[] = []): WizardErrors {
  const errors: WizardErrors = {};
  switch (state.step) {
    case 'destination':
      if (!state.noUrl) {
        if (!state.destinationUrl.trim()) errors.destinationUrl = `Paste your partner's Jira site address, such as ${PARTNER_SITE_EXAMPLE}, or the Exalate URL from their Settings page; or choose "I don't have a URL".`;
        else if (!isHttpUrl(state.destinationUrl)) errors.destinationUrl = `Paste a full address starting with https://, such as ${PARTNER_SITE_EXAMPLE}: your partner's Jira site address, or the Exalate URL from their Settings page.`;
      } else {
        const site = checkPartnerSite(state.partnerSiteUrl, own);
        if (site) errors.partnerSiteUrl = site;
      }
      if (!state.mode) errors.mode = 'Choose the configuration type.';
      break;
    case 'information': {
      const local = checkShortName(state.localName, 'your instance');
      const remote = checkShortName(state.remoteName, 'the destination instance');
      if (local) errors.localName = local;
      if (remote) errors.remoteName = remote;
      const name = checkConnectionName(state.name, taken);
      if (name) errors.name = name;
      if (state.description.length > LIMITS.description) errors.description = `Keep it to ${LIMITS.description} characters or fewer.`;
      break;
    }
    case 'project': {
      if (!state.projectKey) errors.projectKey = 'Select the project for incoming sync.';
      // Basic mode has no information step: its name is asked here.
      if (state.mode === 'basic') {
        const name = checkConnectionName(state.name, taken);
        if (name) errors.name = name;
      }
      if (kindOf(state, own) === 'local') {
        if (!state.remoteProjectKey) errors.remoteProjectKey = 'Select the project on the other side of the connection.';
        else if (state.remoteProjectKey === state.projectKey) errors.remoteProjectKey = 'Choose two different projects.';
      }
      break;
    }
    case 'admin-access':
      if (state.adminAccess === null) errors.adminAccess = 'Choose whether you have admin access to the destination instance.';
      break;
  }
  return errors;
}

/** Fills the short names and the `Local_to_Remote` name the admin hasn't typed. */
function withDefaultNames(state: WizardState, own: OwnInstance | null): WizardState {
  const kind = kindOf(state, own);
  const localName = state.touched.localName ? state.localName : toShortName(own?.name ?? '') || state.localName;
  const remoteName = state.touched.remoteName ? state.remoteName : kind === 'local' ? '' : partnerShortName(state);
  // Basic mode names a local connection by its two projects, known only on the next step.
  const namedByProjects = kind === 'local' && state.mode === 'basic';
  const name = state.touched.name ? state.name : namedByProjects ? defaultConnectionName(state.projectKey ?? '', state.remoteProjectKey ?? '') : defaultConnectionName(localName, remoteName);
  return { ...state, localName, remoteName, name, namedByProjects };
}

export type WizardEdit =
  | { field: 'destinationUrl' | 'partnerSiteUrl'; value: string }
  | { field: 'noUrl'; value: boolean }
  | { field: 'mode'; value: ConnectionMode }
  | { field: 'localName' | 'remoteName' | 'name' | 'description'; value: string }
  | { field: 'projectKey' | 'remoteProjectKey'; value: string | null }
  | { field: 'adminAccess'; value: boolean };

export function edit(state: WizardState, change: WizardEdit): WizardState {
  switch (change.field) {
    case 'localName':
    case 'remoteName': {
      const next = { ...state, [change.field]: change.value, touched: { ...state.touched, [change.field]: true } };
      return next.touched.name ? next : { ...next, name: defaultConnectionName(next.localName, next.remoteName) };
    }
    case 'name':
      return { ...state, name: change.value, touched: { ...state.touched, name: change.value.trim() !== '' } };
    case 'noUrl':
      return { ...state, noUrl: change.value };
    case 'destinationUrl':
      return { ...state, destinationUrl: change.value, destination: state.destination?.url === change.value.trim() ? state.destination : null };
    case 'projectKey':
    case 'remoteProjectKey': {
      const next = { ...state, [change.field]: change.value };
      // A Basic local connection is named after its projects until the admin names it.
      return next.namedByProjects && !next.touched.name ? { ...next, name: defaultConnectionName(next.projectKey ?? '', next.remoteProjectKey ?? '') } : next;
    }
    default:
      return { ...state, [change.field]: change.value } as WizardState;
  }
}

/** Moves on when the step is valid; otherwise stays and answers its errors. */
export function next(state: WizardState, own: OwnInstance | null, taken: readonly string[] = []): { state: WizardState; errors: WizardErrors } {
  const errors = validateStep(state, own, taken);
  if (Object.keys(errors).length > 0) return { state, errors };
  const steps = stepsFor(state, own);
  const at = steps.indexOf(state.step);
  const following = steps[at + 1];
  if (!following) return { state, errors };
  const moved = { ...state, step: following };
  if (state.step !== 'destination') return { state: moved, errors };
  const named = withDefaultNames(moved, own);
  return { state: named.touched.name ? named : { ...named, name: freeConnectionName(named.name, taken) }, errors };
}

export function previous(state: WizardState, own: OwnInstance | null): WizardState {
  const steps = stepsFor(state, own);
  const at = steps.indexOf(state.step);
  return at > 0 ? { ...state, step: steps[at - 1] ?? 'destination' } : state;
}

/** What the server is asked for once the last step is valid. */
export function toPayload(state: WizardState, own: OwnInstance | null): InitiateConnectionPayload {
  const kind = kindOf(state, own);
  const mode = state.mode ?? 'basic';
  const projectKey = state.projectKey ?? '';
  let localName = state.localName.trim();
  let remoteName = state.remoteName.trim();
  let name = state.name.trim();
  if (mode === 'basic') {
    // Basic mode skips the connection information step: name the sides the
    // way the reference names them; the connection name is the admin's.
    if (kind === 'local') {
      localName = projectKey;
      remoteName = state.remoteProjectKey ?? '';
    } else {
      localName = toShortName(own?.name ?? '') || 'Local';
      remoteName = partnerShortName(state) || 'Remote';
    }
    name = name || defaultConnectionName(localName, remoteName);
  }
  const payload: InitiateConnectionPayload = {
    // A local connection is addressed by this instance's own Exalate URL,
    // whichever of its URLs the admin typed.
    destinationUrl: kind === 'private' ? null : kind === 'local' && own ? own.exalateUrl : state.destinationUrl.trim(),
    mode,
    localName,
    remoteName,
    name,
    projectKey,
  };
  if (state.description.trim()) payload.description = state.description.trim();
  if (kind === 'local' && state.remoteProjectKey) payload.remoteProjectKey = state.remoteProjectKey;
  // A public destination names its own site; only a private partner's site comes from the admin.
  if (kind === 'private') payload.partnerSiteUrl = state.partnerSiteUrl.trim();
  if (mode === 'basic' && kind === 'public') payload.adminAccess = state.adminAccess === true;
  return payload;
}

export type WizardOutcome =
  | { kind: 'invitation'; code: string; remoteName: string; privateSide: boolean; partnerSiteUrl: string | null; expiresAt: number | null }
  | { kind: 'redirect'; acceptUrl: string; remoteName: string }
  | { kind: 'established'; connectionId: string };

export function outcomeOf(result: InitiateConnectionResult, payload: InitiateConnectionPayload): WizardOutcome {
  if (payload.adminAccess && result.acceptUrl) {
    return { kind: 'redirect', acceptUrl: result.acceptUrl, remoteName: payload.remoteName };
  }
  if (result.invitationCode) {
    return {
      kind: 'invitation',
      code: result.invitationCode,
      remoteName: payload.remoteName,
      privateSide: payload.destinationUrl === null,
      partnerSiteUrl: result.partnerSiteUrl ?? null,
      expiresAt: result.expiresAt ?? null,
    };
  }
  return { kind: 'established', connectionId: result.connectionId };
}
