/// <reference types="vitest/config" />
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

// `npm run dev` proxies the API to a gateway on :8000 (`make run`); the built portal is
// served by the gateway itself, on one origin.
const gateway = process.env.ASN_GATEWAY_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [vue()],
  server: { proxy: { "/api": gateway, "/auth": gateway } },
  build: {
    // Chart.js and the pages load with the route that needs them (see check-budget.mjs).
    chunkSizeWarningLimit: 600,
    manifest: true,
  },
  test: {
    environment: "jsdom",
    include: ["tests/**/*.test.ts"],
  },
});
