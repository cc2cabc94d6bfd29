"""A realistic sample of registers for demos and benchmarks (``fzcheck sample generate``).

Each of the five pack regions gets one year of records inside its pack's period (楚雄 2019,
盘锦 2013, 绿园区 and 邵东 2023, 朝阳区 2023 under the national pack only): normative documents,
officers with their trainings, enforcement cases citing documents and officers, reconsiderations
and major decisions, with dates spread over the year. Records are compliant by default; each
kind of fault (late filing, short comment window, missing review, late decision or service,
uncertified officer, repealed document cited, too few trainings, ...) is injected with a few
percent probability, and some deadlines fall just before a holiday so that the legal extension
to the next working day matters. The same seed always gives the same records.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..derive.calendar import default_calendar

#: Shares of the record mix (enforcement cases dominate real registers).
KIND_SHARES = {
    "enforcement_case": 0.75,
    "normative_document": 0.06,
    "reconsideration_case": 0.04,
    "major_decision": 0.03,
}
#: Officers are 3% of the records, each with about three training sessions (9%).
OFFICER_SHARE = 0.03
SESSIONS_PER_OFFICER = 3
FAULT_RATE = 0.03


@dataclass(frozen=True)
class Region:
    code: str
    government: str
    prefix: str
    year: int


REGIONS = (
    Region("532301", "楚雄市人民政府", "楚市政发", 2019),
    Region("211100", "盘锦市人民政府", "盘政发", 2013),
    Region("220106", "长春市绿园区人民政府", "绿政发", 2023),
    Region("430582", "邵东市人民政府", "邵政发", 2023),
    Region("110105", "北京市朝阳区人民政府", "朝政发", 2023),
)
DEPARTMENTS = ("市场监督管理局", "生态环境局", "交通运输局", "自然资源局", "应急管理局", "城市管理局")
LAWS = (
    "中华人民共和国行政处罚法",
    "中华人民共和国食品安全法",
    "中华人民共和国道路运输条例",
    "中华人民共和国环境保护法",
    "中华人民共和国安全生产法",
)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class _Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.calendar = default_calendar()
        self.officers: dict[str, list[str]] = {r.code: [] for r in REGIONS}
        #: per region: (文号, repealed, published_on) of the documents made so far, for cases to cite
        self.documents: dict[str, list[tuple[str, bool, dt.date]]] = {r.code: [] for r in REGIONS}
        self.counter = 0

    def fault(self) -> bool:
        return self.rng.random() < FAULT_RATE

    def day(self, region: Region, start_month: int = 1) -> dt.date:
        first = dt.date(region.year, start_month, 1)
        return first + dt.timedelta(days=self.rng.randrange((dt.date(region.year, 12, 31) - first).days + 1))

    def working_day(self, region: Region, start_month: int = 1) -> dt.date:
        day = self.day(region, start_month)
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def agency(self, region: Region) -> str:
        return region.government.replace("人民政府", "") + self.rng.choice(DEPARTMENTS)

    def next_id(self, prefix: str, region: Region) -> str:
        self.counter += 1
        return f"{region.code}-{prefix}-{self.counter:07d}"

    def normative_document(self, region: Region) -> dict:
        rng = self.rng
        record_id = self.next_id("nd", region)
        published = self.working_day(region)
        if rng.random() < 0.15:  # published 15 days before a holiday: the filing deadline moves past it
            due = self.calendar.deadline_after(published, 15)
            filed = due.due_on if due.moved_from else published + dt.timedelta(days=rng.randrange(3, 15))
        else:
            filed = published + dt.timedelta(days=rng.randrange(2, 15))
        if self.fault():
            filed = self.calendar.deadline_after(published, 15).due_on + dt.timedelta(days=rng.randrange(1, 20))
        discussed = published - dt.timedelta(days=rng.randrange(3, 20))
        reviewed = discussed - dt.timedelta(days=rng.randrange(1, 10))
        comment_end = reviewed - dt.timedelta(days=rng.randrange(1, 10))
        window = rng.choice([30, 30, 31, 45]) if not self.fault() else rng.choice([10, 20, 29])
        interim = rng.random() < 0.12
        number = len(self.documents[region.code]) + 1
        doc_number = f"{region.prefix}〔{region.year}〕{number}号"
        if self.fault() and self.documents[region.code]:
            doc_number = self.documents[region.code][-1][0]
        record = {
            "kind": "normative_document",
            "id": record_id,
            "region_code": region.code,
            "agency": region.government,
            "doc_number": doc_number,
            "title": f"{region.government}关于{rng.choice(DEPARTMENTS)[:-1]}管理的{'暂行' if interim else ''}办法",
            "comment_start": _iso(comment_end - dt.timedelta(days=window - 1)),
            "comment_end": _iso(comment_end),
            "legality_review_on": _iso(reviewed),
            "legality_review_passed": not self.fault(),
            "collective_discussion_on": _iso(discussed),
            "sets_license": self.fault(),
            "sets_penalty": False,
            "sets_compulsion": False,
            "signed_on": _iso(published - dt.timedelta(days=2)),
            "published_on": _iso(published),
            "validity_years": (rng.choice([2, 3]) if interim else rng.choice([3, 5])) + (2 if self.fault() else 0),
            "filed_on": _iso(filed),
            "hearing_required": False,
            "status": "repealed" if rng.random() < 0.04 else "in_force",
        }
        if self.fault():
            del record["legality_review_on"]
        self.documents[region.code].append((doc_number, record["status"] == "repealed", published))
        return record

    def officer(self, region: Region) -> dict:
        """Certificates run for the register's year (issued in January), so each officer is one officer-year."""
        record_id = self.next_id("of", region)
        issued = dt.date(region.year, 1, self.rng.randrange(1, 20))
        valid_until = dt.date(region.year, 12, 31)
        if self.fault():
            valid_until = dt.date(region.year, self.rng.randrange(9, 12), 28)
        self.officers[region.code].append(record_id)
        return {
            "kind": "officer",
            "id": record_id,
            "region_code": region.code,
            "agency": self.agency(region),
            "name": f"执法人员{self.counter}",
            "exam_passed_on": _iso(issued - dt.timedelta(days=60)),
            "cert_number": f"ZF{region.code}{self.counter:07d}",
            "cert_issued_on": _iso(issued),
            "cert_valid_until": _iso(valid_until),
        }

    def training_session(self, region: Region, officer_id: str) -> dict:
        start = self.working_day(region, 2)
        days = self.rng.choice([3, 3, 4, 5]) if not self.fault() else self.rng.choice([1, 2])
        return {
            "kind": "training_session",
            "id": self.next_id("tr", region),
            "region_code": region.code,
            "agency": region.government,
            "officer_id": officer_id,
            "start_on": _iso(start),
            "end_on": _iso(start + dt.timedelta(days=days - 1)),
            "hours": days * 8,
            "training_kind": self.rng.choice(["legal", "professional", "professional", "political"]),
        }

    def enforcement_case(self, region: Region) -> dict:
        rng = self.rng
        opened = self.working_day(region, 2)
        decided = opened + dt.timedelta(days=rng.randrange(10, 85) if not self.fault() else rng.randrange(95, 140))
        notified = decided - dt.timedelta(days=rng.randrange(3, 10) if not self.fault() else -1)
        served = self.calendar.nth_working_day_after(decided, rng.randrange(1, 8)).due_on
        if self.fault():
            served = self.calendar.nth_working_day_after(decided, rng.randrange(8, 15)).due_on
        published = self.calendar.nth_working_day_after(decided, rng.randrange(1, 8)).due_on
        officers = self.officers[region.code]
        team = rng.sample(officers, min(len(officers), 1 if self.fault() else 2)) if officers else []
        documents = self.documents[region.code]
        basis = [{"type": "law", "ref": rng.choice(LAWS)}]
        earlier = [
            document for document in (rng.choice(documents) for _ in range(8) if documents) if document[2] <= opened
        ]
        if earlier:
            repealed = [number for number, is_repealed, _ in earlier if is_repealed]
            in_force = [number for number, is_repealed, _ in earlier if not is_repealed]
            cited = rng.choice(repealed) if repealed and (self.fault() or not in_force) else rng.choice(in_force)
            basis.append({"type": "normative_document", "ref": cited})
        if self.fault():
            basis.append({"type": "meeting_minutes", "ref": f"{region.government}常务会议纪要"})
        major = rng.random() < 0.08
        stages = ["filing", "investigation", "decision", "execution"]
        if self.fault():
            stages.remove(rng.choice(stages))
        record_id = self.next_id("ec", region)
        return {
            "kind": "enforcement_case",
            "id": record_id,
            "region_code": region.code,
            "agency": self.agency(region),
            "case_number": f"{region.prefix[:2]}罚〔{region.year}〕{self.counter}号",
            "action_type": rng.choice(["penalty", "penalty", "license", "inspection", "compulsion"]),
            "officers": team,
            "opened_on": _iso(opened),
            "notified_on": _iso(notified),
            "decided_on": _iso(decided),
            "served_on": _iso(served),
            "published_on": _iso(published),
            "major": major,
            "legal_review_on": _iso(decided - dt.timedelta(days=2)) if major and not self.fault() else None,
            "legal_review_passed": True if major else None,
            "discretion_benchmark": "" if self.fault() else f"{region.government[:-4]}行政处罚裁量基准",
            "recorded_stages": stages,
            "basis": basis,
            "fine_amount": rng.choice([200, 500, 2000, 5000, 20000]),
        }

    def reconsideration_case(self, region: Region) -> dict:
        received = self.working_day(region)
        limit = self.calendar.deadline_after(received, 60).due_on
        decided = received + dt.timedelta(days=self.rng.randrange(20, 60))
        if self.fault():
            decided = limit + dt.timedelta(days=self.rng.randrange(1, 20))
        major = self.rng.random() < 0.15
        return {
            "kind": "reconsideration_case",
            "id": self.next_id("rc", region),
            "region_code": region.code,
            "agency": region.government,
            "received_on": _iso(received),
            "decided_on": _iso(decided),
            "extension_approved": False,
            "major": major,
            "handlers": ["张伟", "王芳", "李娜"][: 1 if self.fault() else (3 if major else 2)],
        }

    def major_decision(self, region: Region) -> dict:
        rng = self.rng
        decided = self.working_day(region)
        discussed = decided - dt.timedelta(days=rng.randrange(0, 5))
        reviewed = discussed - dt.timedelta(days=rng.randrange(2, 15))
        comment_end = reviewed - dt.timedelta(days=rng.randrange(2, 20))
        window = 30 if not self.fault() else rng.choice([7, 15])
        risk = rng.choice(["low", "low", "medium", "high"])
        return {
            "kind": "major_decision",
            "id": self.next_id("md", region),
            "region_code": region.code,
            "agency": region.government,
            "title": f"{region.government}关于{rng.choice(DEPARTMENTS)[:-1]}改革的决定",
            "decided_on": _iso(decided),
            "public_participation": not self.fault(),
            "comment_start": _iso(comment_end - dt.timedelta(days=window - 1)),
            "comment_end": _iso(comment_end),
            "expert_review": not self.fault(),
            "risk_level": risk,
            "risk_mitigated": not self.fault(),
            "legality_review_on": None if self.fault() else _iso(reviewed),
            "legality_review_passed": True,
            "collective_discussion_on": None if self.fault() else _iso(discussed),
            "hearing_required": False,
            "execution_subject": f"{region.government}办公室",
            "execution_deadline": "2年",
            "feedback_mechanism": "" if self.fault() else "每季度向政府报告执行情况",
        }


