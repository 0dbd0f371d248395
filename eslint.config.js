// Lint with layer rules: a file that reaches across a layer boundary fails with "Bad layering".
// See ../shared/DESIGN.md (Layers): shared/ is pure, main/ is Node, main/app/ alone imports electron,
// renderer/ is DOM only.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioLibraries = ['dockerode', '@duckdb/*', '@grpc/*', 'ws', 'commander', 'esbuild', 'vite'];
const uiLibraries = ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*', '@xyflow/*', '@visx/*', '@tanstack/*'];

function layer(message, paths, patterns) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message })),
        patterns: [{ group: patterns, message }],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/images/**/rootfs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: layer(
      'Bad layering: shared/ is pure TypeScript (no Node, Electron, DOM, React or I/O libraries).',
      [...nodeBuiltins, 'electron'],
      ['**/main/**', '**/renderer/**', ...ioLibraries, ...uiLibraries],
    ),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**', 'main/**/*.test.ts'],
    rules: layer('Bad layering: only main/app/ may import electron; main/ never imports renderer/.', ['electron'], ['**/renderer/**', ...uiLibraries]),
  },
  {
    files: ['main/app/**/*.ts'],
    rules: layer('Bad layering: main/app/ never imports renderer/.', [], ['**/renderer/**', ...uiLibraries]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}'],
    rules: layer(
      'Bad layering: renderer/ runs in the page (no Node, Electron or main/).',
      [...nodeBuiltins, 'electron'],
      ['**/main/**', 'dockerode', '@duckdb/*', '@grpc/*', 'ws'],
    ),
  },
);
