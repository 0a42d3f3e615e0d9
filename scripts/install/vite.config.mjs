// The install test's Vite app: two pages (one only scores, one runs key drivers) built from the installed
// @cemscore/wasm. Vite splits `loadAnalytics`'s dynamic import into a chunk of its own by default.
export default {
  logLevel: "warn",
  build: {
    outDir: "out",
    rollupOptions: { input: { index: "index.html", drivers: "drivers.html" } },
  },
};
