"""SQL of the aggregated reads (asyncpg, one round trip where it matters)."""

PROFILE = """
SELECT e.nip, e.name, e.sex, e.birth_date, e.asn_type, e.status, e.golongan, e.pangkat,
       e.tmt_golongan, e.position, e.unit_code, e.supervisor_nip, e.retirement_date,
       e.updated_at, u.name AS unit_name, u.unit_id, s.name AS supervisor_name,
  (SELECT coalesce(json_agg(h ORDER BY h.field, h.tmt NULLS FIRST, h.id), '[]'::json) FROM (
     SELECT id, field, value, tmt, event_type, recorded_at
     FROM readmodel.employee_history WHERE nip = e.nip) h) AS history,
  (SELECT row_to_json(a) FROM (
     SELECT date, status, checked_in_at, checked_out_at, minutes_late, late_category,
            minutes_early, early_category, leave_type
     FROM readmodel.attendance_day WHERE nip = e.nip AND date = $2) a) AS today,
  (SELECT json_build_object(
       'by_status', coalesce(json_object_agg(r.status, r.days), '{}'::json),
       'minutes_late', coalesce(sum(r.minutes_late), 0),
       'minutes_early', coalesce(sum(r.minutes_early), 0))
   FROM (SELECT coalesce(status, 'belum_ditutup') AS status, count(*) AS days,
                sum(minutes_late) AS minutes_late, sum(minutes_early) AS minutes_early
         FROM readmodel.attendance_day
         WHERE nip = e.nip AND date >= $3 AND date <= $2 GROUP BY 1) r) AS recap,
  (SELECT coalesce(json_agg(b ORDER BY b.year DESC, b.leave_type), '[]'::json) FROM (
     SELECT year, leave_type, remaining, updated_at
     FROM readmodel.leave_balance WHERE nip = e.nip) b) AS balances,
  (SELECT coalesce(json_agg(r ORDER BY r.start_date), '[]'::json) FROM (
     SELECT request_id, leave_type, start_date, end_date, working_days, state, approver_nip,
            requested_at
     FROM readmodel.leave_request
     WHERE nip = e.nip AND state IN ('requested', 'forwarded')) r) AS open_requests,
  (SELECT row_to_json(h) FROM (
     SELECT kind, name FROM readmodel.holiday WHERE date = $2 AND NOT removed
     ORDER BY kind, name LIMIT 1) h) AS holiday_today,
  (SELECT l.leave_type FROM readmodel.leave_request l
   WHERE l.nip = e.nip AND l.state = 'approved' AND $2 BETWEEN l.start_date AND l.end_date
   LIMIT 1) AS on_leave_today,
  (SELECT coalesce(json_agg(k ORDER BY k.year DESC, k.start DESC), '[]'::json) FROM (
     SELECT s.skp_id, s.year, s.start, s."end", s.unit_code, s.status,
            s.approver_nip, s.submitted_at, s.returned_at, s.approved_at,
            s.supersedes_skp_id, s.superseded_by_skp_id, coalesce(s.rhk, '[]'::jsonb) AS rhk,
            (SELECT coalesce(json_agg(a ORDER BY a.start, a.annual, a.period_number), '[]'::json)
             FROM (SELECT appraisal_id, period_kind, period_number, start, "end", annual, state,
                          rater_nip, submitted_at, predikat, finalized_at
                   FROM readmodel.appraisal WHERE skp_id = s.skp_id) a) AS appraisals
     FROM readmodel.skp s WHERE s.nip = e.nip
     ORDER BY s.year DESC, s.start DESC LIMIT 4) k) AS skps,
  (SELECT coalesce(json_agg(p ORDER BY p.year, p.start, p.annual, p.period_number), '[]'::json)
   FROM (SELECT appraisal_id, year, period_kind, period_number, start, "end", annual, predikat,
                rating_hasil_kerja, rating_perilaku_kerja, appraiser_nip, revision, finalized_at
         FROM readmodel.appraisal WHERE nip = e.nip AND state = 'finalized') p) AS predikat,
  (SELECT json_build_object('count', count(*), 'latest_at', max(given_at))
   FROM readmodel.feedback WHERE nip = e.nip) AS feedback
FROM readmodel.employee e
LEFT JOIN readmodel.unit u ON u.code = e.unit_code
LEFT JOIN readmodel.employee s ON s.nip = e.supervisor_nip
WHERE e.nip = $1
"""

