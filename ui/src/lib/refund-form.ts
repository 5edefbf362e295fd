// The refund form: amount defaults to what is left, must be > 0 and ≤ remaining; reason required.
import { compareDecimal, parseAmountInput, type Lang } from './format';

import { looksLikeCard } from './payment-form';
import type { Reason } from './generated/Reason';
import type { Entry } from './generated/Entry';
import type { Outcome } from './generated/Outcome';

export type RefundCheck =
  | { ok: true; amount: string }
  | { ok: false; field: 'amount' | 'reason'; reason: Reason };

/** The amount is always the exact one the operator confirms, "everything left" included. */
export function checkRefund(amountText: string, remaining: string, reasonText: string, lang: Lang): RefundCheck {
  const parsed = parseAmountInput(amountText, lang);
  if (!parsed.ok) return { ok: false, field: 'amount', reason: parsed.reason };
  if (compareDecimal(parsed.value, remaining) > 0) return { ok: false, field: 'amount', reason: 'exceeds_remaining' };
  const reason = checkReason(reasonText);
  if (reason) return { ok: false, field: 'reason', reason };
  return { ok: true, amount: parsed.value };
}

/** A reason is required and must not carry a card number. */
export function checkReason(reasonText: string): Reason | null {
  if (!reasonText.trim()) return 'required';
  if (looksLikeCard(reasonText)) return 'looks_like_card';
  return null;
}

/** a + b for non-negative decimal strings, exactly (whole minor units as BigInt). */
export function addDecimal(a: string, b: string): string {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const places = Math.max(af.length, bf.length);
  const sum = BigInt(ai + af.padEnd(places, '0')) + BigInt(bi + bf.padEnd(places, '0'));
  if (places === 0) return sum.toString();
  const digits = sum.toString().padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** Final outcomes in which nothing was taken off. */
const NOTHING_TAKEN: Outcome[] = ['failed', 'notSent', 'notCharged'];

/** What `operator` already took off this transaction by cancel or refund without a supervisor's
 * approval (or may have: not final yet): Rust counts it against a back-office limit. */
export function takenBy(history: Entry[], operator: string): string {
  return history
    .filter((e) => (e.kind === 'cancel' || e.kind === 'refund') && e.operator === operator && e.approvedBy === null)
    .filter((e) => !NOTHING_TAKEN.includes(e.outcome) && e.amount !== null)
    .reduce((sum, e) => addDecimal(sum, e.amount ?? '0'), '0');
}
