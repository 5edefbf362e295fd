// The refund form: amount defaults to what is left, must be > 0 and ≤ remaining; reason required.
import { compareDecimal, parseAmountInput, type Lang } from './format';

export type RefundCheck =
  | { ok: true; amount: string | null }
  | { ok: false; field: 'amount' | 'reason'; reason: string };

/** `amount` null in the result means "everything left" (sent without an amount). */
export function checkRefund(amountText: string, remaining: string, reasonText: string, lang: Lang): RefundCheck {
  const parsed = parseAmountInput(amountText, lang);
  if (!parsed.ok) return { ok: false, field: 'amount', reason: parsed.reason };
  if (compareDecimal(parsed.value, remaining) > 0) return { ok: false, field: 'amount', reason: 'exceeds_remaining' };
  if (!reasonText.trim()) return { ok: false, field: 'reason', reason: 'required' };
  return { ok: true, amount: compareDecimal(parsed.value, remaining) === 0 ? null : parsed.value };
}
