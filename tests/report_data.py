"""A team's quarter for the retrospective tests, the benchmark and the README's
pictures: cycles with focus areas, metrics with weekly readings, experiments with
their arms, results and stored analyses (made by the real ``analyse_result_set``),
guardrails (one made worse), one result with a sample-ratio mismatch, decisions,
learnings (one in Arabic), action items in every state and hypotheses selected
for the next cycle. Seeded, so the same call gives the same quarter.

Also the tests' reading of a PDF, with poppler's command-line tools (CI installs
them): its pages' text, word boxes, links, bookmarks and page size.
"""

from __future__ import annotations

import random
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from xml.etree import ElementTree

from sqlmodel import Session, select

from experiments.cycles import ActionStatus, IsoWeek, Phase, weeks_between
from tracker.models import (
    ActionItem,
    Area,
    Arm,
    Cycle,
    DecisionAction,
    ExpectedDirection,
    Experiment,
    ExperimentStatus,
    Guardrail,
    Hypothesis,
    HypothesisStatus,
    Learning,
    LearningExperiment,
    Metric,
    MetricKind,
    Outcome,
    Reading,
    ResultSet,
    ResultSnapshot,
    Role,
    Stage,
    TeamSettings,
    User,
)

ARABIC_TITLE = "رسالة ترحيب بالعربية للعملاء الجدد"
ARABIC_CHANGE = "نرسل رسالة ترحيب باللغة العربية خلال ساعة من التسجيل"
ARABIC_RATIONALE = "العملاء يستجيبون أسرع بلغتهم الأم"
MIXED_TITLE = "Arabic onboarding e-mail (رسالة الترحيب) for MENA leads"
ARABIC_LEARNING = "العملاء في الخليج يفضلون المكالمة قبل العرض التجريبي"
SRM_INDEX = 3  # its arms got 42.5% and 57.5% of a 50/50 split: it won, but untrusted
GUARDED = 2  # every second experiment guards a second metric; the first of them is hurt

PEOPLE = ("Amira Haddad", "Jonas Berg", "Priya Nair", "Tom Okafor")

METRICS = (
    # name, area, stage, kind, unit, direction, base value
    ("Visitor to lead conversion", "Marketing", "Awareness", "proportion", "%", "higher", 0.031),
    ("MQL to SQL conversion", "Marketing", "Consideration", "proportion", "%", "higher", 0.24),
    ("Win rate", "Sales", "Decision", "proportion", "%", "higher", 0.21),
    ("Average deal size", "Sales", "Decision", "mean", "USD", "higher", 14200.0),
    ("CSAT", "Service", "Retention", "proportion", "%", "higher", 0.86),
    (
        "Escalations per 100 tickets",
        "Service",
        "Retention",
        "rate",
        "per 100 tickets",
        "lower",
        0.045,
    ),
)

CHANGES = (
    "shorten the demo request form to four fields",
    "send the pricing page to leads after their second visit",
    "call new MQLs within five minutes",
    "add a customer story to the proposal",
    "offer a two-week pilot instead of a free trial",
    "route enterprise leads to senior reps",
    "add live chat to the pricing page",
    "follow up escalations with a personal call",
    "send a CSAT survey the day after resolution",
    "show an ROI calculator on the demo page",
    "add a mutual action plan to every late-stage deal",
    "run onboarding as a group webinar",
)


@dataclass
class Quarter:
    """What was made, for the tests' own counts."""

    weeks: list[IsoWeek]
    cycles: list[Cycle] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    learnings: list[Learning] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    selected: list[Hypothesis] = field(default_factory=list)


FORECASTS = (0.7, 0.25, 0.55, 0.8, 0.4, 0.15, 0.65, 0.9, 0.35)
UNIT_VALUES = {"Visitor to lead conversion": 120.0, "MQL to SQL conversion": 450.0}


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), UTC)


def build_quarter(
    session: Session,
    *,
    first: IsoWeek,
    last: IsoWeek,
    experiments: int = 12,
    seed: int = 7,
    analyse: bool = True,
) -> Quarter:
    """Fill ``session`` with the weeks ``first`` to ``last`` and commit."""
    rng = random.Random(seed)
    quarter = Quarter(weeks=weeks_between(first, last))
    areas = {area.name: area for area in session.exec(select(Area)).all()}
    stages = {stage.name: stage for stage in session.exec(select(Stage)).all()}
    quarter.users = [
        User(
            email=f"{name.split()[0].lower()}@example.com",
            display_name=name,
            role=Role.editor,
            password_hash="x",
        )
        for name in PEOPLE
    ]
    session.add_all(quarter.users)
    metrics = _metrics(session, areas, stages)
    session.flush()
    _readings(session, metrics, quarter.weeks, rng)
    _cycles(session, quarter, areas)
    session.flush()
    _experiments(session, quarter, metrics, areas, experiments, rng, analyse=analyse)
    _learnings(session, quarter, areas)
    _actions(session, quarter, rng)
    _selected(session, quarter, metrics, areas)
    settings = session.get(TeamSettings, 1)
    if settings is not None:
        settings.focus_area_id = areas["Sales"].id
    session.commit()
    return quarter


