// @vitest-environment jsdom
import englishMessages from 'ra-language-english';
import { describe, expect, it } from 'vitest';
import { enAppMessages, enMessages } from '../../admin/src/i18n/en';
import { raChineseMessages } from '../../admin/src/i18n/raChinese';
import { zhMessages } from '../../admin/src/i18n/zh';

function keys(messages: unknown, prefix = ''): string[] {
  if (typeof messages !== 'object' || messages === null) return [prefix];
  return Object.entries(messages).flatMap(([key, value]) => keys(value, prefix ? `${prefix}.${key}` : key));
}

function valueAt(messages: unknown, path: string): unknown {
  return path.split('.').reduce<any>((value, key) => value?.[key], messages);
}

const placeholders = (text: string) => [...text.matchAll(/%\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('translations', () => {
  it("translate every one of react-admin's own messages into Chinese", () => {
    expect(keys(raChineseMessages).sort()).toEqual(keys(englishMessages).sort());
  });

  it('translate every console label into Chinese, keeping the placeholders', () => {
    const en = keys(enMessages).sort();
    expect(keys(zhMessages).sort()).toEqual(en);
    for (const key of en) {
      const english = valueAt(enMessages, key) as string;
      const chinese = valueAt(zhMessages, key) as string;
      expect(typeof chinese, key).toBe('string');
      expect(placeholders(chinese), key).toEqual(placeholders(english));
    }
  });

  it('leave no console label untranslated', () => {
    // Proper names and symbols may stay as they are; everything else must differ from English.
    const sameInBothLanguages = new Set(['app.locale.en', 'app.locale.zh', 'app.empty', 'resources.orders.fields.position']);
    for (const key of keys(enAppMessages)) {
      if (sameInBothLanguages.has(key)) continue;
      expect(valueAt(zhMessages, key), key).not.toBe(valueAt(enMessages, key));
      expect(valueAt(zhMessages, key) as string, key).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
