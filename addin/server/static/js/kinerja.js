// kinerja task pane and ribbon commands (Office.js). Texts are Bahasa Indonesia.
//
// The pure parts (reading the findings sheet, turning errors into messages) take no
// Office objects, so tests run them under node (tests/test_findings_format.py).

const JUDUL = "Kinerja"; // title of every dialog
const LEMBAR_HASIL = "Hasil Validasi";
// Headers of the "Hasil Validasi" columns the list needs (macros/findings_format.py HASIL);
// columns are found by these texts, never by position.
const KOLOM = {
  no: "No",
  aturan: "Aturan",
  judul: "Judul aturan",
  tingkat: "Tingkat",
  lembar: "Lembar",
  sel: "Sel",
  pesan: "Pesan",
};

function _norm(v) {
  return String(v == null ? "" : v).trim().replace(/\s+/g, " ").toLowerCase();
}

// The findings in the values of the "Hasil Validasi" sheet: {ringkasan, temuan: [{no, aturan, ...}]}.
function bacaTemuan(rows) {
  rows = rows || [];
  const title = (rows[0] || []).find((v) => v !== null && v !== undefined && String(v).trim() !== "");
  const out = { ringkasan: title === undefined ? "" : String(title), temuan: [] };
  const wanted = {};
  for (const [key, header] of Object.entries(KOLOM)) wanted[_norm(header)] = key;
  let headerAt = -1;
  let cols = {};
  for (let r = 0; r < Math.min(rows.length, 12); r++) {
    const found = {};
    (rows[r] || []).forEach((v, j) => {
      const key = wanted[_norm(v)];
      if (key && !(key in found)) found[key] = j;
    });
    if ("aturan" in found && "sel" in found && "pesan" in found) {
      headerAt = r;
      cols = found;
      break;
    }
  }
  if (headerAt < 0) return out;
  for (const row of rows.slice(headerAt + 1)) {
    const item = {};
    for (const key of Object.keys(KOLOM)) item[key] = key in cols ? row[cols[key]] : "";
    if (!item.aturan && !item.pesan) continue;
    out.temuan.push(item);
  }
  return out;
}

// A readable Indonesian message for whatever a script run threw.
function pesanGalat(error) {
  if (error && error.response) {
    const data = error.response.data;
    const text = typeof data === "string" ? data : data && (data.detail || data.error);
    if (error.response.status === 401 || error.response.status === 403) {
      return "Akses ditolak server kinerja. Periksa token akses di panel Kinerja.";
    }
    if (text && error.response.status < 500) return String(text);
    return `Server kinerja sedang bermasalah (kode ${error.response.status}). Coba lagi sebentar lagi.`;
  }
  if (error && error.request) {
    return "Server kinerja tidak menjawab. Periksa sambungan jaringan atau VPN kantor, lalu coba lagi.";
  }
  if (error && error.kinerja) return error.message;
  if (error && error.actionFunc) {
    const nomor = Number.isInteger(error.actionIndex) ? ` ke-${error.actionIndex + 1}` : "";
    return `Excel menolak perubahan${nomor} (${error.actionFunc}). Perubahan sebelumnya mungkin sudah diterapkan. ` +
      "Tutup dialog, jalankan Hapus Tanda, lalu coba lagi; bila berulang, kirimkan berkas ini ke admin kinerja.";
  }
  return "Excel menolak perubahan. Simpan berkas, lalu coba lagi; bila berulang, kirimkan berkas ini ke admin kinerja.";
}

function PesanKinerja(message) {
  const e = new Error(message);
  e.kinerja = true;
  return e;
}

// --- sheet protection around the changes a script makes (runMacro callbacks) ---
// The templates forbid "format cells"; addin/kerja.py asks for each sheet it marks to be
// unprotected first and protected again, with the same options, afterwards.
const proteksiAsli = {};

async function kinerjaBukaProteksi(context, sheetName) {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  sheet.protection.load("protected,options");
  await context.sync();
  if (!sheet.protection.protected) return;
  const options = sheet.protection.options;
  try {
    sheet.protection.unprotect();
    await context.sync();
  } catch (e) {
    throw PesanKinerja(
      `Lembar '${sheetName}' dikunci dengan kata sandi. Buka proteksinya (Tinjau › Buka Proteksi Lembar), ` +
        "lalu jalankan lagi.",
    );
  }
  proteksiAsli[sheetName] = options;
}

async function kinerjaKunciLagi(context, sheetName) {
  if (!(sheetName in proteksiAsli)) return;
  const options = proteksiAsli[sheetName];
  delete proteksiAsli[sheetName];
  context.workbook.worksheets.getItem(sheetName).protection.protect(options);
  await context.sync();
}

// The marks sheet is very hidden (not listed under Unhide), as the file front end writes it
// (macros/apply_file.py); xlwings' own setSheetVisibility only hides.
async function kinerjaSembunyikan(context, sheetName) {
  context.workbook.worksheets.getItem(sheetName).visibility = Excel.SheetVisibility.veryHidden;
  await context.sync();
}

async function kunciSemuaLagi(context) {
  for (const name of Object.keys(proteksiAsli)) {
    try {
      await kinerjaKunciLagi(context, name);
    } catch (e) {
      console.error(e);
    }
  }
}

// --- running a script --------------------------------------------------------

// Token for servers that require one (XLWINGS_AUTH_PROVIDERS=["custom"]): stored on this device.
globalThis.getAuth = async function () {
  const token = localStorage.getItem("kinerja-token") || "";
  return { token: token, provider: token ? "custom" : "" };
};

