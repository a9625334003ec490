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
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