HOLIDAY = """
SELECT kind, name FROM readmodel.holiday WHERE date = $1 AND NOT removed
ORDER BY kind, name LIMIT 1
"""

UNIT = "SELECT code, unit_id, name, kind, parent_code, active FROM readmodel.unit WHERE code = $1"

_SUBTREE = """
WITH RECURSIVE subtree(code, depth) AS (
    SELECT $1::text, 0
  UNION ALL
    SELECT u.code, s.depth + 1 FROM readmodel.unit u JOIN subtree s ON u.parent_code = s.code
    WHERE s.depth < 64
)
"""

HEADCOUNT = (
    _SUBTREE  # noqa: S608 - constant SQL, values go in as parameters
    + """
SELECT 'status' AS dim, status AS key, count(*) AS n FROM readmodel.employee
WHERE unit_code IN (SELECT code FROM subtree) GROUP BY status
UNION ALL
SELECT 'golongan', golongan, count(*) FROM readmodel.employee
WHERE unit_code IN (SELECT code FROM subtree) AND status IN ('aktif', 'cltn') GROUP BY golongan
UNION ALL
SELECT 'asn_type', asn_type, count(*) FROM readmodel.employee
WHERE unit_code IN (SELECT code FROM subtree) AND status IN ('aktif', 'cltn') GROUP BY asn_type
"""
)

TODAY = (
    _SUBTREE  # noqa: S608 - constant SQL, values go in as parameters
    + """
SELECT
  count(*) FILTER (WHERE kind = 'cuti') AS on_leave,
  count(*) FILTER (WHERE kind = 'late') AS late,
  count(*) FILTER (WHERE kind = 'present') AS present,
  count(*) FILTER (WHERE kind = 'none') AS no_record,
  count(*) FILTER (WHERE kind = 'day_off') AS day_off
FROM (
  -- In the order of gateway.workdays.attendance_status; $3: today is not a working day.
  SELECT CASE
    WHEN a.status = 'cuti' OR (l.request_id IS NOT NULL AND NOT $3) THEN 'cuti'
    WHEN a.status = 'terlambat' OR a.minutes_late > 0 THEN 'late'
    WHEN a.status IN ('hadir', 'pulang_cepat', 'dinas_luar') OR a.checked_in_at IS NOT NULL
      THEN 'present'
    WHEN $3 THEN 'day_off'
    ELSE 'none' END AS kind
  FROM readmodel.employee e
  LEFT JOIN readmodel.attendance_day a ON a.nip = e.nip AND a.date = $2
  LEFT JOIN LATERAL (
    SELECT request_id FROM readmodel.leave_request
    WHERE nip = e.nip AND state = 'approved' AND $2 BETWEEN start_date AND end_date LIMIT 1
  ) l ON true
  WHERE e.unit_code IN (SELECT code FROM subtree) AND e.status = 'aktif'
) k
"""
)

PENDING_LEAVE = (
    _SUBTREE  # noqa: S608 - constant SQL, values go in as parameters
    + """
SELECT r.request_id, r.nip, e.name, r.leave_type, r.start_date, r.end_date, r.working_days,
       r.state, r.approver_nip, r.requested_at
FROM readmodel.leave_request r LEFT JOIN readmodel.employee e ON e.nip = r.nip
WHERE r.unit_code IN (SELECT code FROM subtree) AND r.state IN ('requested', 'forwarded')
ORDER BY r.requested_at
LIMIT 200
"""
)

RETIREMENTS = (
    _SUBTREE  # noqa: S608 - constant SQL, values go in as parameters
    + """
SELECT nip, name, golongan, retirement_date FROM readmodel.employee
WHERE unit_code IN (SELECT code FROM subtree) AND status IN ('aktif', 'cltn')
  AND retirement_date >= $2 AND retirement_date < $3
ORDER BY retirement_date, nip
"""
)

