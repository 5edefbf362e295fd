import { beforeEach, describe, expect, it } from 'vitest';
import { en } from './en';
import { tr } from './tr';
import { errorText, reasonText, setLang, t } from './index.svelte';
import { fieldErrorOf } from '../backend/errors';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  it('have the same keys, none empty, with the same placeholders', () => {
    expect(Object.keys(tr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(tr[key].trim(), key).not.toBe('');
      expect(placeholders(tr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  // Error codes, reasons and fields the Rust side names are checked by type (`en.ts`); the
  // gateway's documented codes P001–P020 are not generated, so they are checked here.
  it('translate every documented gateway code', () => {
    const keys = new Set(Object.keys(en));
    for (let i = 1; i <= 20; i++) expect(keys.has(`gateway.P0${String(i).padStart(2, '0')}`), String(i)).toBe(true);
  });
});

describe('errorText', () => {
  beforeEach(() => setLang('tr'));

  it('explains a field problem in the operator language', () => {
    const e = { code: 'invalid_input', message: 'cardNumber: luhn', details: { field: 'cardNumber', reason: 'luhn' } };
    expect(errorText(e)).toContain('Kart numarası hatalı');
    setLang('en');
    expect(errorText(e)).toContain('card number is mistyped');
  });

  it('uses the gateway code where there is one', () => {
    const e = { code: 'gateway', message: 'gateway error P015: x', details: { gatewayCode: 'P015' } };
    expect(errorText(e)).toBe(tr['gateway.P015']);
  });

  it('says credentials rejected clearly', () => {
    setLang('en');
    expect(errorText({ code: 'credentials_rejected', message: '', details: {} })).toContain('credentials rejected');
  });

  it('never shows a raw object', () => {
    expect(errorText(new Error('boom'))).toContain('boom');
    expect(errorText({ code: 'weird_new_code', message: 'msg', details: {} })).toContain('msg');
  });

  it('fills field names and examples into reasons', () => {
    expect(reasonText('amount', 'not_a_number')).toBe('Tutar bir sayı olmalı, ör. 1.234,56.');
    setLang('en');
    expect(reasonText('amount', 'not_a_number')).toBe('Amount must be a number, like 1,234.56.');
    expect(t('pay.submit', { amount: '₺5,00' })).toBe('Charge ₺5,00');
  });
});

describe('fieldErrorOf', () => {
  it('turns an invalid_input error into the field it points at and why', () => {
    expect(fieldErrorOf({ code: 'invalid_input', message: '', details: { field: 'amount', reason: 'too_large' } })).toEqual({ amount: 'too_large' });
  });
  it('is null for any other error', () => {
    expect(fieldErrorOf({ code: 'timeout', message: '', details: {} })).toBeNull();
    expect(fieldErrorOf({ code: 'invalid_input', message: '', details: {} })).toBeNull();
    expect(fieldErrorOf(new Error('x'))).toBeNull();
  });
});
