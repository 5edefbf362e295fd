import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default ts.config(
  js.configs.recommended,
  ...ts.configs.strict,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    // Only the Tauri backend (src/lib/backend/tauri.ts) may talk to Rust; screens use src/lib/api.ts.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/lib/backend/tauri.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@tauri-apps/api/core', message: 'Call Rust through src/lib/api.ts only.' },
            { name: '@tauri-apps/api/event', message: 'Listen to Rust through src/lib/api.ts only.' },
          ],
        },
      ],
    },
  },
  { ignores: ['dist/', 'node_modules/', 'src/lib/generated/'] },
);
