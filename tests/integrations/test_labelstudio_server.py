"""The whole correction loop against a real Label Studio server.

proplens' config makes the project, exported tasks go in with their
pre-annotations, a person's annotations are added through the REST API (with
offsets counted as a browser counts them), Label Studio's own JSON export comes
back, and ``proplens labelstudio import`` must turn it into exactly the spans
the person marked. Slow (a server start); skipped unless PROPLENS_LABEL_STUDIO
names a label-studio executable (CI sets it).
"""

from __future__ import annotations

import json

import pytest

from proplens.article import Article, Span
from proplens.cli import main
from proplens.formats.semeval import load_corpus
from proplens.integrations.labelstudio import articles_to_tasks, labeling_config

httpx = pytest.importorskip("httpx")
pytestmark = [pytest.mark.slow, pytest.mark.labelstudio]

FIRST = (
    "Harbour 🚢 deal passes\r\n\r\n"
    "The 😀 so-called experts backed a disastrous plan.\r\n"
    "Can we really trust a mayor who hides the contract? 🇬🇧 Never again!\r\n"
)
SECOND = "Budget night\n\nOnly a fool would believe these numbers. It is what it is.\n"
THIRD = "Quiet day\n\nThe ferry ran on time and nobody complained.\n"


def at(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def browser_offsets(text: str, fragment: str) -> tuple[int, int]:
    """Where a browser selection of ``fragment`` starts and ends (UTF-16 code units)."""
    start, end = at(text, fragment)
    return len(text[:start].encode("utf-16-le")) // 2, len(text[:end].encode("utf-16-le")) // 2


def person_region(text: str, fragment: str, label: str, number: int) -> dict:
    start, end = browser_offsets(text, fragment)
    return {
        "id": f"person{number}",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": fragment, "labels": [label]},
    }


def articles() -> list[Article]:
    first = Article(id="1001", text=FIRST).with_spans(
        [
            Span(*at(FIRST, "so-called experts"), "Name_Calling,Labeling", 0.61),
            Span(*at(FIRST, "disastrous"), "Exaggeration,Minimisation", 0.34),  # person: wrong
            Span(*at(FIRST, "The 😀"), "Doubt", 0.12),  # person: not propaganda
        ]
    )
    second = Article(id="budget-night", text=SECOND).with_spans(
        [Span(*at(SECOND, "Only a fool"), "Name_Calling,Labeling", 0.5)]
    )
    return [first, second, Article(id="1003", text=THIRD)]


class Api:
    def __init__(self, server) -> None:
        self.client = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Token {server.token}"}, timeout=60
        )

    def call(self, method: str, path: str, **kwargs):
        answer = self.client.request(method, path, **kwargs)
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None


def test_round_trip_through_a_real_label_studio(label_studio, tmp_path, capsys):
    api = Api(label_studio)
    project = api.call(
        "POST", "/api/projects", json={"title": "proplens", "label_config": labeling_config()}
    )
    tasks = articles_to_tasks(articles(), {"name": "proplens-minilm", "version": "test"})
    imported = api.call("POST", f"/api/projects/{project['id']}/import", json=tasks)
    assert imported["task_count"] == 3 and imported["prediction_count"] == 3
    listed = api.call("GET", "/api/tasks", params={"project": project["id"], "page_size": 10})
    task_of = {t["data"]["id"]: t["id"] for t in listed["tasks"]}
    assert task_of.keys() == {"1001", "budget-night", "1003"}

    # 1001: the person keeps one pre-annotation, relabels one, deletes one, adds two.
    prediction = next(t for t in tasks if t["data"]["id"] == "1001")["predictions"][0]["result"]
    (experts,) = [r for r in prediction if r["value"]["text"] == "so-called experts"]
    kept = {**experts, "origin": "prediction-changed"}
    first_result = [
        kept,
        person_region(FIRST, "disastrous", "Loaded_Language", 1),
        person_region(FIRST, "Can we really trust a mayor who hides the contract?", "Doubt", 2),
        person_region(FIRST, "🇬🇧 Never again!", "Slogans", 3),
    ]
    annotate = "/api/tasks/{}/annotations".format
    api.call("POST", annotate(task_of["1001"]), json={"result": first_result, "lead_time": 42.0})

    # budget-night: two annotators; the first one's later edit makes it the newest.
    budget = annotate(task_of["budget-night"])
    early = api.call(
        "POST", budget, json={"result": [person_region(SECOND, "Only a fool", "Doubt", 4)]}
    )
    api.call("POST", budget, json={"result": [person_region(SECOND, "these numbers", "Doubt", 5)]})
    fixed = [
        person_region(SECOND, "Only a fool", "Name_Calling,Labeling", 6),
        person_region(SECOND, "It is what it is.", "Thought-terminating_Cliches", 7),
    ]
    api.call("PATCH", f"/api/annotations/{early['id']}", json={"result": fixed})

    # 1003: skipped by the person (a cancelled annotation): not imported.
    api.call("POST", annotate(task_of["1003"]), json={"result": [], "was_cancelled": True})

    export = api.call(
        "GET",
        f"/api/projects/{project['id']}/export",
        params={"exportType": "JSON", "download_all_tasks": "true"},
    )
    export_path = tmp_path / "export.json"
    export_path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "corrections"
    assert main(["labelstudio", "import", str(export_path), "--output", str(out)]) == 0
    report = capsys.readouterr().err
    assert "imported 2 article(s) with 6 span(s)" in report
    assert "skipped 1 task(s) with no finished annotation" in report
    assert "ignored 1 cancelled annotation(s)" in report

    corpus = {a.id: a for a in load_corpus(out)}
    assert corpus.keys() == {"1001", "budget-night"}
    assert corpus["1001"].text == FIRST and corpus["budget-night"].text == SECOND  # CRLF kept
    assert (out / "articles" / "article1001.txt").read_bytes() == FIRST.encode("utf-8")

    def marked(article_id: str) -> list[tuple[str, str]]:
        article = corpus[article_id]
        return [(article.span_text(s), s.technique) for s in article.spans]

    assert marked("1001") == [
        ("so-called experts", "Name_Calling,Labeling"),
        ("disastrous", "Loaded_Language"),
        ("Can we really trust a mayor who hides the contract?", "Doubt"),
        ("🇬🇧 Never again!", "Slogans"),
    ]
    assert [(s.start, s.end) for s in corpus["1001"].spans] == [
        at(FIRST, "so-called experts"),
        at(FIRST, "disastrous"),
        at(FIRST, "Can we really trust a mayor who hides the contract?"),
        at(FIRST, "🇬🇧 Never again!"),
    ]
    assert marked("budget-night") == [
        ("Only a fool", "Name_Calling,Labeling"),
        ("It is what it is.", "Thought-terminating_Cliches"),
    ]
    # the pre-annotations arrived as predictions: model version, overall and region scores
    (stored,) = api.call("GET", "/api/predictions", params={"task": task_of["1001"]})
    assert stored["model_version"] == "proplens-minilm test"
    assert stored["score"] == pytest.approx((0.61 + 0.34 + 0.12) / 3, abs=1e-4)
    assert sorted(r["score"] for r in stored["result"]) == [0.12, 0.34, 0.61]
