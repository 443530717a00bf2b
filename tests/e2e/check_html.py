#!/usr/bin/env python3
"""check_html.py FILE [TEXT...]: the release report's HTML, read with
html.parser: only the tags the template writes (so no name was left
unescaped into markup), no <script>, no event-handler attribute, no src
and no href but the rule catalog's; each TEXT (a name as written) must be
in the page's text, as its heading is.  Prints "ok" or the problems, exits 0 or 1."""
import sys
from html.parser import HTMLParser

TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div", "b",
        "span", "svg", "text", "g", "rect", "table", "tr", "th", "td", "code", "a", "footer"}
RULES = "https://github.com/escape-review/escape-review/blob/main/docs/rules.md#"


class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append("unexpected tag <%s>" % tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append("event handler %s on <%s>" % (k, tag))
            if k in ("src", "href", "xlink:href", "action", "srcset", "data"):
                if not (k == "href" and tag == "a" and (v or "").startswith(RULES)):
                    self.problems.append("external URL %s=%r on <%s>" % (k, v, tag))
            if k == "style" and "url(" in (v or ""):
                self.problems.append("url() in a style attribute")

    def handle_data(self, data):
        self.text.append(data)


doc = open(sys.argv[1], encoding="utf-8").read()
c = Check()
c.feed(doc)
c.close()
if "url(" in doc or "@import" in doc:
    c.problems.append("url() or @import in the page")
text = "".join(c.text)
for want in ["Heap allocations: "] + sys.argv[2:]:
    if want not in text:
        c.problems.append("text %r not in the page" % want)
print("\n".join(c.problems) if c.problems else "ok")
sys.exit(1 if c.problems else 0)