// Like xlwings.runPython, but every message (and its dialog title) is kinerja's own.
async function runScript(scriptName, event) {
  try {
    const auth = await globalThis.getAuth();
    const headers = auth.provider ? { "Auth-Provider": auth.provider } : {};
    await Excel.run(async (context) => {
      const payload = await xlwings.getBookData({ auth: auth.token, headers: headers }, context);
      const url = new URL(`xlwings/custom-scripts-call/${scriptName}`, window.location.href).href;
      const response = await globalThis.xwRequest.post(url, payload, { headers: headers, timeout: 300000 });
      try {
        if (response.data != null) await xlwings.runActions(response.data, context);
      } finally {
        await kunciSemuaLagi(context);
      }
    });
    await loadFindings();
  } catch (error) {
    console.error(error);
    tampilkanPesan(pesanGalat(error && error.cause && error.cause.kinerja ? error.cause : error));
  } finally {
    if (event) event.completed();
  }
}

// A dialog titled "Kinerja" (the xlwings alert page, with kinerja's template).
function tampilkanPesan(text) {
  const url =
    new URL("xlwings/alert", window.location.href).href +
    `?prompt=${encodeURIComponent(text)}&title=${encodeURIComponent(JUDUL)}&buttons=ok&mode=critical&callback=`;
  try {
    Office.context.ui.displayDialogAsync(url, { height: 40, width: 30, displayInIframe: true }, (result) => {
      if (result.status !== Office.AsyncResultStatus.Succeeded) return;
      const dialog = result.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, () => dialog.close());
    });
  } catch (e) {
    const box = document.getElementById("kinerja-pesan");
    if (box) {
      box.textContent = text;
      box.classList.remove("d-none");
    }
  }
}

// --- task pane -----------------------------------------------------------------

const TOMBOL = {
  "kinerja-validasi": "validasi",
  "kinerja-hapus-tanda": "hapus_tanda",
  "kinerja-hitung-ulang": "hitung_ulang",
  "kinerja-siapkan-kiriman": "siapkan_kiriman",
  "kinerja-tambah-baris": "tambah_baris",
  "kinerja-pulihkan-rumus": "pulihkan_rumus",
};

function terjemahkanBawaan() {
  // The vendor page's own "could not load" box, in Bahasa Indonesia.
  const box = document.getElementById("xlwings-office-ready-error");
  if (!box) return;
  const text = box.querySelector(".mb-3");
  if (text) text.textContent = "Add-in Kinerja belum termuat dengan benar.";
  const reload = document.getElementById("xlwings-taskpane-reload-btn");
  if (reload) reload.textContent = "Muat ulang";
  const cancel = document.getElementById("xlwings-taskpane-reload-cancel-btn");
  if (cancel) cancel.textContent = "Batal";
}

function siapkanPanel() {
  terjemahkanBawaan();
  const tanpaOffice = document.getElementById("kinerja-tanpa-office");
  if (typeof Office === "undefined" || typeof Excel === "undefined") {
    if (tanpaOffice) tanpaOffice.classList.remove("d-none");
    return;
  }
  Office.onReady((info) => {
    if (!info || info.host !== Office.HostType.Excel) {
      // opened in a browser, not inside Excel: Office.js has nothing to talk to
      if (tanpaOffice) tanpaOffice.classList.remove("d-none");
      return;
    }
    if (tanpaOffice) tanpaOffice.classList.add("d-none");
    if (globalThis.xlwings) {
      xlwings.registerCallback(kinerjaBukaProteksi);
      xlwings.registerCallback(kinerjaKunciLagi);
      xlwings.registerCallback(kinerjaSembunyikan);
    }
    // Ribbon buttons (manifest.xml FunctionName → script of addin/server/custom_scripts)
    for (const [action, script] of Object.entries(TOMBOL)) {
      Office.actions.associate(action, (e) => runScript(script, e));
    }
    document.querySelectorAll("[data-kinerja-skrip]").forEach((button) =>
      button.addEventListener("click", () => runScript(button.dataset.kinerjaSkrip)),
    );
    const tokenInput = document.getElementById("kinerja-token");
    if (tokenInput) {
      tokenInput.value = localStorage.getItem("kinerja-token") || "";
      tokenInput.addEventListener("change", () => localStorage.setItem("kinerja-token", tokenInput.value.trim()));
    }
    const reload = document.getElementById("kinerja-muat-temuan");
    if (reload) reload.addEventListener("click", loadFindings);
    loadFindings();
  });
}

// The findings list: read the "Hasil Validasi" sheet; a click selects the cell.
async function loadFindings() {
  const list = document.getElementById("kinerja-temuan");
  const summary = document.getElementById("kinerja-ringkasan");
  if (!list) return;
  await Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject(LEMBAR_HASIL);
    await context.sync();
    list.innerHTML = "";
    if (sheet.isNullObject) {
      summary.textContent = "Belum ada hasil validasi.";
      return;
    }
    const used = sheet.getUsedRange();
    used.load("values");
    await context.sync();
    const hasil = bacaTemuan(used.values);
    summary.textContent = hasil.ringkasan;
    for (const t of hasil.temuan) {
      const item = document.createElement("li");
      item.className =
        "list-group-item list-group-item-action " +
        (t.tingkat === "galat" ? "list-group-item-danger" : "list-group-item-warning");
      const judul = t.judul ? ` (${t.judul})` : "";
      item.textContent = `${t.lembar}!${t.sel} · ${t.aturan}${judul}: ${t.pesan}`;
      item.title = "Klik untuk menuju sel ini";
      item.addEventListener("click", () => goTo(t.lembar, t.sel));
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

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", siapkanPanel);
  else siapkanPanel();
}

if (typeof module !== "undefined") {
  module.exports = {
    bacaTemuan, pesanGalat, kinerjaBukaProteksi, kinerjaKunciLagi, kinerjaSembunyikan, kunciSemuaLagi, siapkanPanel,
    KOLOM,
  };
}
