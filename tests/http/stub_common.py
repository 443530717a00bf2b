"""Shared machinery of the GitHub and GitLab stand-in servers (test code).

A stand-in listens on 127.0.0.1 on a free port (printed on stdout), records
every request as one JSON line (with the status and body it answered), injects faults that the test asks for in a
control file, and exits by itself after --lifetime seconds.

Control file (JSON, read and deleted at the next request):
  {"fail_first": N, "fail_status": 502}   next N requests answer 502
  {"rate_limit_429": N}                   then N answer 429, Retry-After: 1
  {"secondary_403": N}                    then N answer 403 (secondary rate
                                          limit), retry-after: 1
  {"hang": N, "hang_seconds": S}          then N requests get no answer for S s
  {"hang_method": "POST"}                 ... only requests of that method hang
  {"bad_link": true}                      pagination links point elsewhere
  {"answers": [{"method": "GET", "path": REGEX, "status": 200,
                "json": OBJ} or {..., "raw": TEXT}]}
                                          the first request whose method and
                                          path (fullmatch) match one is
                                          answered with it instead (once each):
                                          answers no real forge sends
Faults are applied in the order above, one per request.
"""

import argparse
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

MAX_BODY = 10 << 20


def parse_args(description, token_default):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--record", required=True, help="JSON-lines file of requests")
    ap.add_argument("--control", required=True, help="fault control file")
    ap.add_argument("--token", default=token_default)
    ap.add_argument("--page-size", type=int, default=2)
    ap.add_argument("--lifetime", type=float, default=120.0)
    ap.add_argument("--prefix", default="")
    ap.add_argument("--scenario", default=None,
                    help="JSON file: {head, base, start, diff} replacing the built-in pull request")
    return ap.parse_args()


def load_scenario(path):
    """The scenario file of --scenario, or None."""
    if not path:
        return None
    with open(path) as f:
        return json.load(f)


class Faults:
    def __init__(self, control):
        self.control = control
        self.lock = threading.Lock()
        self.fail_first = 0
        self.fail_status = 502
        self.rate_limit_429 = 0
        self.secondary_403 = 0
        self.hang = 0
        self.hang_seconds = 10.0
        self.hang_method = None
        self.bad_link = False
        self.answers = []

    def load(self):
        try:
            with open(self.control) as f:
                c = json.load(f)
            os.unlink(self.control)
        except (OSError, ValueError):
            return
        self.fail_first = int(c.get("fail_first", 0))
        self.fail_status = int(c.get("fail_status", 502))
        self.rate_limit_429 = int(c.get("rate_limit_429", 0))
        self.secondary_403 = int(c.get("secondary_403", 0))
        self.hang = int(c.get("hang", 0))
        self.hang_seconds = float(c.get("hang_seconds", 10))
        self.hang_method = c.get("hang_method")
        self.bad_link = bool(c.get("bad_link", False))
        self.answers = list(c.get("answers", []))

    def next(self, method):
        """The fault for this request: None or a name."""
        with self.lock:
            self.load()
            for name in ("fail_first", "rate_limit_429", "secondary_403", "hang"):
                if name == "hang" and self.hang_method not in (None, method):
                    continue
                if getattr(self, name) > 0:
                    setattr(self, name, getattr(self, name) - 1)
                    return name
            return None

    def answer(self, method, path):
        """The planted answer for this request (taken from the list), or None."""
        with self.lock:
            for i, a in enumerate(self.answers):
                if a.get("method", "GET") == method and re.fullmatch(a["path"], path):
                    return self.answers.pop(i)
            return None


class Handler(BaseHTTPRequestHandler):
    """Subclasses implement route(method, path, query, body) -> (status, obj, headers)."""

    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body in one write (no Nagle delay)
    server_version = "stub/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def auth_state(self):
        raise NotImplementedError

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def handle_any(self, method):
        st = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, MAX_BODY)) if length else b""
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"_unparsed": raw.decode("utf-8", "replace")}
        path, _, query = self.path.partition("?")
        fault = st.faults.next(method)
        rec = {
            "t": round(time.time(), 3),
            "method": method,
            "path": path,
            "query": query,
            "auth": self.auth_state(),
            "user_agent": self.headers.get("User-Agent"),
            "accept": self.headers.get("Accept"),
            "content_type": self.headers.get("Content-Type"),
            "api_version": self.headers.get("X-GitHub-Api-Version"),
            "body": body,
            "fault": fault,
        }
        if fault:
            self.record(rec)
        if fault == "hang":
            time.sleep(st.faults.hang_seconds)
            self.send_json(504, {"message": "hung"})
            return
        if fault == "fail_first":
            self.send_raw(st.faults.fail_status, b"<html><body>502 Bad Gateway</body></html>",
                          "text/html")
            return
        if fault == "rate_limit_429":
            self.send_json(429, {"message": "Too Many Requests"}, {"Retry-After": "1"})
            return
        if fault == "secondary_403":
            self.send_json(403, {
                "message": "You have exceeded a secondary rate limit. Please wait a few "
                           "minutes before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/"
                                     "resources-in-the-rest-api#secondary-rate-limits"},
                {"retry-after": "1"})
            return
        planted = st.faults.answer(method, path)
        if planted is not None:
            rec["fault"] = "answer"
            rec["status"] = planted.get("status", 200)
            if "raw" in planted:
                rec["response"] = planted["raw"]
                self.record(rec)
                self.send_raw(rec["status"], planted["raw"].encode(), "application/json")
            else:
                rec["response"] = planted.get("json")
                self.record(rec)
                self.send_json(rec["status"], planted.get("json"))
            return
        prefix = st.args.prefix
        if prefix and not path.startswith(prefix):
            status, obj, headers = 404, {"message": "Not Found"}, {}
        else:
            with st.lock:
                status, obj, headers = self.route(method, path[len(prefix):],
                                                  dict(parse_qsl(query)), body)
        # what was answered is recorded too (records.py resp), as a copy
        rec["status"] = status
        rec["response"] = json.loads(json.dumps(obj))
        self.record(rec)
        self.send_json(status, obj, headers)

    def record(self, rec):
        st = self.server.state
        with st.lock:
            with open(st.args.record, "a") as f:
                f.write(json.dumps(rec, sort_keys=True) + "\n")

    def send_raw(self, status, data, ctype, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, status, obj, headers=None):
        data = b"" if obj is None else json.dumps(obj).encode()
        self.send_raw(status, data, "application/json; charset=utf-8", headers)

    # -- pagination --
    def page(self, items, query):
        """(slice, page, last_page) with the stand-in's small page size."""
        st = self.server.state
        per = min(int(query.get("per_page", 20)), st.args.page_size)
        page = max(int(query.get("page", 1)), 1)
        last = max((len(items) + per - 1) // per, 1)
        return items[(page - 1) * per: page * per], page, last

    def page_url(self, path, query, page):
        q = dict(query)
        q["page"] = str(page)
        st = self.server.state
        host = "127.0.0.1:1" if st.faults.bad_link else self.headers.get("Host")
        return "http://%s%s%s?%s" % (host, st.args.prefix, path, urlencode(q))


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.faults = Faults(args.control)
        self.next_id = 1000

    def new_id(self):
        self.next_id += 1
        return self.next_id


def serve(handler_class, state):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    server.state = state
    timer = threading.Timer(state.args.lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
