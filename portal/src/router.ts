import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { homeFor } from "./menu";
import { onSessionEnd, session } from "./session";

// Each page is its own chunk: the first load carries only the shell and the page asked for.
const routes: RouteRecordRaw[] = [
  { path: "/masuk", name: "masuk", component: () => import("./views/SignIn.vue"), meta: { public: true } },
  { path: "/masuk/callback", name: "masukCallback", component: () => import("./views/SignInCallback.vue"), meta: { public: true } },
  { path: "/aspirasi", name: "aspirasi", component: () => import("./views/SampaikanAspirasi.vue"), meta: { public: true } },
  { path: "/lacak", name: "lacak", component: () => import("./views/LacakLaporan.vue"), meta: { public: true } },
  { path: "/papan", name: "papan", component: () => import("./views/PapanTransparansi.vue"), meta: { public: true } },
  { path: "/", name: "beranda", component: () => import("./views/Beranda.vue") },
  { path: "/cuti", name: "cuti", component: () => import("./views/Cuti.vue") },
  { path: "/pelatihan", name: "pelatihan", component: () => import("./views/Pelatihan.vue") },
  { path: "/profil", name: "profil", component: () => import("./views/Profil.vue") },
  { path: "/skp", name: "skp", component: () => import("./views/Skp.vue") },
  { path: "/tim", name: "tim", component: () => import("./views/Tim.vue") },
  { path: "/kotak-masuk", name: "kotakMasuk", component: () => import("./views/KotakMasuk.vue") },
  { path: "/dasbor-unit", name: "dasborUnit", component: () => import("./views/DasborUnit.vue") },
  { path: "/data-pegawai", name: "dataPegawai", component: () => import("./views/DataPegawai.vue") },
  { path: "/data-pegawai/baru", name: "pegawaiBaru", component: () => import("./views/bkpsdm/PegawaiBaru.vue") },
  { path: "/data-pegawai/:nip", name: "pegawai", component: () => import("./views/bkpsdm/PegawaiDetail.vue"), props: true },
  { path: "/unit-kerja", name: "unitKerja", component: () => import("./views/bkpsdm/UnitKerja.vue") },
  { path: "/kenaikan-pangkat", name: "kenaikanPangkat", component: () => import("./views/bkpsdm/KenaikanPangkat.vue") },
  { path: "/duk", name: "duk", component: () => import("./views/bkpsdm/Duk.vue") },
  { path: "/pensiun", name: "pensiun", component: () => import("./views/bkpsdm/Pensiun.vue") },
  { path: "/hari-libur", name: "hariLibur", component: () => import("./views/bkpsdm/HariLibur.vue") },
  { path: "/pelatihan-anggaran", name: "pelatihanAnggaran", component: () => import("./views/bkpsdm/PelatihanAnggaran.vue") },
  { path: "/:rest(.*)*", redirect: "/" },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  if (!to.meta.public && !session.current) return { name: "masuk" };
  if (to.name === "masuk" && session.current) return homeFor(session.current);
  return true;
});

// A session that ends by itself (its token expired, or the server refused it) goes back to
// /masuk, which says why.
onSessionEnd(() => {
  if (!router.currentRoute.value.meta.public) void router.push({ name: "masuk", query: { sesi: "berakhir" } });
});
