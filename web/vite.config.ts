// The console's build. Kiln serves dist/ at / (src/modules/console): assets get content
// hashes so they can be cached for a year, and each gets .br and .gz siblings that Kiln
// sends to clients that accept them.
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const OUT_DIR = fileURLToPath(new URL('./dist', import.meta.url));
const COMPRESSIBLE = /\.(js|css|svg|html|json)$/;

function precompress(): Plugin {
  return {
    name: 'kiln-precompress',
    apply: 'build',
    closeBundle() {
      const assets = join(OUT_DIR, 'assets');
      for (const name of readdirSync(assets).filter((file) => COMPRESSIBLE.test(file))) {
        const content = readFileSync(join(assets, name));
        writeFileSync(join(assets, `${name}.gz`), gzipSync(content, { level: 9 }));
        writeFileSync(
          join(assets, `${name}.br`),
          brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
        );
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  // Kiln swaps the placeholder for a fresh nonce in each index.html it sends, and names
  // that nonce in the page's style-src; the app hands it to Ant Design (src/csp-nonce.ts).
  html: { cspNonce: 'KILN_CSP_NONCE' },
  resolve: {
    alias: {
      '@kiln/client': fileURLToPath(
        new URL('../clients/typescript/src/index.ts', import.meta.url),
      ),
    },
  },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    // The largest chunk is Ant Design's shared core; pages load on their own.
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
    // Read by scripts/web-budget.js to weigh what the first page loads.
    manifest: true,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
