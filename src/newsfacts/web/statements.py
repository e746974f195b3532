"""Facts as Russian statements: «Ерболат Досаев — аким Алматы (с 2022)».

A statement is a list of runs, plain text or an entity reference, so the template
can link every name without pasting markup together here. Names are the entities'
normalized nominative names; a place takes its genitive or locative only where
pymorphy2 knows the word as a place (`morph.place_case`), otherwise the statement
keeps the nominative after a comma. Record fields that are there for machines
(`position_text`, `value_span`, `time_kind`, …) feed the wording but are never
printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from newsfacts.api.present import prefetch_wording, wording_check
from newsfacts.web import labels as L
from newsfacts.web.morph import agree, gender, place_case
from newsfacts.web.render import entity_href

Run = dict[str, Any]
CURRENCIES = frozenset({"USD", "EUR", "KZT", "RUB", "KGS", "CNY", "UZS", "GBP", "JPY", "TRY"})


class _Out:
    """Runs joined with single spaces, punctuation glued to what precedes it."""

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def text(self, text: str) -> _Out:
        if text:
            self.runs.append({"text": text})
        return self

    def ref(self, ref: dict[str, Any], shown: str | None = None) -> _Out:
        # with its link, so the template prints it rather than call entity_href a name
        text = shown or str(ref.get("name") or "")
        self.runs.append({"text": text, "ref": ref, "href": entity_href(ref)})
        return self

    def value(self, v: Any, case: str | None = None) -> _Out:
        """An argument: an entity, a phrase, or a list of either («A, B и C»)."""
        items = v if isinstance(v, list) else [v]
        items = [x for x in items if x not in (None, "", [])]
        for i, item in enumerate(items):
            if i:
                self.text(" и " if i == len(items) - 1 else ", ")
            if _is_ref(item):
                shown = place_case(item["name"], case) if case and _is_place(item) else None
                self.ref(item, shown)
            else:
                self.text(str(item))
        return self

    def plain(self) -> str:
        return " ".join(r["text"] for r in self.runs).lower()

    def route(self, v: Any) -> _Out:
        """A route reads «Алматы – Милан – Алматы»."""
        for i, item in enumerate(_as_list(v)):
            if i:
                self.text("–")
            self.value(item)
        return self

    def done(self) -> list[Run]:
        out: list[Run] = []
        for run in self.runs:
            text = run["text"]
            glued = text.startswith((",", ":", ")", " ", "–", "%"))
            if out and not glued and not out[-1]["text"].endswith((" ", "(", "–")):
                out.append({"text": " "})  # outside the link, never underlined
            out.append(run)
        if out and "ref" not in out[0]:  # «завод намерен …» → «Завод намерен …»
            out[0] = {"text": out[0]["text"][:1].upper() + out[0]["text"][1:]}
        return out


def _is_ref(v: Any) -> bool:
    return isinstance(v, dict) and "key" in v and "name" in v


def _is_place(v: Any) -> bool:
    return _is_ref(v) and v.get("type") == "location"


def _subject_form(agents: list[Any]) -> int:
    """Index into a (masc, femn, neut, plural) tuple for the verb after `agents`."""
    if len(agents) != 1:
        return 3
    a = agents[0]
    g = gender(a["name"], a.get("type")) if _is_ref(a) else "masc"
    return {"masc": 0, "femn": 1, "neut": 2}[g]


def _as_list(v: Any) -> list[Any]:
    if v is None or v == "":
        return []
    return [x for x in (v if isinstance(v, list) else [v]) if x not in (None, "")]


def _place(out: _Out, args: dict[str, Any]) -> None:
    """«в Алматы» where the locative is known, else «(Алматы)»."""
    place = args.get("place")
    if place in (None, "", []):
        return
    said = out.plain()
    if _is_ref(place) and any(
        form and form.lower() in said for form in (place["name"], place_case(place["name"], "loct"))
    ):
        return  # «провести … в Астане» already says where
    if _is_place(place) and place_case(place["name"], "loct"):
        out.text("в").ref(place, place_case(place["name"], "loct"))
    else:
        out.text("(").value(place).text(")")


def _time(out: _Out, args: dict[str, Any], name: str = "time") -> None:
    phrase = L.when(args.get(name), args.get(f"{name}_kind"), args.get(f"{name}_resolved", True))
    if phrase.lower() not in out.plain():  # an unresolved time is often inside the object
        out.text(phrase)


def occupation(args: dict[str, Any], when: str | None) -> list[Run]:
    out = _Out().value(args.get("person") or "—").text("—")
    out.text(str(args.get("position") or "должность не указана"))
    where = args.get("where")
    if _is_ref(where):
        gen = place_case(where["name"], "gent") if _is_place(where) else None
        out.ref(where, gen) if gen else out.text(",").ref(where)
    phase = args.get("phase")
    year = L.year_of(args.get("time") if args.get("time_resolved", True) else None) or L.year_of(
        when
    )
    if phase == "start" and year:
        out.text(f"(с {year})")
    elif phase == "end" and year:
        out.text(f"(до {year})")
    return out.done()


def meeting(args: dict[str, Any], when: str | None) -> list[Run]:
    out = _Out().text("Встреча:").value(args.get("participants"))
    _place(out, args)
    _time(out, args)
    return out.done()


def intent(args: dict[str, Any], modality: str | None) -> list[Run]:
    agents = _as_list(args.get("agent"))
    out = _Out().value(agents) if agents else _Out().text("Стороны")
    if modality in L.MODALITY_VERB:
        out.text(L.MODALITY_VERB[modality][_subject_form(agents or [1, 2])])
    else:
        out.text(":")
    out.text(str(args.get("action") or "")).text(str(args.get("object") or ""))
    _place(out, args)
    _time(out, args)
    if args.get("on_behalf_of"):
        out.text("(от имени").value(args["on_behalf_of"], "gent").text(")")
    return out.done()


def proposal(args: dict[str, Any]) -> list[Run]:
    proposers = _as_list(args.get("proposer"))
    verbs = ("предложил", "предложила", "предложило", "предложили")
    out = _Out().value(proposers) if proposers else _Out().text("Предложено:")
    if proposers:
        out.text(verbs[_subject_form(proposers)])
    out.text(str(args.get("proposal") or ""))
    if _as_list(args.get("addressee")):
        out.text("(адресат:").value(args["addressee"]).text(")")
    parties = _as_list(args.get("parties"))
    said = out.plain()
    if parties and not all(_is_ref(p) and p["name"].lower() in said for p in parties):
        out.text("(стороны:").value(parties).text(")")
    _place(out, args)
    _time(out, args)
    return out.done()


def plan(args: dict[str, Any]) -> list[Run]:
    agents = _as_list(args.get("agent"))
    action = str(args.get("action") or "")
    verb = action.endswith(("ть", "ти", "чь", "ться"))
    if agents:
        out = _Out().value(agents).text("планируют" if len(agents) > 1 else "планирует")
        out.text(action if verb else f"{action}:")
    else:
        out = _Out().text(f"Планируется {action}" if verb else f"Планируется {action}:")
    out.text(str(args.get("object") or ""))
    if args.get("route"):
        out.text("(маршрут:").route(args["route"]).text(")")
    _place(out, args)
    _time(out, args)
    return out.done()


def launch(args: dict[str, Any]) -> list[Run]:
    out = _Out().text("Запуск:").text(str(args.get("object") or ""))
    if args.get("route"):
        out.text("(маршрут:").route(args["route"]).text(")")
    _place(out, args)
    _time(out, args)
    return out.done()


def discussion(args: dict[str, Any]) -> list[Run]:
    people = _as_list(args.get("participants"))
    verbs = ("обсудил", "обсудила", "обсудило", "обсудили")
    out = _Out().value(people) if people else _Out().text("Стороны")
    out.text(verbs[_subject_form(people or [1, 2])]).text(str(args.get("topic") or ""))
    return out.done()


def deal(args: dict[str, Any]) -> list[Run]:
    kind = args.get("kind")
    out = _Out().text(f"Сделка ({kind}):" if kind else "Сделка:").value(args.get("parties"))
    if args.get("object"):
        out.text("—").value(args["object"])
    if isinstance(args.get("value"), int | float):
        out.text(",").text(L.human(args["value"]))
    elif args.get("value"):
        out.text(",").value(args["value"])
    return out.done()


def ownership(args: dict[str, Any]) -> list[Run]:
    return _Out().value(args.get("owner")).text("— владелец:").value(args.get("property")).done()


def figure(value: Any, unit: str | None, qualifier: str | None = None) -> str:
    """«более 13,5 млн USD», «1200 предприятий», «12,5%»."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value or "—")
    scaled = abs(value) >= 1e6 or (unit in CURRENCIES and abs(value) >= 1e4)
    shown = L.human(value) if scaled else L.number(value)
    word = L.QUALIFIER.get(qualifier or "eq", "")
    if unit == "%":
        text = f"{shown}%"
    elif unit:
        text = f"{shown}{L.NBSP}{unit if unit in CURRENCIES else agree(unit, value, scaled)}"
    else:
        text = shown
    return f"{word} {text}" if word else text


