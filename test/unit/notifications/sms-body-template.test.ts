import { describe, expect, it } from '@jest/globals';
import { fillBodyTemplate, placeholdersOf, valueAtPath } from '../../../src/notifications/sms-body-template.js';

/** The gateway body is built inside the parsed JSON, so no text can change its structure. */

const values = { to: '+84912345678', to_digits: '84912345678', text: 'x', sender_id: 'VNEID', api_key: 'k-123' };

describe('SMS gateway body template', () => {
  it('fills placeholders anywhere in strings, arrays and nested objects, and leaves other values alone', () => {
    const template = { to: ['{{to_digits}}'], message: { body: '{{text}}', from: '{{ sender_id }}' }, auth: 'Key {{api_key}}', type: 2, flash: false, ref: null };
    expect(fillBodyTemplate(template, { ...values, text: 'Mã: 123456' })).toEqual({
      to: ['84912345678'],
      message: { body: 'Mã: 123456', from: 'VNEID' },
      auth: 'Key k-123',
      type: 2,
      flash: false,
      ref: null,
    });
  });

  it('keeps a text full of JSON and placeholder syntax as one string', () => {
    const hostile = '", "to": "+1900", "x": "{{api_key}}\\"}';
    const body = JSON.stringify(fillBodyTemplate({ to: '{{to}}', text: '{{text}}' }, { ...values, text: hostile }));
    expect(JSON.parse(body)).toEqual({ to: '+84912345678', text: hostile });
  });

  it('lists the placeholders used and names the path of one it does not know', () => {
    expect([...placeholdersOf({ a: '{{to}}', b: ['{{text}}'] })].sort()).toEqual(['text', 'to']);
    expect(() => placeholdersOf({ a: { b: ['{{phone}}'] } })).toThrow('bodyTemplate.a.b[0]: unknown placeholder {{phone}}');
  });

  it('reads a reply field by its dotted path', () => {
    const reply = { result: { code: 100 }, messages: [{ status: 'queued' }] };
    expect(valueAtPath(reply, 'result.code')).toBe(100);
    expect(valueAtPath(reply, 'messages.0.status')).toBe('queued');
    expect(valueAtPath(reply, 'result.missing')).toBeUndefined();
    expect(valueAtPath('not an object', 'code')).toBeUndefined();
  });
});
