import { defineConfig } from 'vite';

// What laravel-vite-plugin sets up, without Laravel: a manifest the PHP page
// reads, and the build in public/build, under the document root.
export default defineConfig({
  publicDir: false,
  build: {
    manifest: true,
    outDir: 'public/build',
    emptyOutDir: true,
    rollupOptions: {
      input: 'resources/js/app.js',
    },
  },
});
