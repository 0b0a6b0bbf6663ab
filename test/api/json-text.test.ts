import { describe, expect, it } from 'vitest';
import { compactJson, stringifyResult, JsonText } from '../../api/src/common/graphql/compile/json-text.js';

describe('compactJson', () => {
  it('writes what JSON.stringify writes for PostgreSQL-spaced JSON, strings untouched', () => {
    // Spelled as PostgreSQL's json_build_object and json_agg write them.
    const cases: [string, string][] = [
      ['{"a" : 1, "b" : [1, 2, \n {"c" : null}]}', '{"a":1,"b":[1,2,{"c":null}]}'],
      ['{"s" : " spaced : , "}', '{"s":" spaced : , "}'],
      ['{"q" : "a\\" : \\"b"}', '{"q":"a\\" : \\"b"}'],
      ['{"e" : "ends in a backslash\\\\", "n" : 1}', '{"e":"ends in a backslash\\\\","n":1}'],
      ['{"t" : "tab\\tnew\\nline", "u" : "\\u001f"}', '{"t":"tab\\tnew\\nline","u":"\\u001f"}'],
      ['[]', '[]'],
      ['"x y"', '"x y"'],
    ];
    for (const [pg, expected] of cases) {
      expect(compactJson(pg), pg).toBe(expected);
      // The oracle: the same value, written by JSON.stringify.
      expect(compactJson(pg), pg).toBe(JSON.stringify(JSON.parse(pg)));
    }
  });

  it('puts the text into the body as JSON.stringify would, and stringifies anything else as Apollo does', () => {
    expect(stringifyResult({ data: { c: new JsonText('{"id":"1"}') } })).toBe('{"data":{"c":{"id":"1"}}}\n');
    expect(stringifyResult({ data: { a: new JsonText('{"id":"1"}'), b: 1 } })).toBe('{"data":{"a":{"id":"1"},"b":1}}\n');
    expect(stringifyResult({ errors: [{ message: 'x' }], data: { a: new JsonText('[1]') } })).toBe(
      '{"errors":[{"message":"x"}],"data":{"a":[1]}}\n',
    );
    expect(stringifyResult({ data: null })).toBe('{"data":null}\n');
  });
});