def _metrics(session: Session, areas: dict[str, Area], stages: dict[str, Stage]) -> list[Metric]:
    metrics = []
    for name, area, stage, kind, unit, direction, _base in METRICS:
        metric = Metric(
            name=name,
            area_id=areas[area].id or 0,
            stage_id=stages[stage].id,
            kind=MetricKind(kind),
            unit=unit,
            direction=direction,
            # what one more unit is worth, for the impact ledger (proportions and rates)
            unit_value=None if kind == "mean" else UNIT_VALUES.get(name, 40.0),
        )
        session.add(metric)
        metrics.append(metric)
    return metrics


def _readings(
    session: Session, metrics: list[Metric], weeks: list[IsoWeek], rng: random.Random
) -> None:
    for metric, spec in zip(metrics, METRICS, strict=True):
        base = spec[-1]
        for index, week in enumerate(weeks):
            drift = 1 + 0.012 * index + rng.uniform(-0.04, 0.04)
            reading = Reading(
                metric_id=metric.id or 0, period_start=week.monday, period_end=week.sunday
            )
            if metric.kind == MetricKind.proportion:
                trials = rng.randint(900, 1400)
                reading.trials = trials
                reading.successes = round(trials * min(base * drift, 0.99))
            elif metric.kind == MetricKind.mean:
                reading.n, reading.mean, reading.sd = 40, base * drift, base * 0.4
            else:
                reading.exposure = 1000.0
                reading.events = round(1000 * base / drift)
            session.add(reading)


