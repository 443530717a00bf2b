#!/usr/bin/env python3
"""Stand-in for the parts of the GitLab REST API (v4) that escape-review uses (test code).

Serves under --prefix /api/v4 the project --project (a path, reached
URL-encoded as group%2Fproj, or the numeric id 42).  Every merge request
shares one diff (DIFF below); a diff discussion whose position does not
match it (wrong SHAs, a line outside the diff, an added line given an
old_line, a context line without its old_line) is refused with 400, as
GitLab does.  Lists are paginated with x-next-page and a page size of
--page-size (2 by default).  State lives as long as the server.

Diff notes are resolvable, as GitLab's are: POST .../discussions/ID/notes
adds a reply, PUT .../discussions/ID with a boolean `resolved` (JSON body
or query) resolves or reopens every note of it (400 when `resolved` is
missing, 404 for an unknown discussion).
"""

import re
from urllib.parse import unquote

import stub_common as sc

BASE = "2222222222222222222222222222222222222222"
START = "3333333333333333333333333333333333333333"
HEAD = "1111111111111111111111111111111111111111"
# new_path -> {"old_path", "added": {new_line}, "context": {new_line: old_line}}
DIFF = {
    "pkg/a.go": {"old_path": "pkg/a.go", "added": {10, 11}, "context": {12: 11, 13: 12}},
    "pkg/new.go": {"old_path": "pkg/old.go", "added": {3}, "context": {4: 4}},
}
STATES = {"pending", "running", "success", "failed", "canceled"}
BAD_POSITION = ("400 Bad request - Note {:line_code=>[\"can't be blank\", "
                "\"must be a valid line code\"]}")


