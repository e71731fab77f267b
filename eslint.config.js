// Lint = correctness + layering. Layering follows VS Code's rule of one runtime per folder:
// a wrong import is refused with "Bad layering: …" (see STYLE.md). Formatting is not linted.
import { builtinModules } from 'node:module'
import { defineConfig } from 'eslint/config'
import vue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'))

/** `no-restricted-imports` options refusing these module names (and their subpaths) and these source patterns. */
function refuse(message, { modules = [], builtins = false, regexes = [] }) {
  const names = [...modules, ...(builtins ? nodeBuiltins : [])]
  return [
    'error',
    {
      paths: names.map((name) => ({ name, message })),
      patterns: [
        ...(modules.length > 0 ? [{ regex: `^(?:${modules.map(escape).join('|')})/`, message }] : []),
        ...(builtins ? [{ regex: '^node:', message }] : []),
        ...regexes.map((regex) => ({ regex, message })),
      ],
    },
  ]
}

function escape(name) {
  return name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** A relative import reaching into one of these top-level or electron/ folders. */
const relativeInto = (...folders) => `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})/`

export default defineConfig(
  { ignores: ['out/', 'dist/', 'node_modules/', '.tools/', 'test/artifacts/', '.scratch/'] },

  tseslint.configs.recommended,
  vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Template layout is the formatter's business, not lint's.
      'vue/first-attribute-linebreak': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
      'vue/html-self-closing': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      // Screens are named for what they are (Counter.vue); TS-typed optional props need no default.
      'vue/multi-word-component-names': 'off',
      'vue/require-default-prop': 'off',
    },
  },

  // Layering: each file matches exactly one of these blocks (a later no-restricted-imports
  // would replace, not extend, an earlier one).
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': refuse('Bad layering: shared/ is common code (no electron, node, DOM or Vue); it runs on both sides.', {
        modules: ['electron', 'better-sqlite3', 'node-hid', 'vue', 'pinia', '@vue'],
        builtins: true,
        regexes: [relativeInto('electron', 'renderer')],
      }),
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': refuse(
        'Bad layering: renderer/ is browser code in a sandbox (no electron, node or native addons); reach the node side through the contract (window.musubi).',
        { modules: ['electron', 'better-sqlite3', 'node-hid'], builtins: true, regexes: [relativeInto('electron')] },
      ),
    },
  },
  {
    files: ['electron/services/**'],
    rules: {
      'no-restricted-imports': refuse(
        'Bad layering: electron/services/ is plain Node (it runs in the CLI and the tests too); what needs Electron comes in as a small interface from electron/main/.',
        { modules: ['electron'], regexes: [relativeInto('renderer'), '^(?:\\.\\./)+(?:main|preload)/'] },
      ),
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': refuse('Bad layering: electron/preload/ exposes the contract only; it may import electron and shared/.', {
        builtins: true,
        regexes: ['^(?!electron$)(?!\\./)(?!(?:\\.\\./)+shared/)'],
      }),
    },
  },
  {
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': refuse('Bad layering: electron/main/ talks to the renderer over IPC only.', {
        regexes: [relativeInto('renderer')],
      }),
    },
  },
)
