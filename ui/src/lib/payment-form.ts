// The new-payment form: what the operator typed → checks in their language's terms → the
// PaymentInput Rust takes. Rust checks again; these give instant, field-level feedback.
import type { PaymentInput } from './api';
import { luhnOk, onlyDigits, parseAmountInput, type Lang } from './format';

export interface PaymentForm {
  orderReference: string;
  amount: string;
  currency: string;
  cardNumber: string;
  cardHolder: string;
  expiry: string;
  cvv: string;
  posId: string;
  installment: number;
  use3d: boolean;
  name: string;
  surname: string;
  email: string;
  phone: string;
  tckn: string;
  description: string;
}

export type FieldErrors = Partial<Record<string, string>>;

export function emptyForm(currency: string, orderReference: string): PaymentForm {
  return {
    orderReference,
    amount: '',
    currency,
    cardNumber: '',
    cardHolder: '',
    expiry: '',
    cvv: '',
    posId: '',
    installment: 1,
    use3d: true,
    name: '',
    surname: '',
    email: '',
    phone: '',
    tckn: '',
    description: '',
  };
}

/**
 * A card number typed into a free-text field (name, note, reason): a run of 13–19 digits, spaces
 * or dashes between them allowed, that passes the Luhn check. Rust refuses the same.
 */
export function looksLikeCard(text: string): boolean {
  const runs = text.match(/\d(?:[ -]?\d)*/g) ?? [];
  return runs.some((run) => {
    const digits = onlyDigits(run);
    return digits.length >= 13 && digits.length <= 19 && luhnOk(digits);
  });
}

/** `MM/YY`, `MM/YYYY` or `MMYY` → month and four-digit year. */
export function parseExpiry(text: string): { month: number; year: number } | null {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!m) return null;
  const month = Number(m[1]);
  const yearText = m[2] ?? '';
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

/** Field → reason key (translated with `reasons.*`). Empty when the form can be sent. */
export function validatePayment(form: PaymentForm, lang: Lang, today: Date): FieldErrors {
  const errors: FieldErrors = {};
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(form.orderReference.trim())) {
    errors.orderReference = form.orderReference.trim() ? 'invalid' : 'required';
  }
  const amount = parseAmountInput(form.amount, lang);
  if (!amount.ok) errors.amount = amount.reason;
  const digits = onlyDigits(form.cardNumber);
  if (!digits) errors.cardNumber = 'required';
  else if (digits.length < 12 || digits.length > 19) errors.cardNumber = 'invalid';
  else if (!luhnOk(digits)) errors.cardNumber = 'luhn';
  if (!form.cardHolder.trim()) errors.cardHolder = 'required';
  else if (looksLikeCard(form.cardHolder)) errors.cardHolder = 'looks_like_card';
  const expiry = parseExpiry(form.expiry);
  if (!form.expiry.trim()) errors.expiry = 'required';
  else if (!expiry) errors.expiry = 'invalid';
  else if (expiry.year * 12 + expiry.month < today.getFullYear() * 12 + today.getMonth() + 1) errors.expiry = 'expired';
  if (!/^\d{3,4}$/.test(form.cvv)) errors.cvv = form.cvv ? 'invalid' : 'required';
  if (!form.posId) errors.pos = 'required';
  if (!form.name.trim()) errors.name = 'required';
  else if (looksLikeCard(form.name)) errors.name = 'looks_like_card';
  if (!form.surname.trim()) errors.surname = 'required';
  else if (looksLikeCard(form.surname)) errors.surname = 'looks_like_card';
  if (looksLikeCard(form.description)) errors.description = 'looks_like_card';
  if (!form.email.trim()) errors.email = 'required';
  else if (!/^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(form.email.trim())) errors.email = 'invalid';
  const phoneDigits = onlyDigits(form.phone);
  if (form.phone.trim() && (!/^[\d\s+()-]+$/.test(form.phone) || phoneDigits.length < 10 || phoneDigits.length > 15)) {
    errors.phone = 'invalid';
  }
  if (form.tckn.trim() && !/^[1-9]\d{10}$/.test(form.tckn.trim())) errors.tckn = 'invalid';
  return errors;
}

export function toPaymentInput(form: PaymentForm, lang: Lang): PaymentInput {
  const amount = parseAmountInput(form.amount, lang);
  const expiry = parseExpiry(form.expiry);
  if (!amount.ok || !expiry) throw new Error('validate the form first');
  const optional = (v: string) => (v.trim() ? v.trim() : null);
  return {
    orderReference: form.orderReference.trim(),
    amount: amount.value,
    currency: form.currency,
    installment: form.installment,
    tenantPosId: form.posId,
    use3d: form.use3d,
    contact: {
      name: form.name.trim(),
      surname: form.surname.trim(),
      email: form.email.trim(),
      phone: optional(form.phone),
      tckn: optional(form.tckn),
      description: optional(form.description),
    },
    card: {
      number: onlyDigits(form.cardNumber),
      holder: form.cardHolder.trim(),
      expMonth: expiry.month,
      expYear: expiry.year,
      cvv: form.cvv,
    },
  };
}

/** After sending, whatever happened: card data leaves the form. */
export function clearCard(form: PaymentForm): void {
  form.cardNumber = '';
  form.cvv = '';
  form.expiry = '';
  form.cardHolder = '';
}
