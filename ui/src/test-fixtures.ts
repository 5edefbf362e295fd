// Shared fixtures for Vitest: what Rust's status says about a desk on the Demo profile.
import type { AppStatus } from './lib/generated/AppStatus';
import type { Entry } from './lib/generated/Entry';
import type { ProfileView } from './lib/generated/ProfileView';
import type { StaffStatus } from './lib/generated/StaffStatus';
import type { TransactionActions } from './lib/generated/TransactionActions';
import type { TransactionScreen } from './lib/generated/TransactionScreen';
import type { TransactionView } from './lib/generated/TransactionView';

export function demoProfile(overrides: Partial<ProfileView> = {}): ProfileView {
  return { id: 'demo', name: 'Demo', dealerName: 'Anadolu Beyaz Eşya Ltd. Şti.', kind: 'demo', baseUrl: 'http://127.0.0.1:1', apiKey: 'k', hasSecret: true, currency: 'TRY', operatorName: '', returnUrl: 'http://127.0.0.1:1/3d', ...overrides };
}

export function demoStatus(profile: ProfileView = demoProfile()): AppStatus {
  return { profile, profiles: [profile], language: 'tr', commissionToCustomer: false, backOfficeExports: false, textSize: 100, highContrast: false, customerRetention: 'year', refundPeriodDays: 30, valueDays: {}, lastPurge: null, journal: { inUse: { kind: 'local' }, chosen: { kind: 'local' }, hasTeamPassword: false }, keychainProblem: null, notices: [], version: '0', checkForUpdates: true, updateEndpoint: null, mail: { server: null, hasPassword: false, available: true } };
}

/** A successful ₺250 sale on the demo gateway's Yapı Kredi World POS, as a lookup shows it. */
export function demoTransaction(overrides: Partial<TransactionView> = {}): TransactionView {
  return {
    transactionId: 'tx-1',
    referenceCode: 'NTH2P00000003100',
    orderReference: 'DD-1',
    state: 'success',
    amount: '250.00',
    remaining: '250.00',
    net: '245.53',
    currency: 'TRY',
    installment: 1,
    commissionRate: '1.79',
    posId: '384badef-11ec-ee11-98f2-005056b0d2e5',
    posName: 'Yapı Kredi World',
    maskedCard: '415565******6111',
    cardHolder: 'AYSE YILMAZ',
    date: '2026-11-21T16:38:00+03:00',
    canCancel: true,
    canRefund: true,
    noCancel: null,
    refundPeriodPassed: null,
    reversalInDoubt: false,
    reversalBeingSent: false,
    ...overrides,
  };
}

/** A transaction's screen as Rust answers it; by default what it offers with operators off (what
 * the gateway allows, no limit). Tests of a role pass the actions Rust gives that role. */
export function demoScreen(transaction: TransactionView = demoTransaction(), history: Entry[] = [], actions: Partial<TransactionActions> = {}): TransactionScreen {
  return {
    transaction,
    history,
    actions: { mayCancel: transaction.canCancel, mayRefund: transaction.canRefund, withoutApprovalUpTo: null, mayResolve: true, ...actions },
  };
}

/** Operators on: Zeynep (supervisor), Ali (cashier) and Ayşe (back office, up to ₺50); `signedIn` by name. */
export function staffOn(signedIn: 'Zeynep' | 'Ali' | 'Ayşe' | null): StaffStatus {
  const all = [
    { id: 1, name: 'Zeynep', role: 'supervisor' as const, refundLimit: null, active: true, pinBlocked: false },
    { id: 2, name: 'Ali', role: 'cashier' as const, refundLimit: null, active: true, pinBlocked: false },
    { id: 3, name: 'Ayşe', role: 'backOffice' as const, refundLimit: '50.00', active: true, pinBlocked: false },
  ];
  return {
    operatorsOn: true,
    signedIn: all.find((o) => o.name === signedIn) ?? null,
    names: all.map(({ id, name }) => ({ id, name })),
    lockAfterMinutes: 5,
  };
}

/** A journal entry: Zeynep's approved ₺250 sale to Ayşe Yılmaz on the demo profile. */
export function demoEntry(overrides: Partial<Entry> = {}): Entry {
  return {
    id: 1,
    createdAt: '2026-11-22T09:15:00.000Z',
    updatedAt: '2026-11-22T09:15:02.000Z',
    profileId: 'demo',
    environment: 'demo',
    operator: 'Zeynep',
    kind: 'payment',
    amount: '250.00',
    currency: 'TRY',
    installment: 3,
    posId: null,
    posName: 'Yapı Kredi World',
    orderReference: 'DD-20261122-AAA111',
    referenceCode: 'NTH2P00000000001',
    transactionId: null,
    maskedCard: '415565******6111',
    outcome: 'success',
    errorCode: null,
    errorMessage: null,
    reason: null,
    remainingAfter: null,
    remainingBefore: null,
    doubt: null,
    customer: { name: 'Ayşe', surname: 'Yılmaz', email: 'a@example.com', phone: null, note: null },
    approvedBy: null,
    resolvedBy: null,
    resolution: null,
    accountCode: null,
    commission: null,
    bankPaymentDays: null,
    ...overrides,
  };
}
