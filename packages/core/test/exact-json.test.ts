import { describe, expect, it } from '@jest/globals';
import { JsonNumber, jsonNumber, parseExactJson, parseExactJsonObject, TenderError } from '../src/index.js';

describe('exact JSON', () => {
  it('keeps numbers as the text the sender wrote', () => {
    const body = '{"value": 10.10, "big": 12345678901234567890.5, "label": "10.10"}';
    expect(JSON.parse(body).value).toBe(10.1); // what a plain parse loses
    expect(parseExactJson(body, 'text')).toEqual({ value: '10.10', big: '12345678901234567890.5', label: '10.10' });
    const wrapped = parseExactJson(body) as Record<string, unknown>;
    expect(wrapped.value).toEqual(new JsonNumber('10.10'));
    expect(wrapped.label).toBe('10.10');
  });

  it('writes decimal strings as exact number literals', () => {
    expect(JSON.stringify({ value: jsonNumber('17.50') })).toBe('{"value":17.50}');
  });

  it('refuses bodies that are not a JSON object', () => {
    expect(() => parseExactJsonObject('[1]')).toThrow(TenderError);
    expect(() => parseExactJsonObject('{')).toThrow('Webhook body is not valid JSON.');
  });
});
