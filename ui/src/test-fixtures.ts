// Shared fixtures for Vitest: what Rust's status says about a desk on the Demo profile.
import type { AppStatus } from './lib/generated/AppStatus';
import type { ProfileView } from './lib/generated/ProfileView';

export function demoProfile(overrides: Partial<ProfileView> = {}): ProfileView {
  return { id: 'demo', name: 'Demo', dealerName: 'Anadolu Beyaz Eşya Ltd. Şti.', kind: 'demo', baseUrl: 'http://127.0.0.1:1', apiKey: 'k', hasSecret: true, currency: 'TRY', operatorName: '', returnUrl: 'http://127.0.0.1:1/3d', ...overrides };
}

export function demoStatus(profile: ProfileView = demoProfile()): AppStatus {
  return { profile, profiles: [profile], language: 'tr', commissionToCustomer: false, textSize: 100, highContrast: false, customerRetention: 'year', refundPeriodDays: 30, lastPurge: null, journal: { inUse: { kind: 'local' }, chosen: { kind: 'local' }, hasTeamPassword: false }, keychainProblem: null, notices: [], version: '0' };
}
