import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The agent console build. JSX goes through Vite 8's built-in oxc transform (automatic runtime), so no
 * framework plugin is needed. The SIP.js softphone is a lazy chunk: only agents with a PBX download it.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    rollupOptions: {
      // react-router and react-query mark their modules "use client" (for React Server Components); a
      // client-only bundle has nothing to keep, so the warning is noise.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
