import { createApp } from "vue";
import App from "./App.vue";
import { refreshLeads } from "./api/auth";
import { i18n } from "./i18n";
import { router } from "./router";

document.documentElement.lang = i18n.global.locale.value;
createApp(App).use(i18n).use(router).mount("#app");
void refreshLeads();

// The offline shell: the service worker keeps the pages' files, so the app opens without a
// connection and says so (App.vue) instead of the browser's error page.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    void navigator.serviceWorker.register("/sw.js");
  });
}
