import { describe, expect, it } from 'vitest';
import { preloadable } from '../../admin/src/common/preloadable.js';

describe('a preloadable page', () => {
  it('answers React.lazy on the spot once its chunk has arrived, and imports it once', async () => {
    let imports = 0;
    const page = preloadable(async () => {
      imports += 1;
      return { default: 'the page' };
    });
    page.preload();
    await page.load();
    let seen: string | undefined;
    // What React.lazy does with the thenable: if `then` calls back before it returns, the page renders without suspending.
    void page.load().then((module) => {
      seen = module.default;
    });
    expect(seen).toBe('the page');
    expect(imports).toBe(1);
  });

  it('waits for a chunk still on its way, and tries a failed download again', async () => {
    let attempts = 0;
    const page = preloadable(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('offline');
      return { default: 'the page' };
    });
    page.preload();
    await expect(page.load()).rejects.toThrow('offline');
    let seen: string | undefined;
    const loading = page.load().then((module) => {
      seen = module.default;
    });
    expect(seen).toBeUndefined();
    await loading;
    expect(seen).toBe('the page');
    expect(attempts).toBe(2);
  });
});