def generate_records(count: int, seed: int = 1) -> Iterator[dict]:
    """``count`` records; per region its officers (each with trainings) and half its documents come first.

    Streams: only officer ids and document numbers are kept, so a million records need little memory.
    """
    generator = _Generator(seed)
    kinds, weights = zip(*KIND_SHARES.items())
    per_region = [count // len(REGIONS) + (1 if index < count % len(REGIONS) else 0) for index in range(len(REGIONS))]
    for region, total in zip(REGIONS, per_region):
        made = 0
        for _ in range(int(total * OFFICER_SHARE)):
            officer = generator.officer(region)
            yield officer
            made += 1
            sessions = 1 if generator.fault() else SESSIONS_PER_OFFICER
            for _ in range(sessions):
                if made < total:
                    yield generator.training_session(region, officer["id"])
                    made += 1
        for _ in range(int(total * KIND_SHARES["normative_document"] / 2)):
            if made < total:
                yield generator.normative_document(region)
                made += 1
        while made < total:
            yield getattr(generator, generator.rng.choices(kinds, weights)[0])(region)
            made += 1


def write_sample(path: str | Path, count: int, seed: int = 1) -> int:
    """Write ``count`` generated records as JSON Lines; returns the number written."""
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        for record in generate_records(count, seed):
            handle.write(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False))
            handle.write("\n")
            written += 1
    return written


