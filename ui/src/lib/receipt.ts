// What a receipt shows, from either source: a journal entry of this desk (payments, cancels and
// refunds it made) or a transaction opened by lookup (any payment the gateway shows, made here
// or not). One receipt number per operation, the same whichever way the receipt is opened.
import type { Customer } from './generated/Customer';
import type { Entry } from './generated/Entry';
import type { EntryKind } from './generated/EntryKind';
import type { TransactionView } from './generated/TransactionView';
import type { MessageKey } from './i18n/en';

/**
 * The mark of a document whose money is not real: the built-in demo gateway's, and Finrota's
 * sandbox (its demo environment moves no money). `null`: real money, no mark.
 */
export type NoMoneyMark = 'demo' | 'sandbox' | null;

/** The mark for an environment (a journal entry's) or a profile kind: the words are the same. */
export function noMoneyMark(environment: string): NoMoneyMark {
  return environment === 'demo' || environment === 'sandbox' ? environment : null;
}

export interface ReceiptData {
  kind: EntryKind;
  number: string;
  noMoney: NoMoneyMark;
  /** RFC 3339. */
  at: string | null;
  amount: string | null;
  currency: string;
  installment: number | null;
  customer: Customer | null;
  maskedCard: string | null;
  posName: string | null;
  orderReference: string | null;
  referenceCode: string | null;
  transactionId: string | null;
  reason: string | null;
  /** What is left refundable: after a refund, or on a payment refunded in part. */
  remaining: string | null;
  result: MessageKey;
  operator: string | null;
  /** A refund a supervisor approved: who (the operator above asked for it). */
  approvedBy: string | null;
  /** An operation a supervisor resolved by hand (the gateway could not settle it): who, and why. */
  resolvedBy: string | null;
  resolution: string | null;
}

/**
 * `NTH2P00000003086-S` for the sale, `-C` for its cancel, `-R<entry>` for each refund (a
 * transaction may have several). Built on the gateway's reference, so it is the same on every
 * desk and on a reprint.
 */
export function receiptNumber(kind: EntryKind, referenceCode: string | null, entryId: number | null): string {
  const base = referenceCode ?? `DD-${entryId ?? 0}`;
  if (kind === 'payment') return `${base}-S`;
  if (kind === 'cancel') return `${base}-C`;
  return `${base}-R${entryId ?? ''}`;
}

export function entryReceipt(entry: Entry): ReceiptData {
  return {
    kind: entry.kind,
    number: receiptNumber(entry.kind, entry.referenceCode, entry.id),
    noMoney: noMoneyMark(entry.environment),
    at: entry.updatedAt,
    amount: entry.amount,
    currency: entry.currency,
    installment: entry.kind === 'payment' ? (entry.installment ?? 1) : null,
    customer: entry.customer,
    maskedCard: entry.maskedCard,
    posName: entry.posName,
    orderReference: entry.orderReference,
    referenceCode: entry.referenceCode,
    transactionId: entry.transactionId,
    reason: entry.reason,
    remaining: entry.kind === 'payment' ? null : entry.remainingAfter,
    result: `outcome.${entry.outcome}`,
    operator: entry.operator || null,
    approvedBy: entry.approvedBy,
    resolvedBy: entry.resolvedBy,
    resolution: entry.resolution,
  };
}

/** The sale's receipt from what the gateway shows now; the customer and operator when this desk journaled the payment. */
export function transactionReceipt(tx: TransactionView, history: Entry[], noMoney: NoMoneyMark): ReceiptData {
  const payment = history.find((e) => e.kind === 'payment' && e.outcome === 'success');
  const amount = tx.amount ?? tx.remaining;
  return {
    kind: 'payment',
    number: receiptNumber('payment', tx.referenceCode, null),
    noMoney,
    at: tx.date,
    amount,
    currency: tx.currency,
    installment: tx.installment ?? 1,
    customer: history.find((e) => e.customer)?.customer ?? null,
    maskedCard: tx.maskedCard,
    posName: tx.posName,
    orderReference: tx.orderReference,
    referenceCode: tx.referenceCode,
    transactionId: tx.transactionId,
    reason: null,
    remaining: tx.remaining === amount ? null : tx.remaining,
    result: `state.${tx.state}`,
    operator: payment?.operator || null,
    approvedBy: null,
    resolvedBy: null,
    resolution: null,
  };
}
