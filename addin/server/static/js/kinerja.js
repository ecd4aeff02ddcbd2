// kinerja task pane and ribbon commands (Office.js). Texts are Bahasa Indonesia.

// Token for servers that require one (XLWINGS_AUTH_PROVIDERS=["custom"]): stored on this device.
globalThis.getAuth = async function () {
  const token = localStorage.getItem("kinerja-token") || "";
  return { token: token, provider: token ? "custom" : "" };
};

async function runScript(scriptName, event) {
  const auth = await globalThis.getAuth();
  try {
    await xlwings.runPython({
      scriptName: scriptName,
      auth: auth.token,
      headers: auth.provider ? { "Auth-Provider": auth.provider } : {},
    });
    await loadFindings();
  } finally {
    if (event) event.completed();
  }
}

// Ribbon buttons (manifest.xml FunctionName → script of addin/server/custom_scripts)
Office.onReady(() => {
  Office.actions.associate("kinerja-validasi", (e) => runScript("validasi", e));
  Office.actions.associate("kinerja-hapus-tanda", (e) => runScript("hapus_tanda", e));
  Office.actions.associate("kinerja-hitung-ulang", (e) => runScript("hitung_ulang", e));
  Office.actions.associate("kinerja-siapkan-kiriman", (e) => runScript("siapkan_kiriman", e));
  const tokenInput = document.getElementById("kinerja-token");
  if (tokenInput) {
    tokenInput.value = localStorage.getItem("kinerja-token") || "";
    tokenInput.addEventListener("change", () => localStorage.setItem("kinerja-token", tokenInput.value.trim()));
  }
  const reload = document.getElementById("kinerja-muat-temuan");
  if (reload) reload.addEventListener("click", loadFindings);
  loadFindings();
});

// The findings list: read the "Hasil Validasi" sheet; a click selects the cell.
async function loadFindings() {
  const list = document.getElementById("kinerja-temuan");
  const summary = document.getElementById("kinerja-ringkasan");
  if (!list) return;
  await Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject("Hasil Validasi");
    await context.sync();
    list.innerHTML = "";
    if (sheet.isNullObject) {
      summary.textContent = "Belum ada hasil validasi.";
      return;
    }
    const used = sheet.getUsedRange();
    used.load("values");
    await context.sync();
    const rows = used.values;
    summary.textContent = rows[0][0] || "";
    for (const r of rows.slice(3)) {
      const [no, aturan, tingkat, lembar, sel, , , , pesan] = r;
      if (!no) continue;
      const item = document.createElement("li");
      item.className = "list-group-item list-group-item-action " +
        (tingkat === "galat" ? "list-group-item-danger" : "list-group-item-warning");
      item.textContent = `${lembar}!${sel} · ${aturan}: ${pesan}`;
      item.title = "Klik untuk menuju sel ini";
      item.addEventListener("click", () => goTo(lembar, sel));
      list.appendChild(item);
    }
  });
}

async function goTo(sheetName, cell) {
  if (!cell) return;
  await Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(sheetName);
    sheet.activate();
    sheet.getRange(cell).select();
    await context.sync();
  });
}
