"""pelatihan's part of the views, from the read model: the profile's JP this year against
20, certificates, open enrolments and recommendations; the unit's JP compliance and
training budget; enrolments and learning records waiting for the caller."""

from __future__ import annotations

from datetime import date
from typing import Any

JP_TARGET = 20
FLAG_FROM_QUARTER = 3  # as pelatihan: those below 20 JP are flagged from the third quarter

_SUBTREE = """
WITH RECURSIVE subtree(code, depth) AS (
    SELECT $1::text, 0
  UNION ALL
    SELECT u.code, s.depth + 1 FROM readmodel.unit u JOIN subtree s ON u.parent_code = s.code
    WHERE s.depth < 64
)
"""

PROFILE = """
SELECT
  (SELECT json_build_object(
       'klasikal', coalesce(sum(jp) FILTER (WHERE klasikal), 0),
       'non_klasikal', coalesce(sum(jp) FILTER (WHERE NOT klasikal), 0))
   FROM readmodel.training_credit
   WHERE nip = $1 AND "end" >= make_date($2, 1, 1) AND "end" <= make_date($2, 12, 31)) AS jp,
  (SELECT coalesce(json_agg(c ORDER BY c."end" DESC), '[]'::json) FROM (
     SELECT completion_id, title, kind, jp, start, "end", institution, certificate_number
     FROM readmodel.training_credit WHERE nip = $1 AND certificate_number IS NOT NULL) c)
    AS certificates,
  (SELECT coalesce(json_agg(e ORDER BY e.start), '[]'::json) FROM (
     SELECT enrollment_id, program_id, title, kind, jp, start, "end", status, waitlisted
     FROM readmodel.training_enrollment
     WHERE nip = $1 AND status IN ('requested', 'supervisor_approved', 'approved')) e)
    AS open_enrollments,
  (SELECT coalesce(json_agg(DISTINCT competency), '[]'::json)
   FROM readmodel.training_need WHERE nip = $1 AND NOT addressed) AS needs,
  (SELECT coalesce(json_agg(p ORDER BY p.start), '[]'::json) FROM (
     SELECT p.program_id, p.title, p.kind, p.jp, p.start, p."end", p.institution_name,
            p.competencies
     FROM readmodel.training_program p
     WHERE p.status = 'published' AND p.start > $3
       AND EXISTS (SELECT 1 FROM readmodel.training_need n
                   WHERE n.nip = $1 AND NOT n.addressed AND p.competencies ? n.competency)
       AND NOT EXISTS (SELECT 1 FROM readmodel.training_enrollment t
                       WHERE t.nip = $1 AND t.program_id = p.program_id
                         AND t.status NOT IN ('withdrawn', 'rejected'))) p) AS recommendations
"""

UNIT_JP = (
    _SUBTREE  # noqa: S608 - constant SQL, values go in as parameters
    + """
, staff AS (
  SELECT nip FROM readmodel.employee
  WHERE unit_code IN (SELECT code FROM subtree) AND status = 'aktif'
), totals AS (
  SELECT s.nip, coalesce(sum(c.jp), 0)::int AS jp FROM staff s
  LEFT JOIN readmodel.training_credit c
    ON c.nip = s.nip AND c."end" >= make_date($2, 1, 1) AND c."end" <= make_date($2, 12, 31)
  GROUP BY s.nip
)
SELECT count(*)::int AS staff, (count(*) FILTER (WHERE jp >= 20))::int AS compliant,
  coalesce(json_agg(json_build_object('nip', nip, 'jp', jp) ORDER BY jp, nip)
           FILTER (WHERE jp < 20), '[]'::json) AS below
FROM totals
"""
)

BUDGET = """
SELECT allocated, committed, spent, allocated - committed - spent AS remaining
FROM readmodel.training_budget WHERE unit_code = $1 AND year = $2
"""

ENROLLMENTS_TO_DECIDE = """
SELECT t.enrollment_id, t.nip, e.name, t.unit_code, t.program_id, t.title,
       t.kind AS training_kind, t.jp,
       t.start, t."end", t.status, t.waitlisted, t.requested_at
FROM readmodel.training_enrollment t LEFT JOIN readmodel.employee e ON e.nip = t.nip
WHERE ((t.status = 'requested' AND t.approver_nip = $1)
       OR (t.status = 'supervisor_approved' AND $2))
  AND t.nip <> $1
ORDER BY t.requested_at
LIMIT $3
"""

RECORDS_TO_VERIFY = """
SELECT r.record_id, r.nip, e.name, r.title, r.kind AS training_kind, r.jp,
       r.updated_at AS submitted_at
FROM readmodel.learning_record r LEFT JOIN readmodel.employee e ON e.nip = r.nip
WHERE r.state = 'pending' AND r.verifier_nip = $1
ORDER BY r.updated_at
LIMIT $2
"""


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


async def profile_section(conn: Any, nip: str, today: date) -> dict[str, Any]:
    row = await conn.fetchrow(PROFILE, nip, today.year, today)
    jp = row["jp"]
    total = int(jp["klasikal"]) + int(jp["non_klasikal"])
    return {
        "year": today.year,
        "target": JP_TARGET,
        "jp": total,
        "klasikal": int(jp["klasikal"]),
        "non_klasikal": int(jp["non_klasikal"]),
        "shortfall": max(JP_TARGET - total, 0),
        "flagged": total < JP_TARGET and _quarter(today) >= FLAG_FROM_QUARTER,
        "certificates": row["certificates"],
        "open_enrollments": row["open_enrollments"],
        "needs": row["needs"],
        "recommendations": row["recommendations"],
    }


async def unit_section(conn: Any, code: str, today: date) -> dict[str, Any]:
    jp = await conn.fetchrow(UNIT_JP, code, today.year)
    budget = await conn.fetchrow(BUDGET, code, today.year)
    staff, compliant = jp["staff"], jp["compliant"]
    flag = _quarter(today) >= FLAG_FROM_QUARTER
    return {
        "year": today.year,
        "jp_compliance": {
            "target": JP_TARGET,
            "staff": staff,
            "compliant": compliant,
            "share": 1.0 if staff == 0 else round(compliant / staff, 4),
            "below": [{**b, "flagged": flag} for b in jp["below"]],
        },
        "training_budget": dict(budget)
        if budget
        else {"allocated": 0, "committed": 0, "spent": 0, "remaining": 0},
    }


async def inbox_items(conn: Any, nip: str, bkpsdm: bool, limit: int) -> list[dict[str, Any]]:
    enrollments = await conn.fetch(ENROLLMENTS_TO_DECIDE, nip, bkpsdm, limit)
    records = await conn.fetch(RECORDS_TO_VERIFY, nip, limit)
    return [
        {
            "kind": "enrollment",
            "action": f"/api/enrollments/{r['enrollment_id']}/decision",
            **dict(r),
        }
        for r in enrollments
    ] + [
        {
            "kind": "learning_record",
            "action": f"/api/learning-records/{r['record_id']}/verify",
            **dict(r),
        }
        for r in records
    ]
