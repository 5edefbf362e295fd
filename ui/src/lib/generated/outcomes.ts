// Written by desk-core's model tests from `Outcome::FINAL` and `Outcome::UNSETTLED`. Do not edit.
import type { Outcome } from './Outcome';

/** Decided for good: nothing more happens to an operation in one of these. */
export const FINAL_OUTCOMES: readonly Outcome[] = ['success', 'failed', 'notSent', 'notCharged'];

/** Not final: the desk keeps asking the gateway until it is. */
export const UNSETTLED_OUTCOMES: readonly Outcome[] = ['pending', 'inDoubt', 'abandoned'];