def _cycles(session: Session, quarter: Quarter, areas: dict[str, Area]) -> None:
    order = ["Marketing"] * 4 + ["Sales"] * 5 + ["Service"] * 4
    for index, week in enumerate(quarter.weeks):
        focus = areas[order[index * len(order) // len(quarter.weeks)]]
        is_last = index == len(quarter.weeks) - 1
        cycle = Cycle(
            iso_week=str(week),
            starts_on=week.monday,
            focus_area_id=focus.id,
            phase=Phase.act if is_last else Phase.closed,
            closed_at=None if is_last else _moment(week.sunday),
            meeting_date=week.monday + timedelta(days=1),
            next_focus_area_id=areas["Sales"].id if is_last else None,
        )
        session.add(cycle)
        quarter.cycles.append(cycle)


def _experiments(
    session: Session,
    quarter: Quarter,
    metrics: list[Metric],
    areas: dict[str, Area],
    count: int,
    rng: random.Random,
    *,
    analyse: bool,
) -> None:
    weeks = quarter.weeks
    for index in range(count):
        metric = metrics[index % len(metrics)]
        arabic = index == 1
        start_week = weeks[min(index * len(weeks) // max(count, 1), len(weeks) - 1)]
        started = start_week.monday + timedelta(days=rng.randint(0, 2))
        hypothesis = Hypothesis(
            title=ARABIC_TITLE if arabic else CHANGES[index % len(CHANGES)].capitalize(),
            change=ARABIC_CHANGE if arabic else CHANGES[index % len(CHANGES)],
            metric_id=metric.id,
            direction=(
                ExpectedDirection.decrease
                if metric.direction == "lower"
                else ExpectedDirection.increase
            ),
            expected_effect=float(rng.choice((5, 8, 10, 15))),
            rationale=ARABIC_RATIONALE if arabic else "buyers told us in call reviews",
            area_id=metric.area_id,
            status=HypothesisStatus.testing,
            score=round(rng.uniform(4, 9), 1),
            # a scorer's forecast that it wins (fixed, so the seed's draws stay as they were)
            forecast_win_probability=FORECASTS[index % len(FORECASTS)],
            forecast_by_id=quarter.users[(index + 1) % len(quarter.users)].id,
        )
        session.add(hypothesis)
        session.flush()
        title = MIXED_TITLE if arabic else f"{CHANGES[index % len(CHANGES)].capitalize()}"
        if index >= len(CHANGES):
            title += f" (round {index // len(CHANGES) + 1})"
        days = rng.randint(14, 35)
        decided_on = started + timedelta(days=days)
        decided = decided_on <= weeks[-1].sunday and index % 5 != 4
        experiment = Experiment(
            hypothesis_id=hypothesis.id,
            title=title,
            owner_id=quarter.users[index % len(quarter.users)].id,
            primary_metric_id=metric.id or 0,
            status=ExperimentStatus.decided if decided else ExperimentStatus.running,
            baseline=METRICS[index % len(METRICS)][-1],
            baseline_sd=METRICS[index % len(METRICS)][-1] * 0.4
            if metric.kind == MetricKind.mean
            else None,
            mde=0.1,
            mde_relative=True,
            planned_total=2000 if metric.kind == MetricKind.mean else 40000,
            started_on=started,
        )
        session.add(experiment)
        session.flush()
        guard = metrics[(index + 1) % len(metrics)] if index % GUARDED == 0 else None
        if guard is not None:
            session.add(Guardrail(experiment_id=experiment.id or 0, metric_id=guard.id or 0))
        _results(session, experiment, metric, index, rng, analyse=analyse, guard=guard)
        if decided:
            outcome = (Outcome.won, Outcome.lost, Outcome.inconclusive)[index % 3]
            experiment.outcome = outcome
            experiment.action = {
                Outcome.won: DecisionAction.ship,
                Outcome.lost: DecisionAction.abandon,
                Outcome.inconclusive: DecisionAction.iterate,
            }[outcome]
            experiment.rationale = (
                "يكفي هذا الفرق لاعتماد التغيير في كل الحملات"
                if arabic
                else "The interval sits clear of zero at the planned sample; roll it out."
                if outcome is Outcome.won
                else "The variant did worse than control; we keep the current process."
                if outcome is Outcome.lost
                else "Too close to call at the planned sample; we will try a bolder change."
            )
            experiment.decided_at = _moment(decided_on)
            hypothesis.status = {
                Outcome.won: HypothesisStatus.validated,
                Outcome.lost: HypothesisStatus.invalidated,
                Outcome.inconclusive: HypothesisStatus.inconclusive,
            }[outcome]
        quarter.experiments.append(experiment)


def _results(
    session: Session,
    experiment: Experiment,
    metric: Metric,
    index: int,
    rng: random.Random,
    *,
    analyse: bool,
    guard: Metric | None = None,
) -> None:
    names = ["Control", "Variant B"] + (["Variant C"] if index % 4 == 0 else [])
    arms = [
        Arm(
            experiment_id=experiment.id or 0,
            name=name,
            share=1 / len(names),
            is_control=position == 0,
            position=position,
        )
        for position, name in enumerate(names)
    ]
    session.add_all(arms)
    if metric.kind != MetricKind.mean:
        experiment.planned_total = 20000 * len(names)
    result_set = ResultSet(
        experiment_id=experiment.id or 0,
        recorded_at=_moment(
            experiment.started_on + timedelta(days=14) if experiment.started_on else date.today()
        ),
    )
    session.add(result_set)
    session.flush()
    effect = (0.14, -0.1, 0.005)[index % 3]
    snapshots = []
    for measured in [metric] + ([guard] if guard is not None else []):
        base = METRICS[[m[0] for m in METRICS].index(measured.name)][-1]
        # the first guarded experiment makes its guardrail clearly worse
        hurt = measured is guard and index == 0
        guard_effect = (-0.3 if measured.direction == "higher" else 0.3) if hurt else 0.0
        for position, arm in enumerate(arms):
            lift = 0.0 if arm.is_control else effect * rng.uniform(0.8, 1.2)
            if measured is guard:
                lift = 0.0 if arm.is_control else guard_effect
            snap = ResultSnapshot(
                result_set_id=result_set.id or 0,
                experiment_id=experiment.id or 0,
                arm_id=arm.id or 0,
                metric_id=measured.id or 0,
            )
            size = rng.randint(19850, 20150)  # enough for a won or lost result to be clear
            if index == SRM_INDEX:
                size = (17000, 23000, 20000)[position]
            _figures(snap, measured, size, base * (1 + lift))
            snapshots.append(snap)
    session.add_all(snapshots)
    session.flush()
    if analyse:
        from tracker.experiments.analysis import analyse_result_set

        analyse_result_set(
            session,
            experiment=experiment,
            result_set=result_set,
            arms=arms,
            metrics=[metric] + ([guard] if guard is not None else []),
            snapshots=snapshots,
        )
    else:
        experiment.latest_result_set_id = result_set.id


def _figures(snap: ResultSnapshot, metric: Metric, size: int, value: float) -> None:
    if metric.kind == MetricKind.proportion:
        snap.trials, snap.successes = size, round(size * min(value, 0.99))
    elif metric.kind == MetricKind.mean:
        snap.n, snap.mean, snap.sd = size // 20, value, value * 0.4
    else:
        snap.exposure, snap.events = float(size), round(size * value)


def _learnings(session: Session, quarter: Quarter, areas: dict[str, Area]) -> None:
    decided = [e for e in quarter.experiments if e.outcome]
    texts = [
        ARABIC_LEARNING,
        "Speed to lead beats every other lever we tried: the first five minutes decide.",
        "A customer story in the proposal helps mid-market deals, not enterprise ones.",
        "Escalations fall when the same person who resolved the ticket calls back.",
    ]
    for index, text in enumerate(texts):
        day = quarter.weeks[min(2 + 3 * index, len(quarter.weeks) - 1)].monday
        learning = Learning(
            text=text,
            area_id=areas[("Sales", "Sales", "Sales", "Service")[index]].id,
            tags="speed,leads" if index == 1 else "",
            created_at=_moment(day),
            author_id=quarter.users[0].id,
        )
        session.add(learning)
        session.flush()
        for experiment in decided[index::4][:2]:
            session.add(
                LearningExperiment(learning_id=learning.id or 0, experiment_id=experiment.id or 0)
            )
        quarter.learnings.append(learning)


def _actions(session: Session, quarter: Quarter, rng: random.Random) -> None:
    titles = (
        "Update the MQL routing rules in the CRM",
        "Brief the SDR team on the five-minute call rule",
        "Add the customer story to the proposal template",
        "Review the escalation playbook with support leads",
        "Clean up duplicate leads from the webinar import",
        "Draft the pilot agreement with legal",
        "Set up the weekly CSAT export",
        "Retire the old demo form",
    )
    cycles = quarter.cycles
    for index in range(2 * len(cycles)):
        first = cycles[index * len(cycles) // (2 * len(cycles))]
        first_index = cycles.index(first)
        state = index % 5
        carried = {0: 0, 1: 1, 2: 3, 3: 0, 4: 2}[state]
        current = cycles[min(first_index + carried, len(cycles) - 1)]
        status = {
            0: ActionStatus.done,
            1: ActionStatus.open,
            2: ActionStatus.open,
            3: ActionStatus.done,
            4: ActionStatus.in_progress,
        }[state]
        item = ActionItem(
            title=titles[index % len(titles)],
            owner_id=quarter.users[index % len(quarter.users)].id,
            cycle_id=current.id or 0,
            first_cycle_id=first.id or 0,
            due_week=first.iso_week,
            status=status,
            carried_count=carried,
            finished_week=current.iso_week if status is ActionStatus.done else None,
            finished_at=_moment(current.starts_on) if status is ActionStatus.done else None,
        )
        session.add(item)
        quarter.actions.append(item)


def _selected(
    session: Session, quarter: Quarter, metrics: list[Metric], areas: dict[str, Area]
) -> None:
    for index, change in enumerate(
        (
            "pair every new rep with a mentor for their first ten calls",
            "send a recap e-mail within an hour of each demo",
        )
    ):
        hypothesis = Hypothesis(
            title=change.capitalize(),
            change=change,
            metric_id=metrics[2].id,
            expected_effect=6.0 + index,
            rationale="top reps already do it",
            area_id=areas["Sales"].id or 0,
            status=HypothesisStatus.selected,
            score=8.5 - index,
        )
        session.add(hypothesis)
        quarter.selected.append(hypothesis)


# ------------------------------------------------------------ reading PDFs

# direction marks and isolates, and the word joiner Typst puts before a page number
ISOLATES = re.compile("[\u200e\u200f\u2060\u202a-\u202e\u2066-\u2069]")


def flat(text: str) -> str:
    """Text with line breaks and doubled spaces folded, the direction marks left
    out, and NFKC so that Arabic presentation forms compare equal to letters."""
    return " ".join(ISOLATES.sub("", unicodedata.normalize("NFKC", text)).split())


def arabic(text: str) -> str:
    """Text to compare Arabic with what poppler reads back: the lam-alef ligature
    (and lam with any alef) is one glyph whose letters poppler gives in visual
    order ("ال" for "لا"): both sides are written so."""
    return re.sub("ل([اأإآى])", r"\1ل", flat(text))


def has_words(typed: str, text: str) -> bool:
    """Whether every word of ``typed`` is in ``text`` as poppler reads it (it may
    give a run of Arabic words in visual order, so the words are compared)."""
    found = {word.strip("()") for word in arabic(text).split()}
    return all(word.strip("()") in found for word in arabic(typed).split())


def lines(words: list[tuple[int, float, float, str]]) -> list[list[tuple[float, str]]]:
    """Word boxes grouped into lines, top to bottom: (x, word) in each."""
    found: list[list[tuple[float, str]]] = []
    last: tuple[int, float] | None = None
    for page, x, y, word in sorted(words, key=lambda w: (w[0], w[2])):
        if last is None or page != last[0] or y - last[1] > 5:
            found.append([])
            last = (page, y)
        found[-1].append((x, word))
    return found


def _poppler(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@dataclass
class ReadPdf:
    """A PDF as poppler reads it."""

    path: Path

    @property
    def info(self) -> dict[str, str]:
        lines = _poppler("pdfinfo", str(self.path)).splitlines()
        return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}

    @property
    def page_count(self) -> int:
        return int(self.info["Pages"])

    def pages(self, *, layout: bool = False) -> list[str]:
        """Each page's text in the order it was drawn (or laid out as on the page)."""
        mode = "-layout" if layout else "-raw"
        args = ["pdftotext", "-enc", "UTF-8", mode, str(self.path), "-"]
        return _poppler(*args).split("\f")[: self.page_count]

    def words(self) -> list[tuple[int, float, float, str]]:
        """(page, x, y, word) of every word, from ``pdftotext -bbox``."""
        found = []
        xml = _poppler("pdftotext", "-bbox", str(self.path), "-")
        for number, page in enumerate(xml.split("<page ")[1:], start=1):
            for x, y, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', page
            ):
                found.append((number, float(x), float(y), ISOLATES.sub("", word)))
        return found

    def boxes(self) -> list[tuple[int, float, float, float, float, str]]:
        """(page, left, top, right, bottom) and the word, of every word."""
        xml = _poppler("pdftotext", "-bbox", str(self.path), "-")
        pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<'
        return [
            (number, float(x0), float(y0), float(x1), float(y1), ISOLATES.sub("", word))
            for number, page in enumerate(xml.split("<page ")[1:], start=1)
            for x0, y0, x1, y1, word in re.findall(pattern, page)
        ]

    def overlapping_words(self) -> list[tuple[int, str, str]]:
        """(page, word, word) of two words printed over each other on one line:
        their middles level (within a third of the smaller's height) and their
        boxes overlapping by more than half a point."""
        found = []
        boxes = [box for box in self.boxes() if box[5].strip()]
        for i, (page, x0, y0, x1, y1, word) in enumerate(boxes):
            for other, u0, v0, u1, v1, beside in boxes[i + 1 :]:
                if other != page:
                    break
                level = abs((y0 + y1) - (v0 + v1)) / 2 <= min(y1 - y0, v1 - v0) / 3
                if level and min(x1, u1) - max(x0, u0) > 0.5:
                    found.append((page, word, beside))
        return found

    def _xml(self) -> ElementTree.Element:
        xml = _poppler("pdftohtml", "-xml", "-i", "-stdout", "-q", str(self.path))
        return ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))

    def links(self) -> list[tuple[int, str, int]]:
        """(page, text, target page) of every link inside the document."""
        found = []
        for page in self._xml().iter("page"):
            for link in page.iter("a"):
                target = re.search(r"#(\d+)$", link.get("href", ""))
                if target:
                    text = flat("".join(link.itertext()))
                    found.append((int(page.get("number", "0")), text, int(target.group(1))))
        return found

    def bookmarks(self) -> list[tuple[int, str, int]]:
        """(depth, title, page) of every bookmark, in order."""
        found: list[tuple[int, str, int]] = []

        def walk(outline: ElementTree.Element, depth: int) -> None:
            for item in outline:
                if item.tag == "item":
                    found.append((depth, flat(item.text or ""), int(item.get("page", "0"))))
                elif item.tag == "outline":
                    walk(item, depth + 1)

        for outline in self._xml().findall("outline"):
            walk(outline, 0)
        return found

    def fonts(self) -> set[str]:
        """The fonts' names, without their subset tags."""
        lines = _poppler("pdffonts", str(self.path)).splitlines()[2:]
        return {line.split()[0].split("+")[-1] for line in lines if line.strip()}
