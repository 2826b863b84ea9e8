// The shapes the pages read, from the generated schema (`Schemas[...]`): the services' answers
// and the gateway's own views (gateway/src/gateway/api/answers.py) alike.
import type { ProfileKinerja } from "./kinerja";
import type { Schemas } from "./routes";

/** The staleness indicator every read of the gateway carries. */
export type Freshness = Schemas["Freshness"];

/** A day's attendance row as the profile shows it. */
export type AttendanceRecord = Schemas["AttendanceRecord"];

export type HistoryItem = Schemas["HistoryItem"];

/** The gateway's profile view; its kinerja section is built by kinerja_views (still a
 * free-form object in the OpenAPI), so it keeps the shape ./kinerja declares. */
export type Profile = Omit<Schemas["ProfileView"], "kinerja"> & { kinerja?: ProfileKinerja };

export type LeaveSummary = Schemas["LeaveSummary"];

/** presensi's answer to a check-in or check-out: the geofence result is the punch's own.
 * One shape for both (the page shows either beside the profile's record), so the fields of
 * one answer only are optional; the answers themselves are Schemas["CheckInView"] and
 * Schemas["CheckOutView"]. */
export interface Punch {
  id: string;
  date: string;
  checked_in_at: string;
  minutes_late?: number | null;
  late_category?: string | null;
  checked_out_at?: string | null;
  minutes_early?: number | null;
  early_category?: string | null;
  inside_geofence: boolean | null;
  distance_m: number | null;
}

/** presensi's leave balances of a person (this year's, reserved, available, every year). */
export type Balance = Schemas["LeaveBalances"];

/** presensi's leave request, as declared in the OpenAPI. */
export type LeaveRequest = Schemas["LeaveRequestView"];

/** One item of the inbox: kind (leave_request, skp, appraisal, enrollment, learning_record,
 * attendance_correction, flexible_work, ticket_*) and where to decide it. */
export type InboxItem = Schemas["InboxItem"];

export type Dashboard = Schemas["UnitDashboard"];

// pelatihan (services/pelatihan/src/pelatihan/views.py and reports.py).
export type Program = Schemas["ProgramView"];

export type Enrollment = Schemas["EnrollmentView"];

export type LearningRecord = Schemas["LearningRecordView"];

export type JpYear = Schemas["PersonJp"];