def quantity(args: dict[str, Any]) -> list[Run]:
    indicator = str(args.get("indicator") or "показатель")
    out = _Out().text(indicator[:1].upper() + indicator[1:])
    subjects = _as_list(args.get("subjects"))
    if len(subjects) == 2 and all(_is_place(s) for s in subjects):
        out.ref(subjects[0]).text("–").ref(subjects[1])
    elif len(subjects) == 1 and _is_place(subjects[0]) and place_case(subjects[0]["name"], "gent"):
        out.value(subjects, "gent")  # «Число предприятий Индонезии»
    elif subjects:
        out.text("(").value(subjects).text(")")
    out.text(":").text(figure(args.get("value"), args.get("unit"), args.get("qualifier")))
    period = args.get("period")
    if isinstance(period, dict):
        period = period.get("value")
    if isinstance(period, str) and period:
        resolved = args.get("period_resolved", True)
        phrase = L.date(period) if resolved else period
        full_day = len(period) >= 10 and resolved
        out.text(("на " if full_day else "за ") + phrase if resolved else phrase)
    change = args.get("change")
    if isinstance(change, dict) and isinstance(change.get("value"), int | float):
        v = change["value"]
        sign = "+" if v > 0 else ""
        shown = figure(v, change.get("unit")).replace("-", "−")
        against = f" к {L.year_of(change['against'])}" if change.get("against") else ""
        out.text(f"({sign}{shown}{against})")
    return out.done()


