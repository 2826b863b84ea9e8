// The BKPSDM menu's labels: in the shell, as the menu is. The pages' words are ./words.ts.
export const bkpsdmMenuId = {
  menu: {
    unitKerja: "Unit Kerja",
    kenaikanPangkat: "Kenaikan Pangkat",
    duk: "DUK",
    pensiun: "Pensiun",
    pelatihanAnggaran: "Pelatihan & Anggaran",
    hariLibur: "Hari Libur",
  },
};

export const bkpsdmMenuEn: typeof bkpsdmMenuId = {
  menu: {
    unitKerja: "Units",
    kenaikanPangkat: "Promotions",
    duk: "DUK",
    pensiun: "Retirements",
    pelatihanAnggaran: "Training & budgets",
    hariLibur: "Holidays",
  },
};