# --- Agency registry and agency-level registers (issue #12) ----------------------------------------------

#: how many departments each region's registry holds besides its government
AGENCY_DEPARTMENTS = 4


def _agency_registers(generator: _Generator, region: Region) -> Iterator[dict]:
    """The region's registry (its government and a few departments) and a year of each agency's
    registers — the year's report sent in the next first quarter and published, study sessions,
    supervision activities, a legal counsel, reconsideration staff, lawsuits, recommendations and
    disclosure requests — each obligation missed (or late) with the generator's fault rate. Rows
    name their agency by id, a few by name only, as registers do."""
    rng, year, code = generator.rng, region.year, region.code
    level = "city" if code.endswith("00") else "county"
    agencies = [
        {
            "kind": "agency",
            "id": f"{code}-ag-gov",
            "region_code": code,
            "name": region.government,
            "level": level,
            "agency_type": "government",
            "existed_from": "1983-01-01",
        }
    ]
    for index, department in enumerate(DEPARTMENTS[:AGENCY_DEPARTMENTS]):
        agencies.append(
            {
                "kind": "agency",
                "id": f"{code}-ag-{index + 1}",
                "region_code": code,
                "name": region.government.replace("人民政府", "") + department,
                "level": level,
                "agency_type": "department",
                "existed_from": "2000-01-01",
            }
        )
    yield from agencies

    def owner(agency: dict) -> dict:
        if rng.random() < 0.2:  # a register that carries the agency's name only
            return {"agency": agency["name"]}
        return {"agency_id": agency["id"]}

    def row(kind: str, agency: dict, **values) -> dict:
        return {
            "kind": kind,
            "id": generator.next_id(kind[:2], region),
            "region_code": code,
            **owner(agency),
            **{key: _iso(value) if isinstance(value, dt.date) else value for key, value in values.items()},
        }

    for agency in agencies:
        government = agency["agency_type"] == "government"
        if not generator.fault():
            sent = dt.date(year + 1, 2, rng.randrange(1, 28)) if not generator.fault() else dt.date(year + 1, 4, 8)
            yield row(
                "annual_report",
                agency,
                report_year=year,
                submitted_on=sent,
                published_on=sent + dt.timedelta(days=rng.randrange(5, 30)),
            )
        lectures = 1 if generator.fault() else 2
        for _ in range(lectures if government else 0):
            yield row("study_session", agency, study_type="lecture", held_on=generator.day(region))
        for _ in range(0 if generator.fault() else (1 if government else 2)):
            yield row("study_session", agency, study_type="training_course", held_on=generator.day(region))
        if government:
            for activity in ("meeting_report", "meeting_report", "case_file_review", "filing_inspection"):
                if not generator.fault():
                    yield row("supervision_activity", agency, activity_type=activity, held_on=generator.day(region))
            if not generator.fault():
                yield row("study_session", agency, study_type="rc_training", held_on=generator.day(region))
            if not generator.fault():
                yield row(
                    "publication",
                    agency,
                    publication_type="filing_catalogue",
                    covers_year=year,
                    published_on=dt.date(year + 1, 3, rng.randrange(1, 31)),
                )
            if not generator.fault():
                yield row(
                    "publication",
                    agency,
                    publication_type="decision_catalogue",
                    covers_year=year,
                    published_on=dt.date(year, 2, rng.randrange(1, 28)),
                )
            for name in ("张丽", "李强"):
                yield row(
                    "reconsideration_staff",
                    agency,
                    name=name,
                    full_time=not generator.fault(),
                    serving_from=dt.date(year - 3, 1, 1),
                )
        start = dt.date(year, 1, 1) if not generator.fault() else dt.date(year, 3, 1)
        yield row(
            "legal_counsel",
            agency,
            counsel_name="杨律师",
            counsel_type="legal_adviser",
            engaged_from=start - dt.timedelta(days=365),
            engaged_until=dt.date(year + 1, 12, 31),
        )
        for _ in range(rng.randrange(0, 4)):
            hearing = generator.working_day(region)
            yield row(
                "administrative_lawsuit",
                agency,
                filed_on=hearing - dt.timedelta(days=60),
                hearing_on=hearing,
                appearance_required=rng.random() < 0.3,
                appeared_role="staff" if generator.fault() else rng.choice(["head", "deputy"]),
                concluded_on=min(hearing + dt.timedelta(days=45), dt.date(year, 12, 31)),
                lawsuit_outcome="lost" if rng.random() < 0.08 else "won",
            )
        received = generator.working_day(region)
        yield row(
            "recommendation",
            agency,
            recommendation_type=rng.choice(["judicial", "procuratorial"]),
            received_on=received,
            replied_on=received + dt.timedelta(days=rng.randrange(10, 50) if not generator.fault() else 75),
        )
        for _ in range(rng.randrange(1, 4)):
            asked = generator.working_day(region)
            # about 17 working days; a fault answers after some 40 calendar days (past 20 working days)
            answer = asked + dt.timedelta(days=24 if not generator.fault() else 40)
            yield row("disclosure_request", agency, received_on=asked, answered_on=answer)


def generate_agency_records(seed: int = 1) -> Iterator[dict]:
    """The agency registry and agency-level registers of every region (``sample generate --agencies``)."""
    generator = _Generator(seed)
    for region in REGIONS:
        yield from _agency_registers(generator, region)


def write_agency_sample(path: str | Path, seed: int = 1) -> int:
    """Write :func:`generate_agency_records` as JSON Lines; returns the number written."""
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        for record in generate_agency_records(seed):
            handle.write(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False) + "\n")
            written += 1
    return written
