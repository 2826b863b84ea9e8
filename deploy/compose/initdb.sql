-- One database per service (DESIGN: each service owns its data); the gateway and its
-- projector share one. Run once by postgres:15 on an empty data volume.
CREATE DATABASE pegawai;
CREATE DATABASE kinerja;
CREATE DATABASE pelatihan;
CREATE DATABASE presensi;
CREATE DATABASE aspirasi;
CREATE DATABASE gateway;
