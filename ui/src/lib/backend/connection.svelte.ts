// The status bar's "connected / failed" for the active profile, kept by the seam from what the
// gateway-bound commands return, so no screen has to report it.
import { untrack } from 'svelte';
import type { AppError } from '../generated/AppError';
import type { AppStatus } from '../generated/AppStatus';
import type { ErrorCode } from '../generated/ErrorCode';
import type { ArgsOf, Command } from './backend';

export type ConnectionState = 'unknown' | 'checking' | 'connected' | 'failed';

export const connection = $state({
  state: 'unknown' as ConnectionState,
  /** Why the last gateway call failed, when `state` is `failed`. */
  error: null as AppError | null,
});

/** Commands that talk to the active profile's gateway. */
const ASKS_THE_GATEWAY: ReadonlySet<Command> = new Set<Command>([
  'payment_options',
  'bin_options',
  'pay',
  'check_payment',
  'lookup_transaction',
  'cancel_transaction',
  'refund_transaction',
]);

/** Failures that mean the gateway could not be used (as opposed to an answer from it). */
const UNUSABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'connect',
  'transport',
  'timeout',
  'credentials_rejected',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'unexpected_response',
  'secret_missing',
  'keychain_unavailable',
]);

/** Failures that are the gateway's answer: it was reached. */
const ANSWERED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['gateway', 'validation', 'not_found', 'conflict']);

const RETURNS_STATUS: ReadonlySet<Command> = new Set<Command>(['app_status', 'switch_profile', 'update_preferences']);

let activeProfile: string | null = null;

function concernsTheGateway<K extends Command>(name: K, args: ArgsOf<K>): boolean {
  if (name === 'test_connection') return (args as ArgsOf<'test_connection'>).id === activeProfile;
  return ASKS_THE_GATEWAY.has(name);
}

/** Before a command runs. Commands start inside screens' effects: reading the state here must
 * not make those effects depend on it (they would re-run on every change they cause). */
export function noteStart<K extends Command>(name: K, args: ArgsOf<K>): ConnectionState {
  return untrack(() => {
    if (name === 'save_profile' && (args as ArgsOf<'save_profile'>).input.id === activeProfile) reset();
    const before = connection.state;
    if (concernsTheGateway(name, args) && before !== 'connected') connection.state = 'checking';
    return before;
  });
}

/** After a command succeeded. */
export function noteSuccess<K extends Command>(name: K, args: ArgsOf<K>, result: unknown): void {
  if (RETURNS_STATUS.has(name)) {
    const id = (result as AppStatus).profile.id;
    if (activeProfile !== null && id !== activeProfile) reset();
    activeProfile = id;
  }
  if (concernsTheGateway(name, args)) {
    connection.state = 'connected';
    connection.error = null;
  }
}

/** After a command failed; `before` is what `noteStart` returned. */
export function noteFailure<K extends Command>(name: K, args: ArgsOf<K>, error: AppError, before: ConnectionState): void {
  if (!concernsTheGateway(name, args)) return;
  if (UNUSABLE.has(error.code)) {
    connection.state = 'failed';
    connection.error = error;
  } else if (ANSWERED.has(error.code)) {
    connection.state = 'connected';
    connection.error = null;
  } else if (connection.state === 'checking') {
    // Refused before the gateway was asked: nothing learnt.
    connection.state = before;
  }
}

function reset(): void {
  connection.state = 'unknown';
  connection.error = null;
}
