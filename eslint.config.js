import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'schema/generated/', 'admin/dist/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.json', 'admin/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      // Type-only imports are erased: marking them keeps the runtime import graph (and its cycles) honest.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      // Type-only imports do not run, so they cannot form a cycle at load time.
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
    },
  },
  {
    // The layers of api/src (docs/architecture.md, "Who may import whom").
    files: ['api/src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './api/src/common',
              from: ['./api/src/modules', './api/src/app.ts', './api/src/main.ts', './api/src/cli', './api/src/seeders'],
              message: 'common/ is below the modules and the composition root: move what both need into common/.',
            },
            {
              target: './api/src/common/access',
              from: './api/src',
              except: ['./common/access'],
              message: 'common/access is the dependency-free permission vocabulary: it imports nothing from the project.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['api/src/common/access/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@mikro-orm/*', 'type-graphql'], message: 'common/access stays free of the ORM and of type-graphql.' }] },
      ],
    },
  },
  {
    // Another module is reached through its index.ts (what it exports on purpose) or its entity files
    // (the ORM model is one graph, related both ways); its other files are its own business.
    files: ['api/src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:\\.\\./(?!\\.)|(?:\\.\\./)+modules/)[^/]+/(?!index\\.js$)(?![^/]+\\.entity\\.js$)',
              message:
                "Import another module through its index.ts (or an entity file); add the name to that module's index.ts if it is meant to be shared.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['admin/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    ...reactHooks.configs.flat.recommended,
  },
);
