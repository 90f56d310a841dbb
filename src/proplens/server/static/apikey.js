// proplens page: the API key field, shown only when the server demands a key (/healthz
// says "auth": true). The key stays in this tab's sessionStorage and goes out as
// "Authorization: Bearer KEY" on the API calls that need it (see app.js, api()).
"use strict";

const apiKey = {
  storageKey: "proplens-api-key",

  headers() {
    const key = sessionStorage.getItem(this.storageKey);
    return key ? { Authorization: `Bearer ${key}` } : {};
  },

  setup(health) {
    const row = document.getElementById("key-row");
    const input = document.getElementById("api-key");
    if (!health.auth) return;
    row.hidden = false;
    input.value = sessionStorage.getItem(this.storageKey) || "";
    input.addEventListener("change", () => {
      const key = input.value.trim();
      if (key) sessionStorage.setItem(this.storageKey, key);
      else sessionStorage.removeItem(this.storageKey);
    });
  },
};
