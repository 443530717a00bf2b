#!/usr/bin/env python3
"""md_roundtrip.py BIN SEED DIR: render random hostile values (Markdown
punctuation, backtick runs, `|`, `<script>`, mentions, references, URLs,
entities, newlines, tabs, control characters, UTF-8) through `BIN render` as code and as prose,
alone at the start of a paragraph, in a table row, a list item and a
<summary> line, then through GitHub's
cmark-gfm, and check what shows: each code span or <code> holds the value
exactly (newlines as spaces, controls dropped), each paragraph and prose cell the value as written (less the
invisible U+200B, leading blanks, newlines as <br>), every row keeps its two
cells, and the only tags are the template's own.  Prints the problems and
"N values, N problems"; exits 1 when there is one."""
import html
import json
import os
import random
import re
import subprocess
import sys
from html.parser import HTMLParser

ZWSP = "\u200b"
PIECES = list("ab_*`|\\<>&@#!~%$[](){}+-=.:/ \t\n1\u00e9") + [
    "http://", "www.", "GH-1", "```", "``", "&amp;", "&#42;", "<script>", "{+", "[-",
    "](javascript:", "@here", "#12", "\r\n", "\x01", "\x7f"]
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TAGS = {"table", "thead", "tbody", "tr", "th", "td", "ul", "li", "p", "details",
        "summary", "code", "br"}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad = set()

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS or any(k != "align" for k, _ in attrs):
            self.bad.add(tag)


def code_shows(v):
    return CONTROLS.sub("", re.sub(r"\r\n|\r|\n", " ", v))


def prose_shows(v):
    v = CONTROLS.sub("", v)
    return re.sub(r"\r\n|\r|\n", "\n", v.lstrip(" \t").replace("\t", " "))


def text_of(cell):
    """A prose cell's text: <br> as a newline, references decoded, no U+200B."""
    return html.unescape(re.sub(r"<br ?/?>", "\n", cell)).replace(ZWSP, "")


def main():
    binary, seed, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(seed)
    vals = ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 12))) for _ in range(400)]
    vals = [v for v in vals if CONTROLS.sub("", v).strip(" \t\r\n")]
    with open(os.path.join(work, "d.json"), "w") as f:
        json.dump({"v": vals}, f)
    tmpl = os.path.join(work, "t.md.mustache")
    with open(tmpl, "w") as f:
        f.write("{{#v}}\n{{.}}\n\n{{/v}}"
                "| code | prose |\n|---|---|\n{{#v}}\n| {{`.}} | {{.}} |\n{{/v}}\n\n"
                "{{#v}}\n- {{`.}} and {{.}}\n{{/v}}\n\n"
                "{{#v}}\n<details>\n<summary>{{`.}} and {{.}}</summary>\n\nx\n\n</details>\n\n{{/v}}")
    md = subprocess.run([binary, "render", tmpl, "--data", os.path.join(work, "d.json")],
                        capture_output=True, text=True, check=True).stdout
    out = subprocess.run(["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough",
                          "-e", "autolink", "-e", "tasklist"],
                         input=md, capture_output=True, text=True, check=True).stdout
    problems = []
    rows = re.findall(r"<tr>\n<td>(.*?)</td>\n<td>(.*?)</td>\n</tr>", out, re.S)
    items = re.findall(r"<li><code>(.*?)</code> and (.*?)</li>", out, re.S)
    sums = re.findall(r"<summary><code>(.*?)</code> and (.*?)</summary>", out, re.S)
    paras = re.findall(r"<p>(.*?)</p>", out, re.S)[:len(vals)]
    for v, p in zip(vals, paras):
        if text_of(p) not in (prose_shows(v), prose_shows(v).rstrip(" ")):
            problems.append("paragraph %r shows %r" % (v, p))
    for name, got in (("table rows", rows), ("list items", items), ("summaries", sums)):
        if len(got) != len(vals):
            problems.append("%s: %d for %d values" % (name, len(got), len(vals)))
    for where, got in (("table", rows), ("list", items), ("summary", sums)):
        for v, (c, p) in zip(vals, got):
            c = c[len("<code>"):-len("</code>")] if where == "table" else c
            if html.unescape(c) != code_shows(v):
                problems.append("%s code %r shows %r" % (where, v, c))
            if text_of(p) not in (prose_shows(v), prose_shows(v).rstrip(" ")):
                problems.append("%s prose %r shows %r" % (where, v, p))
    tags = Tags()
    tags.feed(out)
    if tags.bad:
        problems.append("tags from data: %s" % sorted(tags.bad))
    for p in problems[:20]:
        print(p)
    print("%d values, %d problems" % (len(vals), len(problems)))
    return 1 if problems else 0


sys.exit(main())
