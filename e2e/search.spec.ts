import { expect, test } from '@playwright/test';
import { E2E_EVENTS } from './server';

test.describe('search page', () => {
  test('type a fragment, see highlighted results, filter, open one, come back', async ({ page }) => {
    await page.goto('/');
    const box = page.getByRole('searchbox', { name: 'Search experiments' });
    await expect(box).toBeFocused();
    await expect(page.getByTestId('index-stats')).toContainText('experiments indexed');

    await box.pressSequentially('GABA_v', { delay: 30 });
    await expect(page).toHaveURL(/\?q=GABA_v$/);
    const results = page.getByTestId('result');
    await expect(results.first()).toBeVisible();
    await expect(page.getByTestId('results')).toContainText('2023-08-12-e-GABA_v0');
    await expect(page.locator('[data-testid=snippet] mark').first()).toHaveText(/GABA/i);
    await page.screenshot({ path: 'test-results/search-typed.png', fullPage: true });

    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/search?q=organoid')), box.fill('organoid')]);
    await expect(page).toHaveURL(/\?q=organoid$/);
    await expect(page.getByTestId('results')).not.toContainText('GABA_v0');
    const totalBefore = Number((await page.getByTestId('total').textContent())!.replace(/\D/g, ''));
    const human = page.getByTestId('facet-species').filter({ hasText: 'human' });
    const humanCount = Number((await human.locator('.count').textContent())!.replace(/\D/g, ''));
    expect(humanCount).toBeLessThan(totalBefore);
    await human.click();
    await expect(page).toHaveURL(/species=human/);
    await expect(page.getByTestId('total')).toHaveText(new RegExp(`^${humanCount} experiments?$`));
    await expect(page.getByTestId('facet-species').filter({ hasText: 'human' })).toHaveAttribute('aria-pressed', 'true');

    // Keyboard: arrows from the search box, Enter opens.
    await box.focus();
    await box.press('ArrowDown');
    const firstUuid = (await results.first().locator('.uuid').textContent())!;
    await expect(results.first()).toHaveClass(/active/);
    await box.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/experiment/[a-z]+/${firstUuid}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(firstUuid);

    await page.goBack();
    await expect(page).toHaveURL(/\?q=organoid&species=human/);
    await expect(page.getByRole('searchbox')).toHaveValue('organoid');
    await expect(page.getByTestId('total')).toHaveText(new RegExp(`^${humanCount} experiments?$`));
  });

  test('a file name finds its experiment and lists the matching file', async ({ page }) => {
    await page.goto('/?q=kilosort2');
    await expect(page.getByTestId('matching-files').first()).toContainText('derived/kilosort2/');
  });

  test('what files hold: type: lists the files that hold it, each with one line, and the Data facet counts types', async ({ page }) => {
    await page.goto('/?q=type:TTLs');
    await expect(page.getByTestId('total')).toHaveText('1 experiment');
    const result = page.getByTestId('result');
    await expect(result.locator('a.uuid')).toHaveText(E2E_EVENTS.split('/')[1]!);
    await expect(result.getByTestId('holds')).toContainText('NWB file');
    await expect(result.getByTestId('file-holds')).toHaveText(/ElectricalSeries 32 ch × 4 s @ 20 kHz · 16 units · TTLs \(ndx-events\)$/);
    const facet = page.locator('.facets section', { has: page.getByRole('heading', { name: 'Data' }) });
    await expect(facet.locator('.chip', { hasText: 'TTLs' })).toContainText('1');
    await expect(facet.locator('.chip', { hasText: 'VectorData' })).toHaveCount(0);
    // The file's link opens it on its experiment's page.
    await result.getByTestId('matching-files').locator('a').click();
    await expect(page.locator('#viewer')).toBeVisible();
  });

  test('a malformed query gets a message, not an error page', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('searchbox').fill('after:2023-13');
    await expect(page.getByTestId('search-error')).toHaveText(/after: expects a date/);
  });
});

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  test('a shared link shows the same results, and facets and paging are plain links', async ({ page }) => {
    await page.goto('/?q=');
    await expect(page.getByTestId('result').first()).toBeVisible();
    const total = await page.getByTestId('total').textContent();
    const mouse = page.getByTestId('facet-species').filter({ hasText: 'mouse' });
    const mouseCount = (await mouse.locator('.count').textContent())!;
    await mouse.click();
    await expect(page).toHaveURL(/species=mouse/);
    await expect(page.getByTestId('total')).not.toHaveText(total!);
    await expect(page.getByTestId('total')).toHaveText(new RegExp(`^${mouseCount} experiments$`));
    const firstPage = await page.locator('.uuid').allTextContents();
    await page.getByRole('link', { name: 'More results' }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page.getByTestId('result').first()).toBeVisible();
    const secondPage = await page.locator('.uuid').allTextContents();
    expect(secondPage.filter((uuid) => firstPage.includes(uuid))).toEqual([]);
    await page.screenshot({ path: 'test-results/search-no-js.png', fullPage: true });
  });

  test('the search form submits to the server', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('searchbox').fill('hc328');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/\?q=hc328/);
    await expect(page.getByTestId('results')).toContainText('hc328');
  });
});
