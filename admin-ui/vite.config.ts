// The staff console. Built from the project root:
//   npx vite build --config admin-ui/vite.config.ts
// into admin-ui/dist, which the API serves; `npm run dev:ui` proxies /api to a local API.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // react-admin and Material UI make one large vendor bundle; that is expected for a staff console.
    chunkSizeWarningLimit: 4000,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
