// The shapes the pages read. Answers the services declare come from the generated schema
// (`Schemas[...]`); the gateway's own views and the answers still free-form (see
// tests/contract/test_typed_answers.py) follow gateway/src/gateway/api/reads.py and the views.
import type { ProfileKinerja } from "./kinerja";
import type { Schemas } from "./routes";

export interface Freshness {
  stale: boolean;
  reasons: string[];
  services_down: string[];
}

export interface AttendanceRecord {
  date: string;
  status: string | null;
  checked_in_at: string | null;
  checked_out_at: string | null;
  minutes_late: number | null;
  late_category: string | null;
  minutes_early: number | null;
  early_category: string | null;
  leave_type: string | null;
}

export interface HistoryItem {
  value: unknown;
  tmt: string | null;
  event_type: string;
  recorded_at: string;
}

export interface Profile {
  nip: string;
  name: string;
  golongan: string;
  pangkat: string | null;
  position: { name?: string; kind?: string } | null;
  unit: { code: string; name: string | null };
  supervisor: { nip: string; name: string | null } | null;
  retirement_date: string | null;
  history: Record<string, HistoryItem[]>;
  attendance_today: { date: string; status: string; leave_type: string | null; record: AttendanceRecord | null };
  attendance_month: { month: string; by_status: Record<string, number>; minutes_late: number };
  open_requests: LeaveSummary[];
  kinerja?: ProfileKinerja;
  freshness: Freshness;
}

export interface LeaveSummary {
  request_id: string;
  leave_type: string;
  start_date: string;
  end_date: string;
  working_days: number | null;
  state: string;
}

/** presensi's answer to a check-in or check-out: the geofence result is the punch's own. */
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

export interface InboxItem {
  /** leave_request, skp, appraisal, enrollment, learning_record, attendance_correction,
   * flexible_work, ticket_to_verify/route/follow_up/answer, ticket_on_hold, ticket_escalated */
  kind: string;
  action: string;
  request_id?: string;
  nip?: string;
  name?: string | null;
  code?: string;
  title?: string | null;
  leave_type?: string;
  start_date?: string;
  end_date?: string;
  working_days?: number | null;
  // kinerja's items (gateway/src/gateway/api/kinerja_views.py)
  skp_id?: string;
  appraisal_id?: string;
  year?: number;
  period_kind?: "annual" | "quarterly" | "monthly";
  period_number?: number | null;
}

export interface Dashboard {
  unit: { code: string; name: string };
  headcount: { total: number; golongan: Record<string, number>; asn_type: Record<string, number> };
  attendance_today: {
    date: string;
    present?: number;
    late?: number;
    on_leave?: number;
    no_record?: number;
    day_off?: number;
    non_working_day?: { kind: string; name: string } | null;
  };
  pending_leave_decisions: unknown[];
  retirements_next_12_months: { nip: string; name: string; retirement_date: string }[];
  freshness: Freshness;
}

// pelatihan (services/pelatihan/src/pelatihan/views.py and reports.py).
export type Program = Schemas["ProgramView"];

export type Enrollment = Schemas["EnrollmentView"];

export type LearningRecord = Schemas["LearningRecordView"];

export type JpYear = Schemas["PersonJp"];
