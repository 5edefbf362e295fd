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
};

const loaded = new Map<Screen, Promise<ScreenModule>>([['rates', Promise.resolve({ default: Rates })]]);

/** The screen's component, loaded once (at once for Rates). */
export function screenComponent(screen: Screen): Promise<ScreenModule> {
  let module = loaded.get(screen);
  if (!module) {
    module = later[screen as Exclude<Screen, 'rates'>]();
    loaded.set(screen, module);
  }
  return module;
}

/** Loads every screen while the operator reads the first, so that switching never waits. */
export function loadEveryScreen(): void {
  for (const screen of Object.keys(later) as Screen[]) void screenComponent(screen).catch(() => loaded.delete(screen));
}
