// The refund form: amount defaults to what is left, must be > 0 and ≤ remaining; reason required.
import { compareDecimal, parseAmountInput, type Lang } from './format';

import { looksLikeCard } from './payment-form';
import type { Reason } from './generated/Reason';

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