class GitLabHandler(sc.Handler):
    def auth_state(self):
        h = self.headers.get("PRIVATE-TOKEN")
        if h is None:
            return "none"
        return "ok" if h == self.server.state.args.token else "bad"

    def mr(self, iid):
        st = self.server.state
        iid = int(iid)
        if iid not in st.mrs:
            disc = []
            for i in range(3):
                disc.append({"id": "%040x" % st.new_id(), "individual_note": True,
                             "notes": [{"id": st.new_id(), "type": None, "system": False,
                                        "body": "human note %d" % i}]})
            disc.append({"id": "%040x" % st.new_id(), "individual_note": False,
                         "notes": [{"id": st.new_id(), "type": "DiffNote", "system": False,
                                    "body": "human remark", "resolvable": True,
                                    "resolved": False,
                                    "position": {"position_type": "text",
                                                 "new_path": "pkg/a.go", "new_line": 10,
                                                 "old_path": "pkg/a.go", "old_line": None}}]})
            st.mrs[iid] = {
                "notes": [{"id": st.new_id(), "body": "Thanks!", "system": False},
                          {"id": st.new_id(), "body": "added 1 commit", "system": True},
                          {"id": st.new_id(), "body": "LGTM", "system": False},
                          {"id": st.new_id(), "body": "> <!-- escape-review:summary -->",
                           "system": False}],
                "discussions": disc,
            }
        return st.mrs[iid]

    def listing(self, items, path, query):
        part, page, last = self.page(items, query)
        headers = {"x-page": str(page), "x-per-page": str(len(part)),
                   "x-total": str(len(items)), "x-total-pages": str(last),
                   "x-next-page": str(page + 1) if page < last else ""}
        if self.server.state.faults.bad_link and page < last:
            headers["Link"] = '<%s>; rel="next"' % self.page_url(path, query, page + 1)
        return 200, part, headers

    def valid_position(self, pos):
        if not isinstance(pos, dict) or pos.get("position_type") != "text":
            return False
        if (pos.get("base_sha"), pos.get("start_sha"), pos.get("head_sha")) != \
                (BASE, START, HEAD):
            return False
        d = DIFF.get(pos.get("new_path"))
        if not d or pos.get("old_path") != d["old_path"]:
            return False
        new, old = pos.get("new_line"), pos.get("old_line")
        if new in d["added"]:
            return old is None
        return new in d["context"] and old == d["context"][new]

    def route(self, method, path, query, body):
        st = self.server.state
        if self.auth_state() != "ok":
            return 401, {"message": "401 Unauthorized"}, {}
        m = re.fullmatch(r"/projects/([^/]+)/(.*)", path)
        if not m or unquote(m.group(1)) not in (st.args.project, "42") or \
                "/" in m.group(1):
            return 404, {"message": "404 Project Not Found"}, {}
        rest = m.group(2)
        m = re.fullmatch(r"merge_requests/(\d+)", rest)
        if m and method == "GET":
            return 200, {"iid": int(m.group(1)), "sha": HEAD,
                         "diff_refs": {"base_sha": BASE, "start_sha": START,
                                       "head_sha": HEAD}}, {}
        m = re.fullmatch(r"merge_requests/(\d+)/discussions", rest)
        if m and method == "GET":
            return self.listing(self.mr(m.group(1))["discussions"], path, query)
        if m and method == "POST":
            body = body or {}
            if not body.get("body"):
                return 400, {"message": "400 Bad request - body is missing"}, {}
            pos = body.get("position")
            if not self.valid_position(pos):
                return 400, {"message": BAD_POSITION}, {}
            d = {"id": "%040x" % st.new_id(), "individual_note": False,
                 "notes": [{"id": st.new_id(), "type": "DiffNote", "system": False,
                            "body": body["body"], "position": pos,
                            "resolvable": True, "resolved": False}]}
            self.mr(m.group(1))["discussions"].append(d)
            return 201, d, {}
        m = re.fullmatch(r"merge_requests/(\d+)/discussions/([0-9a-f]+)(/notes)?", rest)
        if m:
            d = next((d for d in self.mr(m.group(1))["discussions"]
                      if d["id"] == m.group(2)), None)
            if d is None:
                return 404, {"message": "404 Not found"}, {}
            body = body or {}
            if m.group(3) and method == "POST":
                if not body.get("body"):
                    return 400, {"error": "body is missing"}, {}
                first = d["notes"][0]
                n = {"id": st.new_id(), "type": first.get("type"), "system": False,
                     "body": body["body"], "resolvable": first.get("resolvable", False),
                     "resolved": first.get("resolved", False)}
                d["notes"].append(n)
                return 201, n, {}
            if not m.group(3) and method == "PUT":
                resolved = body.get("resolved", query.get("resolved"))
                if resolved in ("true", "false"):
                    resolved = resolved == "true"
                if not isinstance(resolved, bool):
                    return 400, {"error": "resolved is missing"}, {}
                if not d["notes"][0].get("resolvable"):
                    return 403, {"message": "403 Forbidden"}, {}
                for n in d["notes"]:
                    n["resolved"] = resolved
                return 200, d, {}
        m = re.fullmatch(r"merge_requests/(\d+)/notes", rest)
        if m and method == "GET":
            return self.listing(self.mr(m.group(1))["notes"], path, query)
        if m and method == "POST":
            n = {"id": st.new_id(), "body": (body or {}).get("body", ""), "system": False}
            self.mr(m.group(1))["notes"].append(n)
            return 201, n, {}
        m = re.fullmatch(r"merge_requests/(\d+)/notes/(\d+)", rest)
        if m and method == "PUT":
            for n in self.mr(m.group(1))["notes"]:
                if n["id"] == int(m.group(2)):
                    n["body"] = (body or {}).get("body", "")
                    return 200, n, {}
            return 404, {"message": "404 Not found"}, {}
        m = re.fullmatch(r"statuses/([0-9a-f]{40})", rest)
        if m and method == "POST":
            body = body or {}
            if body.get("state") not in STATES:
                return 400, {"message": "state is invalid"}, {}
            s = {"id": st.new_id(), "sha": m.group(1), "status": body["state"],
                 "name": body.get("name", "default"), "description": body.get("description")}
            st.statuses.append(s)
            return 201, s, {}
        return 404, {"message": "404 Not Found"}, {}


def main():
    import sys
    project = "group/proj"
    if "--project" in sys.argv:
        i = sys.argv.index("--project")
        project = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    global HEAD, BASE, START, DIFF
    args = sc.parse_args("GitLab API stand-in", "glpat-TESTTOKEN123")
    args.project = project
    scen = sc.load_scenario(args.scenario)
    if scen:
        HEAD, BASE, START = scen["head"], scen["base"], scen["start"]
        DIFF = {path: {"old_path": d["old_path"], "added": set(d["added"]),
                       "context": {int(k): v for k, v in d["context"].items()}}
                for path, d in scen["diff"].items()}
    if not args.prefix:
        args.prefix = "/api/v4"
    state = sc.State(args)
    state.mrs = {}
    state.statuses = []
    sc.serve(GitLabHandler, state)


if __name__ == "__main__":
    main()
