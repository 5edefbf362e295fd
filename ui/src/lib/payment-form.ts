// The new-payment form: what the operator typed → checks in their language's terms → the
// PaymentInput Rust takes. Rust checks again; these give instant, field-level feedback.
import type { PaymentInput } from './api';
import { luhnOk, onlyDigits, parseAmountInput, type Lang } from './format';
import type { FieldErrors } from './backend/errors';
import type { Reason } from './generated/Reason';

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
  /** The customer's account code in the dealer's books ("cari kod"), kept in the journal. */
  accountCode: string;
}

export type { FieldErrors } from './backend/errors';

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
    accountCode: '',
  };
}

/**
 * The card number detector, as Rust's `validation::contains_card_number`: digits in groups, the
 * groups joined by up to three separators (spaces, `-`, `.`, `/`, `_`), and any run of whole
 * groups that is 13–19 digits long, passes the Luhn check and begins as a card brand does.
 */
export function looksLikeCard(text: string): boolean {
  const runs: string[][] = [];
  let joined = false;
  for (const match of text.matchAll(/(\D*)(\d+)/g)) {
    const gap = match[1] ?? '';
    const group = match[2] ?? '';
    const joins = joined && [...gap].length <= 3 && /^[ \u00a0\t\-./_]*$/.test(gap);
    const last = runs[runs.length - 1];
    if (joins && last) last.push(group);
    else runs.push([group]);
    joined = true;
  }
  return runs.some((groups) =>
    groups.some((_, first) => {
      let digits = '';
      return groups.slice(first).some((group) => {
        digits += group;
        return digits.length >= 13 && digits.length <= 19 && luhnOk(digits) && beginsAsACard(digits);
      });
    }),
  );
}

/** Visa, Mastercard, Amex, Diners, JCB, Discover, UnionPay, Maestro and Troy beginnings. */
function beginsAsACard(digits: string): boolean {
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  return digits.startsWith('4') || two === 30 || (two >= 34 && two <= 39) || (two >= 50 && two <= 69) || (four >= 2221 && four <= 2720) || four === 9792;
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

/** A plausible e-mail address: one `@`, something on both sides, a dot inside the domain. */
export function emailOk(text: string): boolean {
  const value = text.trim();
  const at = value.indexOf('@');
  if (at <= 0 || /\s/.test(value)) return false;
  const domain = value.slice(at + 1);
  return !domain.includes('@') && domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.');
}

/** Turkish national id: 11 digits, the first not zero, with its two check digits. */
export function tcknOk(text: string): boolean {
  if (!/^[1-9]\d{10}$/.test(text)) return false;
  const d = [...text].map(Number);
  const at = (i: number) => d[i] ?? 0;
  const odd = at(0) + at(2) + at(4) + at(6) + at(8);
  const even = at(1) + at(3) + at(5) + at(7);
  const tenth = (odd * 7 + 90 - even) % 10;
  const eleventh = d.slice(0, 10).reduce((a, b) => a + b, 0) % 10;
  return tenth === at(9) && eleventh === at(10);
}

/** A required free-text field: missing, too long, or carrying a card number. */
function textProblem(value: string, max: number, required: boolean): Reason | undefined {
  const text = value.trim();
  if (!text) return required ? 'required' : undefined;
  if ([...text].length > max) return 'too_long';
  if (looksLikeCard(text)) return 'looks_like_card';
  return undefined;
}

/**
 * Field → reason key (translated with `reasons.*`). Empty when the form can be sent. The same
 * rules as Rust's `validation::payment`, held together by validation-cases.json.
 */
/** `cvvUsed`: false only where the card's BIN answer says its CVV is not used (then it may be left out). */
export function validatePayment(form: PaymentForm, lang: Lang, today: Date, cvvUsed = true): FieldErrors {
  const errors: FieldErrors = {};
  const order = form.orderReference.trim();
  if (!order) errors.orderReference = 'required';
  else if (order.length > 40) errors.orderReference = 'too_long';
  else if (looksLikeCard(order)) errors.orderReference = 'looks_like_card';
  else if (!/^[A-Za-z0-9_-]+$/.test(order)) errors.orderReference = 'invalid';
  const amount = parseAmountInput(form.amount, lang);
  if (!amount.ok) errors.amount = amount.reason;
  const digits = onlyDigits(form.cardNumber);
  if (!digits) errors.cardNumber = 'required';
  else if (digits.length < 12 || digits.length > 19) errors.cardNumber = 'invalid';
  else if (!luhnOk(digits)) errors.cardNumber = 'luhn';
  const holder = textProblem(form.cardHolder, 60, true);
  if (holder) errors.cardHolder = holder;
  const expiry = parseExpiry(form.expiry);
  if (!form.expiry.trim()) errors.expiry = 'required';
  else if (!expiry || expiry.year < 2000 || expiry.year > 2100) errors.expiry = 'invalid';
  else if (expiry.year * 12 + expiry.month < today.getFullYear() * 12 + today.getMonth() + 1) errors.expiry = 'expired';
  if ((cvvUsed || form.cvv) && !/^\d{3,4}$/.test(form.cvv)) errors.cvv = form.cvv ? 'invalid' : 'required';
  if (!form.posId) errors.pos = 'required';
  const name = textProblem(form.name, 60, true);
  if (name) errors.name = name;
  const surname = textProblem(form.surname, 60, true);
  if (surname) errors.surname = surname;
  const description = textProblem(form.description, 200, false);
  if (description) errors.description = description;
  if (!form.email.trim()) errors.email = 'required';
  else if (!emailOk(form.email)) errors.email = 'invalid';
  else if (looksLikeCard(form.email)) errors.email = 'looks_like_card';
  const phoneDigits = onlyDigits(form.phone);
  if (form.phone.trim() && (!/^[\d\s+()-]+$/.test(form.phone) || phoneDigits.length < 10 || phoneDigits.length > 15)) {
    errors.phone = 'invalid';
  } else if (looksLikeCard(form.phone)) {
    errors.phone = 'looks_like_card';
  }
  if (form.tckn.trim() && !tcknOk(form.tckn.trim())) errors.tckn = 'invalid';
  const accountCode = accountCodeProblem(form.accountCode);
  if (accountCode) errors.accountCode = accountCode;
  return errors;
}

/** As Rust's `validation::contact`: letters, digits, spaces and `. - _ /`, at most 30, no card number. */
function accountCodeProblem(text: string): Reason | null {
  const code = text.trim();
  if (!code) return null;
  if (!/^[\p{L}\p{N} ._/-]+$/u.test(code)) return 'invalid';
  if ([...code].length > 30) return 'too_long';
  if (looksLikeCard(code)) return 'looks_like_card';
  return null;
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
      accountCode: optional(form.accountCode) ?? undefined,
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
