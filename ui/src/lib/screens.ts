// Rates, the first screen, is in the main bundle; every other screen is its own chunk, so the
// start parses only what the first screen needs (bench/run: start time beside a bare window).
import type { Component } from 'svelte';
import Rates from '../screens/Rates.svelte';
import type { Screen } from './state.svelte';

type ScreenModule = { default: Component };

const later: Record<Exclude<Screen, 'rates'>, () => Promise<ScreenModule>> = {
  payment: () => import('../screens/Payment.svelte'),
  lookup: () => import('../screens/Lookup.svelte'),
  reports: () => import('../screens/Reports.svelte'),
  profiles: () => import('../screens/Profiles.svelte'),
  settings: () => import('../screens/Settings.svelte'),
  outbox: () => import('../screens/Outbox.svelte'),
};

const ready = new Map<Screen, ScreenModule>([['rates', { default: Rates }]]);
const loading = new Map<Screen, Promise<ScreenModule>>();

/** The screen's component: itself once loaded (Rates always, so it renders in the same pass as
 * the shell), else its chunk on the way (asked once; asked again after a failure). */
export function screenComponent(screen: Screen): ScreenModule | Promise<ScreenModule> {
  const module = ready.get(screen);
  if (module) return module;
  let pending = loading.get(screen);
  if (!pending) {
    pending = later[screen as Exclude<Screen, 'rates'>]().then(
      (loaded) => {
        ready.set(screen, loaded);
        return loaded;
      },
      (problem: unknown) => {
        loading.delete(screen);
        throw problem;
      },
    );
    loading.set(screen, pending);
  }
  return pending;
}

/** Loads every screen while the operator reads the first, so that switching never waits. */
export function loadEveryScreen(): void {
  for (const screen of Object.keys(later) as Screen[]) void Promise.resolve(screenComponent(screen)).catch(() => undefined);
}
