// App-wide state: the status from Rust (profile, language…), the current screen, the connection
// state shown on the status bar, and the transaction opened for detail.
import { api, type AppStatus, type TransactionView } from './api';
import { setLang } from './i18n/index.svelte';

export type Screen = 'rates' | 'payment' | 'lookup' | 'profiles' | 'settings';
export type Connection = 'unknown' | 'checking' | 'connected' | 'failed';

export const app = $state({
  status: null as AppStatus | null,
  screen: 'rates' as Screen,
  connection: 'unknown' as Connection,
  connectionError: null as unknown,
  /** Opened from a payment result or a lookup; shown on the Transactions screen. */
  transaction: null as TransactionView | null,
});

export function applyStatus(status: AppStatus): void {
  app.status = status;
  setLang(status.language);
}

export async function loadStatus(): Promise<void> {
  applyStatus(await api.appStatus());
}

/** Records how the last gateway call went, for the status bar. */
export function noteConnection(ok: boolean, error?: unknown): void {
  app.connection = ok ? 'connected' : 'failed';
  app.connectionError = ok ? null : (error ?? null);
}

export function openTransaction(tx: TransactionView): void {
  app.transaction = tx;
  app.screen = 'lookup';
}
