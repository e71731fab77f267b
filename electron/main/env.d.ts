// electron-vite's module kinds for the main process: `?asset` imports (copied into out/ and
// answered as a path) and the ELECTRON_RENDERER_URL the dev server sets.
/// <reference types="electron-vite/node" />
