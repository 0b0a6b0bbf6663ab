// @vitest-environment jsdom
import englishMessages from 'ra-language-english';
import { describe, expect, it } from 'vitest';
import { enAppMessages, enMessages } from '../../admin/src/i18n/en';
import { createI18nProvider } from '../../admin/src/i18n/i18nProvider';
import { raChineseMessages } from '../../admin/src/i18n/raChinese';
import { serverErrorKey } from '../../admin/src/i18n/serverErrors';
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

  it('render a server error from the catalogue by code and field, never with the field name', async () => {
    const provider = createI18nProvider('en');
    expect(provider.translate(serverErrorKey('BAD_USER_INPUT', 'input.toTerritoryId'))).toBe('Choose the territory the account moves to.');
    expect(provider.translate(serverErrorKey('BAD_USER_INPUT', 'lines.2.quantity'))).toBe('Quantities must be greater than zero.');
    // An input the catalogue does not name: the code's message; an unknown code: the generic one.
    expect(provider.translate(serverErrorKey('BAD_USER_INPUT', 'somethingNew'))).toBe(
      'Some of what you entered is not valid. Check it and try again.',
    );
    expect(provider.translate(serverErrorKey('TEAPOT', null))).toBe(
      'Something went wrong on the server. Try again; if it keeps happening, tell an administrator.',
    );
    await provider.changeLocale('zh');
    expect(provider.translate(serverErrorKey('BAD_USER_INPUT', 'toTerritoryId'))).toBe('请选择客户转入的区域。');
    expect(provider.translate(serverErrorKey('CONFLICT', null))).toBe('该记录已被他人修改或处理。请刷新查看最新状态。');
  });

  it('word a refusal that names its reason on its own, and fall back to the field’s wording for a reason it does not know', async () => {
    const provider = createI18nProvider('en');
    await provider.changeLocale('zh');
    expect(provider.translate(serverErrorKey('BAD_USER_INPUT', 'file', 'SHARED_STRINGS_UNREAD'))).toBe(
      '此 Excel 文件将工作表存放在共享文本之前，且无法可靠读取：其中的文本会被错误导入。请在 Excel 或 WPS 中打开并重新保存后，上传新保存的文件。',
    );
    expect(provider.translate(serverErrorKey('BAD_USER_INPUT', 'file', 'SOMETHING_ELSE'))).toBe(
      '文件无法导入：须为 CSV 或 Excel（.xlsx）文件，首行为表头，且至少有一行数据。',
    );
    await provider.changeLocale('en');
    expect(provider.translate(serverErrorKey('BAD_USER_INPUT', 'file', 'SHARED_STRINGS_UNREAD'))).toMatch(
      /^This Excel file stores its sheet before its shared text/,
    );
  });
});
