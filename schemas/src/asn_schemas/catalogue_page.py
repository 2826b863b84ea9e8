"""The human-readable catalogue page, rendered from the AsyncAPI document.

One static HTML file (no script needed to read it; a few lines of script filter the list
by the search box): every event with its meaning, topic, key, producer, consumers,
fields and example, then the shared types the fields refer to. The gateway serves it at
`/events`; `make schemas` writes it beside the AsyncAPI document.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

_SCHEMAS = "#/components/schemas/"

_STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a}
body{margin:0 auto;max-width:64rem;padding:1rem}
h1{font-size:1.6rem}
h2{font-size:1.25rem;margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem}
h3{font-size:1.05rem}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}
pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0}
label{font-weight:600}
input[type=search]{font-size:1rem;padding:.4rem;width:100%;max-width:30rem}
.toc{columns:2 20rem}
a{color:#0645ad}
""".strip()

_FILTER = """
const box=document.getElementById('q');
box.addEventListener('input',()=>{const q=box.value.trim().toLowerCase();let n=0;
for(const el of document.querySelectorAll('[data-event]')){const hit=el.dataset.event.includes(q);
el.hidden=!hit;if(hit&&el.tagName==='SECTION')n++;}
document.getElementById('count').textContent=n+(n===1?' event type':' event types')+' shown';});
""".strip()


def prose(text: str) -> str:
    """Plain text with `code` spans, **bold**, paragraphs and `* ` lists, as HTML."""
    blocks = []
    for block in text.strip().split("\n\n"):
        items = re.split(r"(?m)^\* ", block)
        if len(items) > 1:
            lead = f"<p>{_spans(items[0])}</p>" if items[0].strip() else ""
            body = "".join(f"<li>{_spans(item)}</li>" for item in items[1:])
            blocks.append(f"{lead}<ul>{body}</ul>")
        else:
            blocks.append(f"<p>{_spans(block)}</p>")
    return "\n".join(blocks)


def _spans(text: str) -> str:
    html = escape(" ".join(text.split()))
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", html)


def _ref_name(ref: str) -> str:
    return ref[len(_SCHEMAS) :] if ref.startswith(_SCHEMAS) else ref


def type_label(schema: dict[str, Any]) -> str:
    """A short, plain-text type: `string (date)`, `EmployeeSnapshot or null`, `list of X`."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        return " or ".join(type_label(s) for s in schema["anyOf"])
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        items = schema.get("items") or (schema.get("prefixItems") or [{}])[0]
        return f"list of {type_label(items)}"
    if kind == "null":
        return "null"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _type_html(schema: dict[str, Any]) -> str:
    label = escape(type_label(schema))
    refs = _refs(schema)
    for name in refs:
        label = label.replace(escape(name), f'<a href="#type-{escape(name)}">{escape(name)}</a>', 1)
    return label


def _refs(schema: Any) -> list[str]:
    found: list[str] = []
    if isinstance(schema, dict):
        if isinstance(schema.get("$ref"), str):
            found.append(_ref_name(schema["$ref"]))
        for value in schema.values():
            found.extend(_refs(value))
    elif isinstance(schema, list):
        for item in schema:
            found.extend(_refs(item))
    return found


def _fields_table(schema: dict[str, Any]) -> str:
    properties: dict[str, Any] = schema.get("properties", {})
    if not properties:
        return "<p>No fields.</p>"
    required = set(schema.get("required", []))
    rows = [
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            escape(name),
            _type_html(prop),
            "yes" if name in required else "no",
            _spans(prop.get("description", "")),
        )
        for name, prop in properties.items()
    ]
    return (
        '<table><thead><tr><th scope="col">field</th><th scope="col">type</th>'
        '<th scope="col">required</th><th scope="col">meaning</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _event_section(message: dict[str, Any], schemas: dict[str, Any]) -> str:
    name = message["name"]
    example = message["examples"][0]
    consumers = ", ".join(message["x-consumers"]) or "none in the suite (analytics only)"
    description = message["description"].split("\n\n", 1)[0]
    return f"""
<section id="{escape(name)}" data-event="{escape(name.lower())}" aria-labelledby="h-{escape(name)}">
<h2 id="h-{escape(name)}"><code>{escape(name)}</code></h2>
{prose(description)}
<dl>
<dt>topic</dt><dd><code>{escape(message["x-topic"])}</code></dd>
<dt>key</dt><dd><code>{escape(message["x-key"])}</code>: {
        _spans(message["bindings"]["kafka"]["key"]["description"])
    }</dd>
<dt>producer</dt><dd>{escape(message["x-producer"])}</dd>
<dt>consumers</dt><dd>{escape(consumers)}</dd>
</dl>
<h3>Fields of <code>data</code></h3>
{_fields_table(schemas[name])}
<h3>Example</h3>
<pre><code>{escape(json.dumps(example["payload"], indent=2, ensure_ascii=False))}</code></pre>
</section>"""


def _type_section(name: str, schema: dict[str, Any]) -> str:
    if "enum" in schema:
        body = "<p>{}</p><p>Values: {}</p>".format(
            _spans(schema.get("description", "")),
            ", ".join(f"<code>{escape(json.dumps(v))}</code>" for v in schema["enum"]),
        )
    else:
        body = f"{prose(schema.get('description', ''))}{_fields_table(schema)}"
    return f'<section id="type-{escape(name)}"><h3>{escape(name)}</h3>{body}</section>'


def render_page(document: dict[str, Any]) -> str:
    """The whole page for an AsyncAPI document built by `asn_schemas.asyncapi`."""
    messages: dict[str, Any] = document["components"]["messages"]
    schemas: dict[str, Any] = document["components"]["schemas"]
    names = sorted(messages)
    toc = "".join(
        f'<li data-event="{escape(n.lower())}">'
        f'<a href="#{escape(n)}"><code>{escape(n)}</code></a></li>'
        for n in names
    )
    events = "".join(_event_section(messages[n], schemas) for n in names)
    shared = sorted(
        {r for n in names for r in _refs(schemas[n])}
        | {r for r in list(schemas) if "." not in r and r not in ("Envelope", "KafkaHeaders")}
    )
    types = "".join(_type_section(n, schemas[n]) for n in shared if n in schemas)
    info = document["info"]
    envelope = schemas["Envelope"]
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Event catalogue: {escape(info["title"])}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>Event catalogue</h1>
<p>{escape(info["title"])}, version {escape(info["version"])}: {len(names)} event types on {
        len(document["channels"])
    } topics. Generated from the <a href="/events/asyncapi.json">AsyncAPI {
        escape(document["asyncapi"])
    } document</a> by <code>make schemas</code>.</p>
</header>
<main>
<h2 id="envelope">Every event</h2>
{prose(info["description"])}
<h3>Envelope (CloudEvents attributes)</h3>
{_fields_table(envelope)}
<nav aria-label="Event types">
<h2 id="list">Event types</h2>
<label for="q">Search by event name</label><br>
<input id="q" type="search" placeholder="e.g. promoted, leave, presensi" autocomplete="off">
<p id="count" aria-live="polite">{len(names)} event types shown</p>
<ul class="toc">{toc}</ul>
</nav>
{events}
<h2 id="types">Shared types</h2>
{types}
</main>
<script>{_FILTER}</script>
</body>
</html>
"""
