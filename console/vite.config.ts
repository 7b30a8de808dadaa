import { defineConfig } from 'vite';

// Served by the Meshplane server at /ui/ from the console jar's META-INF/resources/ui (Spring's static resources).
export default defineConfig({
  base: '/ui/',
  build: {
    outDir: 'target/classes/META-INF/resources/ui',
    emptyOutDir: true,
    // the bundle is served by the same server, never from a CDN: one script, one stylesheet
    chunkSizeWarningLimit: 1024,
  },
});
