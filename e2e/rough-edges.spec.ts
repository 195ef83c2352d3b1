import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { E2E_EVENTS } from './server';

/** What a new user ran into on a first trial, each a bug once. */

const yearFacet = (page: Page) => page.locator('.facets section', { has: page.getByRole('heading', { name: 'Year' }) });

test('a Year chip shows as chosen, and a second click takes it away', async ({ page }) => {
  await page.goto('/?q=organoid');
  const chip = yearFacet(page).locator('.chip').first();
  const year = (await chip.textContent())!.trim().split(' ')[0]!;
  await chip.click();
  await expect(page).toHaveURL(new RegExp(`from=${year}-01-01&to=${year}-12-31`));
  const chosen = yearFacet(page).locator('.chip', { hasText: year });
  await expect(chosen).toHaveAttribute('aria-pressed', 'true');
  await chosen.click();
  await expect(page).not.toHaveURL(/from=|to=/);
  await expect(yearFacet(page).locator('.chip', { hasText: year })).toHaveAttribute('aria-pressed', 'false');
});

test('with no results, the chosen filters are still chips that take them away', async ({ page }) => {
  await page.goto('/?q=xqzzy&species=mouse&from=2023-01-01&to=2023-12-31');
  await expect(page.getByTestId('total')).toHaveText('0 experiments');
  const mouse = page.getByTestId('facet-species').filter({ hasText: 'mouse' });
  await expect(mouse).toHaveAttribute('aria-pressed', 'true');
  await mouse.click();
  await expect(page).not.toHaveURL(/species=/);
  await yearFacet(page).locator('.chip', { hasText: '2023' }).click();
  await expect(page).toHaveURL(/\?q=xqzzy$/);
});

test('a malformed query says how it was read', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search experiments' }).fill('"unclosed AND OR -');
  await expect(page.getByTestId('query-notes')).toHaveText('no closing quote: "unclosed AND OR -" is searched as one phrase');
  await expect(page.getByTestId('total')).toHaveText('0 experiments');
});

test('a file the query found by name is listed once, as a link', async ({ page }) => {
  await page.goto('/?q=kilosort2');
  const result = page
    .getByTestId('result')
    .filter({ has: page.getByTestId('matching-files') })
    .first();
  const file = result.getByTestId('matching-files').locator('a').first();
  await expect(file).toContainText('kilosort2');
  await expect(file).toHaveAttribute('href', /\?file=[0-9a-f-]{36}#viewer$/);
  // The snippet is the experiment's own text, not the file names again.
  await expect(result.locator('.snippet')).not.toContainText('derived/kilosort2');
});

test('the unknown-file page says a file was not found', async ({ page }) => {
  const response = await page.goto('/files/00000000-0000-5000-8000-000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toContainText('No file in the index has this id');
  await expect(page.getByTestId('not-found')).not.toContainText('experiment');
  await page.goto('/experiment/ephys/2001-01-01-e-nothing');
  await expect(page.getByTestId('not-found')).toContainText('No experiment in the index has this address');
});

function nwbOf(experiment: string): string {
  const db = new Database(process.env.DATABASE_PATH!, { readonly: true });
  try {
    return (
      db.prepare(`SELECT uuid FROM objects WHERE key LIKE ? || '/%' AND key LIKE '%.nwb' ORDER BY key LIMIT 1`).get(experiment) as { uuid: string }
    ).uuid;
  } finally {
    db.close();
  }
}

test('the in-page viewer stays at its own controls once everything has loaded', async ({ page }) => {
  await page.goto(`/experiment/${E2E_EVENTS}?file=${nwbOf(E2E_EVENTS)}#viewer`);
  await expect(page.getByTestId('trace')).not.toHaveAttribute('data-values', '', { timeout: 30_000 });
  await expect(page.getByTestId('electrode-map')).toBeVisible();
  await expect(page.getByTestId('h5web').getByRole('treeitem').first()).toBeVisible({ timeout: 20_000 });
  // Whatever loads below, the viewer's heading is where the link put it: at the top of the window.
  await page.waitForTimeout(500);
  const where = await page.locator('#viewer').evaluate((element) => ({ top: element.getBoundingClientRect().top, scrollY: window.scrollY }));
  expect(Math.abs(where.top), JSON.stringify(where)).toBeLessThan(40);
});

test.describe('at 390 px wide (a phone)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const [name, path] of [
    ['search', '/?q=organoid'],
    ['experiment', `/experiment/${E2E_EVENTS}`],
    ['viewer', 'viewer'],
  ] as const) {
    test(`the ${name} page does not scroll sideways`, async ({ page }, testInfo) => {
      await page.goto(path === 'viewer' ? `/files/${nwbOf(E2E_EVENTS)}` : path);
      if (path === 'viewer') await expect(page.getByTestId('trace')).not.toHaveAttribute('data-values', '', { timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: testInfo.outputPath(`${name}-390.png`), fullPage: true });
      // The elements that stick out of the page (not those in a box that scrolls), innermost first: what to fix.
      const wide = await page.evaluate(() => {
        const out = (e: Element) => e.getBoundingClientRect().right > window.innerWidth + 0.5;
        const clipped = (e: Element) => {
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
          return false;
        };
        return [...document.body.querySelectorAll('*')]
          .filter((e) => out(e) && !clipped(e) && ![...e.children].some(out))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`);
      });
      expect(width, wide.join(', ')).toBeLessThanOrEqual(390);
    });
  }
});
