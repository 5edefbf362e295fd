// The operator's language and the translation function. `t()` reads reactive state, so every
// label re-renders when the language changes.
import { en, type MessageKey } from './en';
import { tr } from './tr';
import type { Lang } from '../format';
import { isAppError } from '../backend/errors';

const catalogs: Record<Lang, Record<MessageKey, string>> = { en, tr };

let current = $state<Lang>('tr');

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export type Params = Record<string, string | number>;

export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function t(key: MessageKey, params: Params = {}): string {
  const template = catalogs[current][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

function fieldName(field: string | undefined): string {
  const key = `fields.${field ?? ''}`;
  return hasKey(key) ? t(key) : (field ?? '');
}

/** The operator-facing text for any error the API module rejected with. */
export function errorText(error: unknown): string {
  if (!isAppError(error)) {
    return t('errors.unknown', { message: String(error) });
  }
  const details: Params = { ...error.details, message: error.message };
  if (error.code === 'invalid_input') {
    const reasonKey = `reasons.${error.details.reason ?? ''}`;
    const field = fieldName(error.details.field);
    const example = current === 'tr' ? '1.234,56' : '1,234.56';
    return hasKey(reasonKey) ? t(reasonKey, { ...details, field, example }) : t('errors.invalid_input', { field });
  }
  const gatewayKey = `gateway.${error.details.gatewayCode ?? ''}`;
  if ((error.code === 'gateway' || error.code === 'validation') && hasKey(gatewayKey)) {
    return t(gatewayKey);
  }
  const key = `errors.${error.code}`;
  return hasKey(key) ? t(key, details) : t('errors.unknown', details);
}

/** A field-level message: `reasonText('amount', 'too_many_decimals')`. */
export function reasonText(field: string, reason: string, params: Params = {}): string {
  const key = `reasons.${reason}`;
  const example = current === 'tr' ? '1.234,56' : '1,234.56';
  return hasKey(key) ? t(key, { example, ...params, field: fieldName(field) }) : t('errors.invalid_input', { field: fieldName(field) });
}