PREDIKAT_DISTRIBUTION = (
    _SUBTREE  # noqa: S608 - constant SQL, values go in as parameters
    + """
, latest AS (
  SELECT DISTINCT ON (a.nip, a.year) a.nip, a.year, a.predikat
  FROM readmodel.appraisal a LEFT JOIN readmodel.employee e ON e.nip = a.nip
  WHERE a.annual AND a.state = 'finalized'
    AND coalesce(a.unit_code, e.unit_code) IN (SELECT code FROM subtree)
  ORDER BY a.nip, a.year, a.finalized_at DESC
)
SELECT year, predikat, count(*) AS n FROM latest
WHERE year IN (SELECT DISTINCT year FROM latest ORDER BY year DESC LIMIT $2)
GROUP BY year, predikat
"""
)

APPRAISALS_TO_RATE = """
SELECT a.appraisal_id, a.nip, e.name, e.unit_code, a.skp_id, a.year, a.period_kind,
       a.period_number, a.start, a."end", a.annual, a.submitted_at
FROM readmodel.appraisal a LEFT JOIN readmodel.employee e ON e.nip = a.nip
WHERE a.state = 'submitted' AND a.rater_nip = $1
ORDER BY a.submitted_at
LIMIT $2
"""

SKPS_TO_AGREE = """
SELECT s.skp_id, s.nip, e.name, s.year, s.start, s."end", s.unit_code, s.submitted_at
FROM readmodel.skp s LEFT JOIN readmodel.employee e ON e.nip = s.nip
WHERE s.status = 'submitted' AND s.approver_nip = $1
ORDER BY s.submitted_at
LIMIT $2
"""

INBOX = """
SELECT r.request_id, r.nip, e.name, r.unit_code, r.leave_type, r.start_date, r.end_date,
       r.working_days, r.state, r.requested_at
FROM readmodel.leave_request r LEFT JOIN readmodel.employee e ON e.nip = r.nip
WHERE (r.state = 'requested' AND r.approver_nip = $1)
   OR (r.state = 'forwarded' AND $2)
ORDER BY r.requested_at
LIMIT $3
"""

_SEARCH = """
WITH RECURSIVE admin_units(code, depth) AS (
    SELECT code, 0 FROM readmodel.unit WHERE $4::text IS NOT NULL
      AND (code = $4 OR unit_id::text = $4)
  UNION ALL
    SELECT u.code, a.depth + 1 FROM readmodel.unit u JOIN admin_units a ON u.parent_code = a.code
    WHERE a.depth < 64
),
reports(nip, depth) AS (
    SELECT nip, 1 FROM readmodel.employee WHERE NOT $3 AND supervisor_nip = $5
  UNION ALL
    SELECT e.nip, r.depth + 1 FROM readmodel.employee e JOIN reports r ON e.supervisor_nip = r.nip
    WHERE r.depth < 64
)
SELECT e.nip, e.name, e.unit_code, u.name AS unit_name, e.golongan,
       e.position ->> 'name' AS position, e.status
FROM readmodel.employee e LEFT JOIN readmodel.unit u ON u.code = e.unit_code
WHERE {match}
  AND ($3 OR e.nip = $5
       OR e.unit_code IN (SELECT code FROM admin_units)
       OR e.nip IN (SELECT nip FROM reports))
ORDER BY e.name, e.nip
LIMIT $6
"""

# NIP prefix: a byte-wise range [$1, $2) on the text_pattern_ops index (a prepared
# statement's LIKE with a parameter can't use the prefix optimisation). Name: the trigram
# GIN on lower(name) takes `LIKE '%…%'` with a parameter.
SEARCH_NIP = _SEARCH.replace("{match}", "e.nip ~>=~ $1 AND e.nip ~<~ $2")
SEARCH_NAME = _SEARCH.replace("{match}", "$1::text IS NOT NULL AND lower(e.name) LIKE $2")
