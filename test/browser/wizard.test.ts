// The Initiate connection wizard as a Jira admin first meets it, in
// Chromium: the partner's Jira site address is enough, a wrong address is
// said on the step where it is typed with what to paste instead, names are
// asked in every mode and unique on the site, and the accepting side reads
// who invites and why before it confirms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium } from './browser-setup';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';

let runtime: StartedRuntime;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error on ${path}: ${error.message}`);
  });
  await page.goto(`${runtime.url}${path}`);
  return page;
}

const dialog = (page: Page) => page.getByRole('dialog').last();

async function choose(page: Page, inputId: string, option: string): Promise<void> {
  await page.locator(`#${inputId}`).click();
  await page.getByRole('option', { name: option }).click();
}

beforeAll(async () => {
  buildUi();
  dataDir = mkdtempSync(join(tmpdir(), 'ui-wizard-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('Initiate connection with the partner\'s Jira site address', () => {
  it('says what to paste on the first step, resolves the site, and the accepting side reads the inviter\'s name and description', async () => {
    const greenSite = `${runtime.url}/green`;
    const blue = await open('/blue/apps/exalate-admin/connections');
    await blue.getByTestId('connections-empty').waitFor();
    await blue.getByTestId('initiate-connection-button').click();
    await blue.getByLabel('Script').check();

    // Not an address at all, then an address that is neither a Jira site nor an Exalate: refused here, with what to paste.
    for (const wrong of ['acme', 'http://acme.example.com']) {
      await blue.locator('#destination-url').fill(wrong);
      await dialog(blue).getByRole('button', { name: 'Next' }).click();
      const alert = dialog(blue).locator('#destination-url-error');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/Paste .*https:\/\/acme\.atlassian\.net.*Exalate URL/);
      expect(await dialog(blue).getByText('Connection information').count()).toBe(0);
    }

    await blue.locator('#destination-url').fill(greenSite);
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await blue.getByLabel('Connection name').waitFor();
    expect(await blue.getByTestId('destination-summary').innerText()).toBe(
      `Partner: the Jira site ${greenSite}. Its Exalate URL comes with the acceptance, and is confirmed before this side sends anything.`,
    );
    expect(await blue.getByLabel('Remote instance short name').inputValue()).toBe('green');
    await blue.getByLabel('Connection name').fill('Website bugs');
    await blue.getByLabel('Description').fill('Bugs reported on the website go to the Chasers team.');
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await choose(blue, 'incoming-project', 'UI Design (UD)');
    await dialog(blue).getByRole('button', { name: 'Initiate', exact: true }).click();
    await blue.getByTestId('invitation').waitFor();
    // The partner is named from the start, not "unknown".
    expect(await blue.getByTestId('invitation').innerText()).toMatch(/On the "green" side, you \(or their application administrator\) need to Accept the Invitation/);
    const code = await blue.locator('#invitation-code').inputValue();
    await dialog(blue).getByRole('button', { name: 'Done' }).click();

    const green = await open('/green/apps/exalate-admin/connections');
    await green.getByTestId('accept-invitation-button').click();
    await green.getByLabel('Please paste the invitation code, received from your partner').fill(code);
    await dialog(green).getByRole('button', { name: 'Next' }).click();
    await dialog(green).getByTestId('inviter').waitFor();
    expect(await dialog(green).getByTestId('inviter-description').innerText()).toBe('Bugs reported on the website go to the Chasers team.');
    expect(await green.getByLabel('Connection name').inputValue()).toBe('Website bugs');
    await choose(green, 'accept-project', 'Software Chasers (SC)');
    await dialog(green).getByRole('button', { name: 'Confirm' }).click();
    await green.getByTestId('first-sync').waitFor();
    await dialog(green).getByRole('button', { name: 'Done' }).click();
    await green.getByTestId('status-active').waitFor();
    await green.close();

    await runtime.settle();
    await blue.reload();
    await blue.getByTestId('status-active').waitFor();
    await blue.close();
  });

  it('asks Basic mode for a name too, proposes a free one, and refuses one the site already has', async () => {
    const blue = await open('/blue/apps/exalate-admin/connections');
    await blue.getByTestId('connections-table').waitFor();
    await blue.getByTestId('initiate-connection-button').click();
    await blue.locator('#destination-url').fill(`${runtime.url}/green/x/partner-endpoint`);
    await blue.getByLabel('Basic').check();
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await dialog(blue).getByText('Select a project for the incoming sync').waitFor();
    expect(await blue.getByTestId('destination-summary').innerText()).toMatch(new RegExp(`^Partner: green on ${runtime.url}/green\\.$`));
    expect(await blue.getByLabel('Connection name').inputValue()).toBe('blue_to_green');
    await blue.getByLabel('Connection name').fill('website BUGS');
    await choose(blue, 'incoming-project', 'UI Design (UD)');
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await dialog(blue).getByText('A connection named "Website bugs" already exists on this site. Choose another name.').waitFor();
    await blue.getByLabel('Connection name').fill('');
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await dialog(blue).getByText(/^Enter a connection name/).waitFor();
    await blue.getByLabel('Connection name').fill('Support escalations');
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await dialog(blue).getByText('Do you have admin access to the destination instance?').waitFor();
    await blue.close();
  });

  it('names a private partner by the site the admin gives for it', async () => {
    const blue = await open('/blue/apps/exalate-admin/connections');
    await blue.getByTestId('initiate-connection-button').click();
    await blue.getByText("I don't have a URL").click();
    await blue.getByLabel("Partner's Jira site").fill('https://acme.atlassian.net');
    await blue.getByLabel('Basic').check();
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    expect(await blue.getByTestId('destination-summary').innerText()).toBe('Private connection with the Jira site https://acme.atlassian.net: it will contact this instance.');
    expect(await blue.getByLabel('Connection name').inputValue()).toBe('blue_to_acme');
    await choose(blue, 'incoming-project', 'UI Design (UD)');
    await dialog(blue).getByRole('button', { name: 'Initiate', exact: true }).click();
    await blue.getByTestId('invitation').waitFor();
    expect(await blue.getByTestId('invitation').innerText()).toMatch(/installed on the destination side "acme"/);
    await blue.close();
  });
});
