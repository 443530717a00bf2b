#!/usr/bin/env python3
"""Stand-in for the parts of the GitHub REST API that escape-review uses (test code).

Pull requests of any owner/repo and number share one diff (DIFF below): a
review comment on a line outside it makes the whole review fail with 422,
as GitHub does.  Lists are paginated with Link headers and a page size of
--page-size (2 by default), whatever per_page asks for.  State (comments,
reviews, statuses) lives as long as the server.
"""

import re

import stub_common as sc

HEAD = "1111111111111111111111111111111111111111"
BASE = "2222222222222222222222222222222222222222"
DOCS = "https://docs.github.com/rest"
# path -> lines visible on the right side of the diff
DIFF = {
    "pkg/a.go": {10, 11, 12, 20},
    "pkg/b.go": {5},
    "pkg/many.go": set(range(1, 41)),
}
STATES = {"error", "failure", "pending", "success"}


class GitHubHandler(sc.Handler):
    def auth_state(self):
        h = self.headers.get("Authorization")
        if h is None:
            return "none"
        return "ok" if h == "Bearer " + self.server.state.args.token else "bad"

    def pr(self, owner, repo, number):
        st = self.server.state
        key = (owner, repo, int(number))
        if key not in st.prs:
            st.prs[key] = {
                "issue_comments": [
                    {"id": st.new_id(), "body": "Thanks!", "user": {"login": "alice"}},
                    {"id": st.new_id(), "body": "LGTM <!-- not ours -->",
                     "user": {"login": "bob"}},
                    {"id": st.new_id(), "body": "CI is green", "user": {"login": "carol"}},
                    {"id": st.new_id(), "body": "> <!-- escape-review:summary -->\n> quoted",
                     "user": {"login": "dave"}},
                ],
                "review_comments": [
                    {"id": st.new_id(), "path": "pkg/a.go", "line": 10, "side": "RIGHT",
                     "body": "human remark", "user": {"login": "alice"}},
                ],
                "reviews": [],
            }
        return st.prs[key]

    def listing(self, items, path, query):
        part, page, last = self.page(items, query)
        links = []
        if page < last:
            links.append('<%s>; rel="next"' % self.page_url(path, query, page + 1))
            links.append('<%s>; rel="last"' % self.page_url(path, query, last))
        return 200, part, ({"Link": ", ".join(links)} if links else {})

    def route(self, method, path, query, body):
        st = self.server.state
        if self.auth_state() != "ok":
            return 401, {"message": "Bad credentials",
                         "documentation_url": DOCS}, {}
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/(.*)", path)
        if not m:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        owner, repo, rest = m.groups()
        if method == "GET" and re.fullmatch(r"pulls/\d+", rest):
            return 200, {"number": int(rest.split("/")[1]), "head": {"sha": HEAD},
                         "base": {"sha": BASE}}, {}
        m = re.fullmatch(r"pulls/(\d+)/comments", rest)
        if m and method == "GET":
            return self.listing(self.pr(owner, repo, m.group(1))["review_comments"],
                                path, query)
        m = re.fullmatch(r"pulls/(\d+)/reviews", rest)
        if m and method == "POST":
            pr = self.pr(owner, repo, m.group(1))
            body = body or {}
            comments = body.get("comments") or []
            if body.get("event") == "COMMENT" and not body.get("body"):
                return 422, {"message": "Unprocessable Entity",
                             "errors": ["Body is required"], "documentation_url": DOCS}, {}
            for c in comments:
                if c.get("side", "RIGHT") != "RIGHT" or \
                        c.get("line") not in DIFF.get(c.get("path"), ()):
                    return 422, {"message": "Unprocessable Entity",
                                 "errors": ["Line could not be resolved"],
                                 "documentation_url": DOCS}, {}
            rid = st.new_id()
            pr["reviews"].append({"id": rid, "body": body.get("body")})
            for c in comments:
                pr["review_comments"].append({
                    "id": st.new_id(), "pull_request_review_id": rid,
                    "path": c["path"], "line": c["line"], "side": "RIGHT",
                    "body": c.get("body", ""), "commit_id": body.get("commit_id"),
                    "user": {"login": "escape-review[bot]"}})
            return 200, {"id": rid, "state": "COMMENTED",
                         "commit_id": body.get("commit_id")}, {}
        m = re.fullmatch(r"issues/(\d+)/comments", rest)
        if m and method == "GET":
            return self.listing(self.pr(owner, repo, m.group(1))["issue_comments"],
                                path, query)
        if m and method == "POST":
            c = {"id": st.new_id(), "body": (body or {}).get("body", ""),
                 "user": {"login": "escape-review[bot]"}}
            self.pr(owner, repo, m.group(1))["issue_comments"].append(c)
            return 201, c, {}
        m = re.fullmatch(r"issues/comments/(\d+)", rest)
        if m and method == "PATCH":
            for pr in st.prs.values():
                for c in pr["issue_comments"]:
                    if c["id"] == int(m.group(1)):
                        c["body"] = (body or {}).get("body", "")
                        return 200, c, {}
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        m = re.fullmatch(r"statuses/([0-9a-f]{40})", rest)
        if m and method == "POST":
            body = body or {}
            if body.get("state") not in STATES or len(body.get("description", "")) > 140:
                return 422, {"message": "Validation Failed",
                             "errors": [{"resource": "Status", "code": "custom",
                                         "message": "state is not included in the list"}],
                             "documentation_url": DOCS}, {}
            s = {"id": st.new_id(), "state": body["state"],
                 "context": body.get("context", "default"),
                 "description": body.get("description")}
            st.statuses.append(s)
            return 201, s, {}
        return 404, {"message": "Not Found", "documentation_url": DOCS}, {}


def main():
    global HEAD, BASE, DIFF
    args = sc.parse_args("GitHub API stand-in", "ghp_TESTTOKEN123")
    scen = sc.load_scenario(args.scenario)
    if scen:
        HEAD, BASE = scen["head"], scen["base"]
        DIFF = {path: set(lines) for path, lines in scen["diff"].items()}
    state = sc.State(args)
    state.prs = {}
    state.statuses = []
    sc.serve(GitHubHandler, state)


if __name__ == "__main__":
    main()
