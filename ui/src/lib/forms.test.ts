import { describe, expect, it } from 'vitest';
import { clearCard, emptyForm, looksLikeCard, parseExpiry, toPaymentInput, validatePayment, type PaymentForm } from './payment-form';
import { luhnOk } from './format';
import { checkRefund } from './refund-form';

function filled(): PaymentForm {
  return {
    ...emptyForm('TRY', 'DD-20261121-ABC123'),
    amount: '1.234,56',
    cardNumber: '4155 6501 0041 6111',
    cardHolder: 'AYSE YILMAZ',
    expiry: '12/30',
    cvv: '000',
    posId: '384badef-11ec-ee11-98f2-005056b0d2e5',
    installment: 3,
    name: 'Ayşe',
    surname: 'Yılmaz',
    email: 'ayse@example.com',
  };
}
const today = new Date('2026-11-21T10:00:00Z');

describe('payment form', () => {
  it('accepts a complete form and builds the exact input', () => {
    const form = filled();
    expect(validatePayment(form, 'tr', today)).toEqual({});
    const input = toPaymentInput(form, 'tr');
    expect(input.amount).toBe('1234.56');
    expect(input.card).toEqual({ number: '4155650100416111', holder: 'AYSE YILMAZ', expMonth: 12, expYear: 2030, cvv: '000' });
    expect(input.contact.phone).toBeNull();
    expect(input.installment).toBe(3);
  });

  it('names each wrong field with a reason', () => {
    const form = { ...filled(), amount: '12,345', cardNumber: '4155 6501 0041 6112', expiry: '10/26', cvv: '1', email: 'x', tckn: '0123', posId: '', orderReference: 'bad ref' };
    expect(validatePayment(form, 'tr', today)).toEqual({
      amount: 'too_many_decimals',
      cardNumber: 'luhn',
      expiry: 'expired',
      cvv: 'invalid',
      email: 'invalid',
      tckn: 'invalid',
      pos: 'required',
      orderReference: 'invalid',
    });
  });

  it('reads expiry forms', () => {
    expect(parseExpiry('12/30')).toEqual({ month: 12, year: 2030 });
    expect(parseExpiry('0130')).toEqual({ month: 1, year: 2030 });
    expect(parseExpiry('3/2031')).toEqual({ month: 3, year: 2031 });
    expect(parseExpiry('13/30')).toBeNull();
    expect(parseExpiry('1230x')).toBeNull();
  });

  it('clears every card field', () => {
    const form = filled();
    clearCard(form);
    expect([form.cardNumber, form.cvv, form.expiry, form.cardHolder]).toEqual(['', '', '', '']);
    expect(form.amount).toBe('1.234,56');
  });
});

describe('refund form', () => {
  it('always carries the exact confirmed amount, everything left included', () => {
    expect(checkRefund('235,00', '235.00', 'iade', 'tr')).toEqual({ ok: true, amount: '235.00' });
    expect(checkRefund('15', '235.00', 'iade', 'tr')).toEqual({ ok: true, amount: '15' });
  });
  it('refuses more than what is left, zero, and a missing reason', () => {
    expect(checkRefund('235,01', '235.00', 'iade', 'tr')).toEqual({ ok: false, field: 'amount', reason: 'exceeds_remaining' });
    expect(checkRefund('0', '235.00', 'iade', 'tr')).toEqual({ ok: false, field: 'amount', reason: 'must_be_positive' });
    expect(checkRefund('10', '235.00', '  ', 'tr')).toEqual({ ok: false, field: 'reason', reason: 'required' });
    expect(checkRefund('10', '235.00', 'kart 4155 6501 0041 6111', 'tr')).toEqual({ ok: false, field: 'reason', reason: 'looks_like_card' });
  });
});

describe('The card number detector (the mirror of Rust\'s, with its property)', () => {
  /** A small seeded generator: the same cases every run. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  function pan(prefix: string, length: number, next: () => number): string {
    let digits = prefix;
    while (digits.length < length - 1) digits += String(Math.floor(next() * 10));
    for (let check = 0; check < 10; check++) if (luhnOk(digits + check)) return digits + check;
    throw new Error('no check digit');
  }

  it('finds every brand and length however it is split and whatever surrounds it', () => {
    const next = random(29);
    const brands = ['4', '51', '55', '2221', '2720', '34', '37', '36', '3528', '6011', '62', '9792'];
    const separators = [' ', '-', '.', '/', '_', '\u00a0', '\t'];
    for (let i = 0; i < 600; i++) {
      const digits = pan(brands[i % brands.length] ?? '4', 13 + (i % 7), next);
      let written = '';
      let rest = digits;
      while (rest) {
        const take = 1 + Math.floor(next() * 5);
        written += rest.slice(0, take);
        rest = rest.slice(take);
        if (rest) written += (separators[Math.floor(next() * separators.length)] ?? ' ').repeat(1 + Math.floor(next() * 3));
      }
      const text = `iade notu: ${written}, teşekkürler`;
      expect(looksLikeCard(text), text).toBe(true);
    }
  });

  it('leaves generated order references, phones, IBANs and dates alone', () => {
    for (const text of ['DD-20261207-123456', 'DD-21991231-999999', '+90 532 123 45 67', 'IBAN TR33 0006 1005 1978 6457 8413 26', '07.12.2026 14:30, 1.234,56 TL']) {
      expect(looksLikeCard(text), text).toBe(false);
    }
  });
});
