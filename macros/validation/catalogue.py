"""The rule catalogue: each rule's stable id, severity, short Indonesian title and message templates.

A rule's messages live here, next to its id and severity: a check reports ``(rule, variant, values)``
and :meth:`Rule.message` fills the template (``variant`` "" is the rule's usual message). Values are
formatted by the caller (numbers the Indonesian way with :func:`angka`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


from macros.plan import Severity
from workbooks.numbers import format_id

G, P = Severity.GALAT, Severity.PERINGATAN

TOL_PCT = 0.01  # percentages within this of each other agree


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    messages: dict[str, str] = field(default_factory=dict)

    def message(self, variant: str = "", **values: object) -> str:
        """The message of ``variant`` with ``values`` filled in; an unknown variant raises KeyError."""
        return self.messages[variant].format(**values)


_DERIVED = ("{label}: tertulis {typed}, seharusnya {expected} ({why}). Sel ini dihitung otomatis: gunakan Pulihkan "
            "Rumus (pita Kinerja, atau `kinerja pulihkan`) agar rumusnya kembali, atau perbaiki data dasarnya.")
_RESTORE = "Rumus sel terhitung tidak boleh diganti: gunakan Pulihkan Rumus (pita Kinerja atau `kinerja pulihkan`)."
_D = {"": _DERIVED}
_TEXT = "{label}: berisi teks {raw} padahal harus angka. Ketik angkanya saja (mis. 30,52) atau '-' bila tidak ada nilai."
_ERROR = "{label}: berisi galat Excel {raw}. Periksa rumus atau isian yang menjadi dasarnya."
_SPOILS = (" Akibatnya {n} sel terhitung yang memakainya ikut galat ({cells}); sel-sel itu tidak dilaporkan terpisah "
           "dan pulih sendiri setelah sel ini diperbaiki.")  # V01 on the cause of an error cascade (cells.cascade)
_ACROSS = "{row}: {what} tertulis {here} di sini, tetapi {there} di {other}."  # one figure in two files (V33-V36)
_ALKI_WEIGHTED = ("Output {output}: {label} {mine}, sedangkan rata-rata tertimbang pagu komponen ALKI {want}. Samakan "
                  "dengan data ALKI pada tanggal posisi yang sama.")
_COPY = ("Lembar '{sheet}' tampaknya salinan lembar {form} (mis. dibuat dengan Pindahkan atau Salin di Excel) "
         "dan tidak dibaca kinerja sebagai form.")
_COPY_LOST = " Isiannya tidak divalidasi dan tidak masuk konsolidasi."
_COPY_KEGIATAN = (" Untuk kegiatan lain, buat templat yang memuat semua kegiatan (`kinerja templat --kegiatan KODE`, "
                  "ulangi untuk setiap kegiatan; satu lembar '{form} <kode kegiatan>' per kegiatan) lalu pindahkan "
                  "isinya ke sana: mengganti nama lembar ini saja tidak cukup.")
_COPY_SPARE = " Bila hanya salinan cadangan, hapus lembar ini."

CATALOGUE: dict[str, Rule] = {r.id: r for r in (
    Rule("V00", G, "Form belum diisi", {
        "": "Form belum diisi: {label} kosong (lembar '{sheet}'). Isi identitas laporan dan sedikitnya satu baris "
            "tabel sebelum validasi dan pengiriman."}),
    Rule("V01", G, "Sel angka berisi teks, tanggal, atau galat Excel", {
        "": _TEXT,
        "teks-ikut": _TEXT + _SPOILS,
        "galat": _ERROR,
        "galat-ikut": _ERROR + _SPOILS,
        "tanggal": "{label}: berisi tanggal {raw} padahal harus angka; Excel mengubah ketikan seperti 12.5 atau 1/5 "
                   "menjadi tanggal. Ketik angkanya dengan koma desimal (mis. 12,5), atau '-' bila tidak ada nilai."}),
    Rule("V03", P, "Angka diketik sebagai teks atau pemisah ribuan/desimal meragukan", {
        "": "{label}: angka {raw} disimpan sebagai teks; dibaca {value}. Ketik ulang sebagai angka agar rumus ikut "
            "menghitungnya.",
        "ambigu": "{label}: pemisah pada {raw} meragukan (ribuan atau desimal?); dibaca {value}. Tulis dengan format "
                  "Indonesia, mis. 1.279 atau 1,279 sesuai maksudnya."}),
    Rule("V04", G, "Nilai di luar rentang yang sah", {
        "": "{label}: {value} {what}; yang sah {range}. Periksa angkanya."}),
    Rule("V05", G, "Format kode salah", {
        "": "{label}: kode {value} tidak sesuai format ({format}).",
        "isian": "{label}: {value} tidak sesuai format ({format}).",
        "dipa": "Nomor DIPA {value} tidak sesuai format SP DIPA-BA.ES.K.SATKER/TAHUN."}),
    Rule("V05b", P, "Isi salinan berbeda dengan sumbernya", _D),
    Rule("V06", G, "Isian wajib kosong", {
        "": "{label}: wajib diisi pada baris ini. Isi nilainya, atau '-' bila memang tidak ada.",
        "isian": "{label}: wajib diisi."}),
    Rule("V06b", G, "Baris Jumlah/Total kosong", {
        "": "Baris {total} kosong. Kembalikan rumusnya (buat ulang dari templat kinerja) agar {total} dihitung.",
        "hilang": "Baris {total} tabel tidak ditemukan. Jangan hapus baris {total}."}),
    Rule("V06k", P, "Kendala belum diisi untuk output yang realisasinya di bawah sasaran", {
        "": "Output {output}: realisasi di bawah sasaran tetapi belum ada kendala dan tindak lanjut di bagian IV. "
            "Tuliskan kendalanya."}),
    Rule("V07", G, "Total tidak sama dengan jumlah baris", _D),
    Rule("V08", G, "Jumlah FORM A tidak sama dengan kontribusi terhadap pagu satker", _D),
    Rule("V09", G, "Jumlah FORM B tidak sama dengan rata-rata tertimbang pagu", _D),
    Rule("V10", G, "S.d. triwulan ini tidak sama dengan s.d. triwulan lalu + triwulan ini", _D),
    Rule("V10b", G, "Nilai kumulatif turun dibanding triwulan lalu", {
        "": "Nilai kumulatif turun dari {before} menjadi {now}."}),
    Rule("V11", G, "Capaian diketik tidak sama dengan hasil hitung", _D),
    Rule("V11b", P, "Capaian diketik hanya cocok bila dipotong, bukan dibulatkan", _D),
    Rule("V12", G, "Target antara tidak naik bertahap sampai 100 pada Triwulan IV", {
        "": "{row}: Target antara Triwulan {tw} harus 100.",
        "turun": "{row}: Target antara Triwulan {tw} ({nilai} %) lebih kecil daripada Triwulan {tw_lalu} ({lalu} %); "
                 "target antara adalah kemajuan kumulatif, jadi tidak boleh turun.",
        "kosong": "{row}: Target antara Triwulan {tw} kosong padahal ada rencana kegiatan; isi kemajuan "
                  "kumulatifnya."}),
    Rule("V13", P, "Realisasi antara tidak sejalan dengan nilai indikator", {
        "": "{row}: realisasi antara {ra} % {arah} target antara {ta} %, tetapi nilai indikator {r} {status} "
            "mencapai target {t}. Periksa kembali.",
        "hitung": "{row}: realisasi antara {ra} %, padahal {r} dari target {t} = {want} %."}),
    Rule("V32", P, "Realisasi ada, target 0", {
        "": "{row}: realisasi {r} terhadap target 0; capaian tidak dapat dihitung. Periksa apakah targetnya "
            "belum diisi."}),
    Rule("V37", P, "Total Anggaran tidak sama dengan jumlah pagu anggaran indikator", {
        "": "{label} {total}, sedangkan jumlah {kolom} semua indikator {jumlah} (selisih {selisih}). Samakan "
            "keduanya: periksa {label} terhadap DIPA dan {kolom} setiap indikator.",
        "lebih": "{label} {total}, padahal jumlah {kolom} {n} indikator yang sudah diisi {jumlah}, lebih besar "
                 "(selisih {selisih}). Periksa {label} terhadap DIPA dan {kolom} indikator itu."}),
    Rule("V38", P, "Tahun di tengah periode Renstra kosong", {
        "": "{row}: {kolom} kosong, padahal tahun sebelum dan sesudahnya terisi; target akhir periode dan capaian "
            "jangka menengah dihitung tanpa tahun itu. Isi angkanya, atau '-' bila memang tidak ada."}),
    # across files of one unit and year (macros/validation/lintas.py)
    Rule("V33", P, "Target antara berbeda antara Rencana Aksi dan Pengukuran", {"": _ACROSS}),
    Rule("V34", P, "Target Perjanjian Kinerja berbeda dengan target Renstra tahun itu", {"": _ACROSS}),
    Rule("V35", P, "Realisasi Perjanjian Kinerja berbeda dengan Pengukuran Triwulan IV", {"": _ACROSS}),
    Rule("V36", P, "Realisasi tahun lalu di Renstra berbeda dengan Perjanjian Kinerja tahun itu", {"": _ACROSS}),
    Rule("V14", P, "Fisik S sama dengan R di semua baris (target mungkin diisi belakangan)", {
        "": "{label}: fisik S sama dengan R di semua {n} baris. Target fisik mungkin diisi belakangan dari "
            "realisasi; isi S sesuai rencana awal."}),
    Rule("V15", G, "Nomor DIPA tidak cocok dengan tahun atau satker laporan", {
        "": "Nomor DIPA {value} bertahun {year}, padahal laporan tahun {tahun}. Gunakan DIPA tahun berjalan.",
        "satker": "Kode satker pada nomor DIPA ({found}) berbeda dengan satker laporan ({satker})."}),
    Rule("V16", G, "Periode laporan tidak cocok", {
        "": "Tanggal posisi {date} di luar Triwulan {triwulan} {tahun}.",
        "bukan-tanggal": "{label} harus berupa tanggal.",
        "metadata": "Triwulan laporan tidak tercatat di metadata. Buat ulang berkas dari templat kinerja."}),
    Rule("V17", G, "Pagu ALKI per output tidak sama dengan pagu FORM A bagian II", {
        "": "Output {output}: pagu FORM A {mine} ribu, jumlah pagu komponen ALKI {want} ribu. Samakan dengan DIPA "
            "terakhir."}),
    Rule("V18", G, "Realisasi fisik output tidak sama dengan rata-rata tertimbang komponen ALKI", {
        "": _ALKI_WEIGHTED}),
    Rule("V18b", P, "Realisasi keuangan output tidak sama dengan rata-rata tertimbang komponen ALKI", {
        "": _ALKI_WEIGHTED}),
    Rule("V19", G, "S.d. triwulan lalu tidak sama dengan s.d. triwulan ini laporan triwulan sebelumnya", {
        "": "{label}: {now}, padahal s.d. triwulan ini pada laporan triwulan lalu {before}. Salin dari laporan "
            "triwulan lalu."}),
    Rule("V22", G, "Kode ganda", {
        "": "{label}: {value} muncul lebih dari sekali. Gabungkan barisnya atau perbaiki kodenya."}),
    Rule("V24", G, "Nilai P3DN tidak sama dengan hasil hitung", _D),
    Rule("V25", G, "Indeks Kepuasan Masyarakat tidak sama dengan hasil hitung", _D),
    Rule("V26", P, "Nama penanda tangan berbeda dengan penanggung jawab kegiatan", {
        "": "{label} {found} berbeda dengan {other} {expected}. Samakan penulisannya."}),
    Rule("V27", G, "Kode satker isian Unit Organisasi berbeda dengan kode satker berkas", {
        "": "Kode satker pada isian Unit Organisasi ({found}) berbeda dengan kode satker berkas ({satker}). Laporan "
            "satu satker tidak boleh diberi label satker lain; buat berkas dari templat satker yang benar."}),
    Rule("V28", G, "Rumus sel terhitung diganti atau nilai tersimpannya tidak sesuai rumus", {
        "": "{label}: rumus sel ini diganti ({formula}), bukan rumus form. " + _RESTORE,
        "nilai": "{label}: nilai tersimpan {cached} tidak sama dengan hasil rumusnya {expected}; berkas disunting di "
                 "luar Excel atau dipalsukan. " + _RESTORE,
        "ketikan": "{label}: {raw} diketik di sel terhitung pada baris tanpa data, menggantikan rumusnya. " + _RESTORE}),
    # a warning, not V28's galat: kinerja computes the cell from the row's inputs (checks and rollup are right), only
    # the printed form lacks it; a row inserted with Excel's Insert Row is a normal way to add a row
    Rule("V28b", P, "Rumus sel terhitung hilang pada baris berisi data", {
        "": "{label}: rumus sel ini hilang (sel kosong), padahal barisnya berisi data; hasilnya tidak tercetak. "
            "Baris yang disisipkan dengan Insert Row Excel tidak membawa rumus form: gunakan Pulihkan Rumus "
            "(pita Kinerja atau `kinerja pulihkan`), atau Tambah Baris untuk baris baru."}),
    Rule("V29", G, "Angka tidak wajar (tak hingga atau melampaui batas satuannya)", {
        "": "{label}: {raw} bukan angka yang wajar untuk kolom ini (tak hingga atau melampaui batas satuannya). "
            "Periksa isiannya."}),
    Rule("V30", G, "Baris tabel berpasangan tidak sebaris (output tanpa pasangan)", {
        "": "Baris ini ({label}) tidak berpasangan dengan baris {other} yang sejajar (berisi {twin}). Sisipkan atau "
            "hapus baris di kedua tabel bersamaan agar setiap output tetap sebaris.",
        "yatim": "Output {code} di {other} tidak punya baris di {label}. Isi barisnya di {label} (sejajar dengan "
                 "barisnya di {other}), atau hapus outputnya dari kedua tabel."}),
    Rule("V31", G, "Data diketik di bawah baris Jumlah/Total", {
        "": "{label}: {raw} diketik di bawah baris {total} sehingga tidak dihitung. Sisipkan baris di atas baris "
            "Jumlah lalu pindahkan isinya ke sana."}),
    # a sheet the metadata does not list, recognised as a form (copied in Excel: 'FORM A 6077 (2)'): kinerja
    # never reads it, so its figures would be dropped from validation and the rollup without a word
    Rule("V39", G, "Salinan lembar form berisi data tidak dibaca", {
        "": _COPY + _COPY_LOST + _COPY_KEGIATAN + _COPY_SPARE,
        "tunggal": _COPY + _COPY_LOST + " Pindahkan isinya ke lembar '{form}' (satu lembar {form} per berkas), "
                   "lalu hapus lembar ini."}),
    Rule("V39b", P, "Salinan lembar form yang kosong", {
        "": _COPY + _COPY_SPARE + _COPY_KEGIATAN,
        "tunggal": _COPY + _COPY_SPARE}),
)}


def angka(x: object) -> str:
    """A number the Indonesian way (1.234.567,89); other values as text."""
    if isinstance(x, bool) or x is None:
        return "kosong" if x is None else str(x)
    if isinstance(x, (int, float)):
        if isinstance(x, float) and x.is_integer() and abs(x) >= 1000:
            x = int(x)
        return format_id(x, 0, 2 if isinstance(x, float) else 0)
    return f"'{x}'"