_BY_TYPE: dict[str, Callable[[dict[str, Any]], list[Run]]] = {
    "proposal": proposal,
    "plan": plan,
    "launch": launch,
    "discussion": discussion,
    "deal": deal,
    "ownership": ownership,
    "quantity": quantity,
}


def statement(fact: dict[str, Any], published: str | None = None) -> list[Run]:
    """The runs of one fact as `api.present.fact_json` gives it (entity args resolved)."""
    args = fact.get("args") or {}
    when = fact.get("time") or published or (fact.get("article") or {}).get("published")
    kind = fact.get("type")
    if kind == "occupation":
        return occupation(args, when)
    if kind == "meeting":
        return meeting(args, when)
    if kind == "intent":
        return intent(args, fact.get("modality"))
    if kind in _BY_TYPE:
        runs = _BY_TYPE[kind](args)
        note = L.FIGURE_MODALITY.get(str(fact.get("modality")), "")
        if note and kind in ("quantity", "launch"):  # «Прогноз: Товарооборот …»
            return [{"text": note[:1].upper() + note[1:] + ": "}, *runs]
        return runs
    label = L.FACT_TYPE.get(str(kind), "факт")
    out = _Out().text(label[:1].upper() + label[1:] + ":")
    for value in args.values():
        if _is_ref(value) or isinstance(value, str | list):
            out.value(value)
    return out.done()


def guarded(fact: dict[str, Any], published: str | None = None) -> list[Run]:
    """The statement, unless its wording repeats the article's own text beyond the
    quotable set («Данияр Сапаров предложил создать …» is often the article's
    sentence): then the fact's label and its names, else the label alone (issue 12)."""
    return _checked(fact, statement(fact, published))


def _checked(fact: dict[str, Any], runs: list[Run]) -> list[Run]:
    check = wording_check(fact)
    if check is None or check(plain(runs)):
        return runs
    label = L.FACT_TYPE.get(str(fact.get("type")), "факт")
    out = _Out().text(label[:1].upper() + label[1:] + ":")
    for i, run in enumerate(r for r in runs if "ref" in r):
        if i:
            out.text(";")
        out.runs.append(run)
    listed = out.done()
    if check(plain(listed)):
        return listed
    return _Out().text(label[:1].upper() + label[1:]).done()


class Statements:
    """`guarded` for the facts a page shows, each worded once, and checked before
    the template renders: the statements are looked up together first
    (`prefetch_wording`: one read for the texts holding them), and a statement was
    composed twice, to prefetch and again to print (issue 13). A page gives it to
    its template as `statement`, in place of the `guarded` global; a fact it was
    not given (a card with an analyst's fixes is a new dict, `curation.curated`)
    goes to `guarded`. The answers are `guarded`'s."""

    def __init__(self, facts: Iterable[dict[str, Any]]) -> None:
        page = list({id(f): f for f in facts}.values())
        runs = [statement(f) for f in page]
        prefetch_wording(plain(r) for r in runs)
        self._said = {id(f): (f, _checked(f, r)) for f, r in zip(page, runs, strict=True)}

    def __call__(self, fact: dict[str, Any]) -> list[Run]:
        found = self._said.get(id(fact))
        if found is not None and found[0] is fact:
            return found[1]
        return guarded(fact)


def plain(runs: list[Run]) -> str:
    """The statement as one string (titles, tests, CSV-free summaries)."""
    return "".join(r["text"] for r in runs)
