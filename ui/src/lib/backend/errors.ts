// What a failed command rejects with, once it has passed the seam: always an AppError.
import type { AppError } from '../generated/AppError';
import type { ErrorCode } from '../generated/ErrorCode';
import type { Field } from '../generated/Field';
import type { Reason } from '../generated/Reason';

/** A form's field errors: which field and why, in the words the catalogs translate. */
export type FieldErrors = Partial<Record<Field, Reason>>;

export function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && 'details' in value;
}

/** Anything a backend rejected with, as an AppError (a bare string from the transport becomes `internal`). */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  const code: ErrorCode = 'internal';
  return { code, message: value instanceof Error ? value.message : String(value), details: {} };
}

/** The field an `invalid_input` error points at and why, as a form's field errors; else null. */
export function fieldErrorOf(error: unknown): FieldErrors | null {
  if (!isAppError(error) || error.code !== 'invalid_input' || !error.details.field) return null;
  return { [error.details.field as Field]: (error.details.reason ?? 'invalid') as Reason };
}
