import { describe, expect, it } from 'vitest';
import {
  checkConnectionName,
  edit,
  initialWizardState,
  isLastStep,
  kindOf,
  needsDestinationCheck,
  next,
  outcomeOf,
  partnerShortName,
  previous,
  stepsFor,
  toPayload,
  type OwnInstance,
  type WizardEdit,
  type WizardState,
} from '../../static/src/admin/connections/initiate-wizard';

const own: OwnInstance = {
  name: 'blue',
  siteUrl: 'http://localhost:8080/blue',
  exalateUrl: 'http://localhost:8080/blue/x/partner-endpoint',
};

function apply(state: WizardState, ...changes: WizardEdit[]): WizardState {
  return changes.reduce(edit, state);
}

function advance(state: WizardState): WizardState {
  const moved = next(state, own);
  expect(moved.errors).toEqual({});
  return moved.state;
}

describe('Initiate connection wizard', () => {
  it('walks Script mode as the reference does: destination → connection information → project', () => {
    let state = apply(initialWizardState(), { field: 'destinationUrl', value: 'https://acme.atlassian.net' }, { field: 'mode', value: 'script' });
    expect(stepsFor(state, own)).toEqual(['destination', 'information', 'project']);
    state = advance(state);
    expect(state.step).toBe('information');
    // Short names and `Local_to_Remote` come prefilled.
    expect([state.localName, state.remoteName, state.name]).toEqual(['blue', 'acme', 'blue_to_acme']);
    state = apply(state, { field: 'remoteName', value: 'partner' });
    expect(state.name).toBe('blue_to_partner');
    state = apply(state, { field: 'name', value: 'Support escalations' }, { field: 'remoteName', value: 'acme' });
    expect(state.name).toBe('Support escalations');
    state = advance(state);
    expect(isLastStep(state, own)).toBe(true);
    state = apply(state, { field: 'projectKey', value: 'UD' });
    expect(toPayload(state, own)).toEqual({
      destinationUrl: 'https://acme.atlassian.net',
      mode: 'script',
      localName: 'blue',
      remoteName: 'acme',
      name: 'Support escalations',
      projectKey: 'UD',
    });
  });

  it('says what is missing on each step and stays there', () => {
    const empty = next(initialWizardState(), own);
    expect(empty.state.step).toBe('destination');
    expect(Object.keys(empty.errors).sort()).toEqual(['destinationUrl', 'mode']);
    const badUrl = next(apply(initialWizardState(), { field: 'destinationUrl', value: 'acme' }, { field: 'mode', value: 'visual' }), own);
    expect(badUrl.errors.destinationUrl).toMatch(/^Paste a full address starting with https:\/\/, such as https:\/\/acme\.atlassian\.net/);
    let state = advance(apply(initialWizardState(), { field: 'noUrl', value: true }, { field: 'partnerSiteUrl', value: 'https://acme.atlassian.net' }, { field: 'mode', value: 'visual' }));
    state = apply(state, { field: 'localName', value: 'blue side' }, { field: 'remoteName', value: '' });
    const info = next(state, own);
    expect(info.state.step).toBe('information');
    expect(info.errors.localName).toMatch(/letters, digits/);
    expect(info.errors.remoteName).toMatch(/short name/);
  });

  it('asks Basic mode about admin access, without a connection information step', () => {
    let state = apply(initialWizardState(), { field: 'destinationUrl', value: 'https://acme.atlassian.net' }, { field: 'mode', value: 'basic' });
    expect(stepsFor(state, own)).toEqual(['destination', 'project', 'admin-access']);
    state = advance(state);
    state = advance(apply(state, { field: 'projectKey', value: 'SC' }));
    expect(state.step).toBe('admin-access');
    expect(next(state, own).errors.adminAccess).toBeDefined();
    state = apply(state, { field: 'adminAccess', value: true });
    const payload = toPayload(state, own);
    expect(payload).toEqual({
      destinationUrl: 'https://acme.atlassian.net',
      mode: 'basic',
      localName: 'blue',
      remoteName: 'acme',
      name: 'blue_to_acme',
      projectKey: 'SC',
      adminAccess: true,
    });
    expect(outcomeOf({ connectionId: 'c1', kind: 'public', acceptUrl: 'https://acme/accept', invitationCode: 'code' }, payload)).toEqual({
      kind: 'redirect',
      acceptUrl: 'https://acme/accept',
      remoteName: 'acme',
    });
    expect(outcomeOf({ connectionId: 'c1', kind: 'public', invitationCode: 'code' }, { ...payload, adminAccess: false })).toMatchObject({ kind: 'invitation', code: 'code' });
  });

  it('makes a private connection from "I don\'t have a URL", named for the site the admin names and bound to it', () => {
    let state = apply(initialWizardState(), { field: 'destinationUrl', value: 'https://ignored.example' }, { field: 'noUrl', value: true }, { field: 'mode', value: 'basic' });
    expect(kindOf(state, own)).toBe('private');
    expect(stepsFor(state, own)).toEqual(['destination', 'project']);
    // The partner's site is asked for on this step, with what to paste.
    expect(next(state, own).errors).toEqual({
      partnerSiteUrl:
        "Paste your partner's Jira site address, such as https://acme.atlassian.net: the start of the address of any page of their Jira. The invitation code will work on that site only.",
    });
    expect(next(apply(state, { field: 'partnerSiteUrl', value: 'acme' }), own).errors.partnerSiteUrl).toBe(
      "Paste a full address starting with https://, such as https://acme.atlassian.net, copied from your partner's Jira in the browser.",
    );
    expect(next(apply(state, { field: 'partnerSiteUrl', value: 'http://LOCALHOST:8080/blue/' }), own).errors.partnerSiteUrl).toBe(
      "That is this site. Paste your partner's Jira site address, such as https://acme.atlassian.net.",
    );
    state = apply(state, { field: 'partnerSiteUrl', value: ' https://acme.atlassian.net/jira/your-work ' });
    state = apply(advance(state), { field: 'projectKey', value: 'UD' });
    const payload = toPayload(state, own);
    expect(payload).toMatchObject({ destinationUrl: null, remoteName: 'acme', name: 'blue_to_acme', partnerSiteUrl: 'https://acme.atlassian.net/jira/your-work' });
    expect(payload.adminAccess).toBeUndefined();
    expect(outcomeOf({ connectionId: 'c2', kind: 'private', invitationCode: 'abc', partnerSiteUrl: 'https://acme.atlassian.net', expiresAt: 5 }, payload)).toEqual({
      kind: 'invitation',
      code: 'abc',
      remoteName: 'acme',
      privateSide: true,
      partnerSiteUrl: 'https://acme.atlassian.net',
      expiresAt: 5,
    });
  });

  it('asks for no partner site where the destination names its own, or there is no code', () => {
    const publicState = apply(initialWizardState(), { field: 'destinationUrl', value: 'https://acme.atlassian.net' }, { field: 'mode', value: 'basic' }, { field: 'partnerSiteUrl', value: 'typed before ticking back' });
    expect(next(publicState, own).errors).toEqual({});
    expect(toPayload(publicState, own).partnerSiteUrl).toBeUndefined();
    const localState = apply(initialWizardState(), { field: 'destinationUrl', value: own.siteUrl }, { field: 'mode', value: 'basic' });
    expect(next(localState, own).errors).toEqual({});
    expect(toPayload(localState, own).partnerSiteUrl).toBeUndefined();
  });

  it("treats this instance's own URL as a local connection between two of its projects", () => {
    let state = apply(initialWizardState(), { field: 'destinationUrl', value: 'http://localhost:8080/blue/' }, { field: 'mode', value: 'basic' });
    expect(kindOf(state, own)).toBe('local');
    expect(stepsFor(state, own)).toEqual(['destination', 'project']);
    state = apply(advance(state), { field: 'projectKey', value: 'UD' }, { field: 'remoteProjectKey', value: 'UD' });
    expect(next(state, own).errors.remoteProjectKey).toBe('Choose two different projects.');
    state = apply(state, { field: 'remoteProjectKey', value: 'SC' });
    expect(toPayload(state, own)).toEqual({
      destinationUrl: own.exalateUrl,
      mode: 'basic',
      localName: 'UD',
      remoteName: 'SC',
      name: 'UD_to_SC',
      projectKey: 'UD',
      remoteProjectKey: 'SC',
    });
    expect(outcomeOf({ connectionId: 'c3', kind: 'local' }, toPayload(state, own))).toEqual({ kind: 'established', connectionId: 'c3' });
  });

  it('goes back a step without losing what was typed', () => {
    let state = advance(apply(initialWizardState(), { field: 'destinationUrl', value: 'https://acme.atlassian.net' }, { field: 'mode', value: 'visual' }));
    state = advance(apply(state, { field: 'description', value: 'Escalations' }));
    state = previous(previous(state, own), own);
    expect(state.step).toBe('destination');
    expect(state.description).toBe('Escalations');
    expect(previous(state, own)).toBe(state);
  });

  it('keeps project settings connections to Basic mode and its own project', () => {
    const state = initialWizardState({ mode: 'basic', projectKey: 'UD' });
    expect(state.mode).toBe('basic');
    expect(state.projectKey).toBe('UD');
  });

  it('asks the server about a public destination before leaving its step, and again only when the URL changes', () => {
    let state = apply(initialWizardState(), { field: 'destinationUrl', value: 'https://acme.atlassian.net' }, { field: 'mode', value: 'script' });
    expect(needsDestinationCheck(state, own)).toBe(true);
    state = { ...state, destination: { url: 'https://acme.atlassian.net', kind: 'site', siteUrl: 'https://acme.atlassian.net', exalateUrl: null, name: null } };
    expect(needsDestinationCheck(state, own)).toBe(false);
    expect(partnerShortName(state)).toBe('acme');
    expect(advance(state).remoteName).toBe('acme');
    const changed = apply(state, { field: 'destinationUrl', value: 'https://other.atlassian.net' });
    expect(changed.destination).toBeNull();
    expect(needsDestinationCheck(changed, own)).toBe(true);
    // The server's word that a URL is this instance makes a local connection, however it was spelled.
    const self = { ...state, destination: { url: 'https://acme.atlassian.net', kind: 'this-instance' as const, siteUrl: null, exalateUrl: null, name: null } };
    expect(kindOf(self, own)).toBe('local');
  });

  it('requires a connection name unique on this site, in Basic mode too', () => {
    expect(checkConnectionName(' ', [])).toMatch(/^Enter a connection name/);
    expect(checkConnectionName('Blue_to_Green', ['blue_TO_green'])).toBe('A connection named "blue_TO_green" already exists on this site. Choose another name.');
    expect(checkConnectionName('Blue_to_Green', ['Other'])).toBeUndefined();
    let state = apply(initialWizardState(), { field: 'destinationUrl', value: 'https://acme.atlassian.net' }, { field: 'mode', value: 'basic' });
    state = { ...state, destination: { url: 'https://acme.atlassian.net', kind: 'site', siteUrl: 'https://acme.atlassian.net', exalateUrl: null, name: null } };
    state = apply(advance(state), { field: 'projectKey', value: 'UD' });
    expect(state.step).toBe('project');
    expect(state.name).toBe('blue_to_acme');
    expect(next(state, own, ['BLUE_to_acme']).errors).toEqual({ name: 'A connection named "BLUE_to_acme" already exists on this site. Choose another name.' });
    state = apply(state, { field: 'name', value: 'Website bugs' });
    expect(next(state, own, ['BLUE_to_acme']).errors).toEqual({});
    expect(toPayload(state, own).name).toBe('Website bugs');
  });
});
