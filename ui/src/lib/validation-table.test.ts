// The payment form's checks held to the table the Rust rules are held to
// (validation-cases.json, also run by desk-core's tests/validation_table.rs).
import { describe, expect, it } from 'vitest';
import table from './validation-cases.json';
import { emptyForm, validatePayment, type PaymentForm } from './payment-form';

describe('the payment form follows the shared validation table', () => {
  const today = new Date(`${table.today}T12:00:00`);
  for (const c of table.cases) {
    it(c.name, () => {
      const form: PaymentForm = { ...emptyForm('TRY', ''), ...table.base, ...c.change };
      const expected = c.expect ? { [c.expect.field]: c.expect.reason } : {};
      expect(validatePayment(form, 'en', today)).toEqual(expected);
    });
  }
});
