"""The subject access report as a printable HTML document the data protection officer can send
to the requester.

Self-contained: one file, no script, no image, no stylesheet or font from elsewhere. Tables carry
their borders as attributes, so the document reads the same where its inline style is not applied
(the service's Content-Security-Policy forbids inline styles; a saved copy has them). Every value
is escaped, whatever the records hold. A personal field erased from the records reads "erased",
never blank.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timezone
from html import escape
from typing import Any

ERASED = "erased"
NOTHING = "none"
STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; margin: 2em; color: #000; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 2em; } h3 { font-size: 12pt; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #444; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
.erased { font-style: italic; }
@media print { h2 { page-break-before: always; } tr { page-break-inside: avoid; } }
"""
TABLE = '<table border="1" cellpadding="4" cellspacing="0">'


def subject_access_document(report: dict[str, Any]) -> str:
    child = report["child_id"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Subject access report: child {_text(child)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>Subject access report</h1>",
        f"<p>Everything the council's education services hold about child {_text(child)}, "
        "for a subject access request under UK GDPR Article 15.</p>",
        _facts(
            [
                ("Child", child),
                ("Report produced", _instant(report["produced_at"])),
                ("Produced by", f"{report['produced_by']['actor']} ({_role(report['produced_by']['role'])})"),
                ("Covers the records up to log position", report["log_position"]),
                ("Events held about the child", len(report["events"])),
                ("Reads of the child's record", len(report["record_reads"]) + len(report["bulk_reads"])),
            ]
        ),
        *_records(report["records"]),
        *_events(report["events"]),
        *_reads(report["record_reads"], report["bulk_reads"]),
        *_notifications(report["notifications"]),
        *_data_protection(report["data_protection"]),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _records(records: Sequence[dict[str, Any]]) -> list[str]:
    parts = [
        "<h2>1. The records held now</h2>",
        "<p>Each record a service keeps about the child, as it stands now, worked out from the events "
        "in section 2.</p>",
    ]
    if not records:
        parts.append(
            "<p>No service keeps a record of the child's own; the events in section 2 are all "
            "that is held.</p>"
        )
    for record in records:
        service = record.get("service")
        parts.append(
            f"<h3>{_text(record['stream_id'])}{f' ({_text(service)} service)' if service else ''}</h3>"
        )
        if record["replayable"]:
            parts.append(_value(record["state"], set(record["erased"])))
        else:
            parts.append(f"<p>{_text(record['reason'])}</p>")
    return parts


def _events(events: Sequence[dict[str, Any]]) -> list[str]:
    rows = [
        [
            _text(e["position"]),
            _text(e["effective_date"]),
            _text(_instant(e["recorded_at"])),
            _text(_event_name(e["type"])),
            _text(e["stream_id"]),
            _recorded_by(e["recorded_by"]),
            _value(e["data"], set(e["erased"]))
            + (
                f"<p>Also concerns {e['other_children_withheld']} other "
                f"{'child' if e['other_children_withheld'] == 1 else 'children'}, withheld.</p>"
                if e["other_children_withheld"]
                else ""
            ),
        ]
        for e in events
    ]
    return [
        "<h2>2. Everything recorded about the child</h2>",
        f"<p>All {len(events)} events about the child, from every service, oldest first. "
        "<em>Took effect</em> is when it happened; <em>recorded</em> is when the council recorded it.</p>",
        _table(["Log position", "Took effect", "Recorded", "What", "Record", "Recorded by", "Details"], rows),
    ]


def _reads(record_reads: Sequence[dict[str, Any]], bulk_reads: Sequence[dict[str, Any]]) -> list[str]:
    people = [
        [
            _text(_instant(r["read_at"])),
            _text(r["actor"]),
            _text(_role(r["role"])),
            _text(r["service"]),
            _text(r["route"]),
            _text(r["request_id"] or ""),
        ]
        for r in record_reads
    ]
    bulk = [
        [
            _text(_instant(r["read_at"])),
            _text(r["actor"]),
            _text(_role(r["role"])),
            _text(r["service"]),
            _text(r["route"]),
            _text(_positions(r["first_position"], r["last_position"])),
            _text(r["events"]),
            _text(r["request_id"] or ""),
        ]
        for r in bulk_reads
    ]
    return [
        "<h2>3. Who has read the child's record</h2>",
        "<h3>Reads of the child's record</h3>",
        _table(["When", "Who", "Role", "Service", "What was read", "Request"], people)
        if people
        else "<p>Nobody has read the child's record.</p>",
        "<h3>Reads of the log that included the child's events</h3>",
        "<p>Feed pages and exports, by people and by other council systems; the events returned "
        "concern this child and others.</p>",
        _table(
            [
                "When",
                "Who",
                "Role",
                "Service",
                "What was read",
                "Log positions",
                "Events returned",
                "Request",
            ],
            bulk,
        )
        if bulk
        else "<p>None.</p>",
    ]


def _notifications(notifications: dict[str, Any]) -> list[str]:
    parts = ["<h2>4. Notifications sent about the child</h2>", f"<p>{_text(notifications['summary'])}</p>"]
    if notifications["items"]:
        parts.append(_value(notifications["items"], set()))
    return parts


def _data_protection(record: dict[str, Any]) -> list[str]:
    def table(events: Sequence[dict[str, Any]]) -> str:
        rows = [
            [
                _text(e["effective_date"]),
                _text(_event_name(e["type"])),
                _recorded_by(e["recorded_by"]),
                _value({k: v for k, v in e["data"].items() if k != "subject"}, set(e["erased"])),
            ]
            for e in events
        ]
        return _table(["Date", "What", "Decided by", "Details"], rows)

    destroyed = record["key_destroyed_at"]
    return [
        "<h2>5. Data protection record</h2>",
        "<h3>Legal holds</h3>",
        table(record["legal_holds"]) if record["legal_holds"] else "<p>No legal hold has been placed.</p>",
        "<h3>Erasure</h3>",
        table(record["erasures"])
        if record["erasures"]
        else "<p>No decision to erase the child's personal data is recorded.</p>",
        f"<p>The child's personal data was erased (their key destroyed) on {_text(_instant(destroyed))}: "
        "the fields that held it read as <em>erased</em> above.</p>"
        if destroyed
        else "<p>The child's personal data has not been erased.</p>",
    ]


# -- values -----------------------------------------------------------------------------------


def _value(value: Any, erased: Collection[str], key: str | None = None) -> str:
    """Any JSON value as HTML: an object as a table of its fields, a list item by item. A field
    named in ``erased`` that is empty reads "erased"."""
    if key is not None and key in erased and value in (None, ""):
        return f'<span class="erased">{ERASED}</span>'
    if isinstance(value, dict):
        if not value:
            return NOTHING
        rows = "".join(
            f"<tr><th>{_text(_label(k))}</th><td>{_value(v, erased, k)}</td></tr>" for k, v in value.items()
        )
        return f"{TABLE}{rows}</table>"
    if isinstance(value, list):
        if not value:
            return NOTHING
        if all(not isinstance(item, (dict, list)) for item in value):
            return ", ".join(_value(item, erased) for item in value)
        return "".join(_value(item, erased) for item in value)
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _text(value)


def _facts(facts: Iterable[tuple[str, Any]]) -> str:
    return TABLE + "".join(f"<tr><th>{_text(k)}</th><td>{_text(v)}</td></tr>" for k, v in facts) + "</table>"


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table whose cells are already HTML (escaped by the caller)."""
    head = "".join(f"<th>{_text(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"{TABLE}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _recorded_by(who: dict[str, Any]) -> str:
    if not who.get("actor"):
        return _text(f"the {who['service']} service" if who.get("service") else "not recorded")
    role = f" ({_role(who['role'])})" if who.get("role") else ""
    return _text(f"{who['actor']}{role}")


def _text(value: Any) -> str:
    return escape(str(value), quote=True)


def _label(name: Any) -> str:
    """``date_of_birth`` -> ``date of birth``."""
    return str(name).replace("_", " ")


def _role(role: str) -> str:
    return role.replace("_", " ")


def _event_name(event_type: str) -> str:
    """``ChildEnteredCare`` -> ``Child entered care``."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", event_type)
    return (
        " ".join([words[0], *(w if w.isupper() else w.lower() for w in words[1:])]) if words else event_type
    )


def _instant(text: str) -> str:
    """An ISO instant as the requester reads it, in UTC."""
    at = datetime.fromisoformat(text).astimezone(timezone.utc)
    return f"{at.day} {at:%B %Y, %H:%M:%S} UTC"


def _positions(first: int | None, last: int | None) -> str:
    if first is None:
        return NOTHING
    return str(first) if first == last else f"{first} to {last}"
