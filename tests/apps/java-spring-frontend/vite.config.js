import { defineConfig } from 'vite';

// The Spring Boot jar serves whatever lands in target/classes/static.
export default defineConfig({
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    rollupOptions: {
      // Stable names, so the page and its script can be fetched by path.
      output: { entryFileNames: 'assets/[name].js' },
    },
  },
});
