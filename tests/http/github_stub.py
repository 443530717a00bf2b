#!/usr/bin/env python3
"""Stand-in for the parts of the GitHub REST API that escape-review uses (test code).

Pull requests of any owner/repo and number share one diff (DIFF below): a
review comment on a line outside it makes the whole review fail with 422,
as GitHub does.  Lists are paginated with Link headers and a page size of
--page-size (2 by default), whatever per_page asks for.  State (comments,
reviews, statuses, review threads) lives as long as the server.

Review threads as GitHub keeps them: every review comment that is not a
reply starts one (REST cannot see or change whether it is resolved);
POST .../comments/ID/replies adds to it.  The GraphQL endpoint (POST
/graphql) answers the two documented shapes escape-review sends, the
`reviewThreads` query of a pull request (cursor pagination, --page-size
threads per page) and the `resolveReviewThread` / `unresolveReviewThread`
mutations; like GitHub it answers 200 with an `errors` list for a bad
request or an unknown node id, and 401 for bad credentials.
"""

import re


import stub_common as sc

HEAD = "1111111111111111111111111111111111111111"
BASE = "2222222222222222222222222222222222222222"
DOCS = "https://docs.github.com/rest"
GQL_DOCS = "https://docs.github.com/graphql"
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
                "threads": [],
            }
            self.new_thread(st.prs[key], st.prs[key]["review_comments"][0])
        return st.prs[key]

    def new_thread(self, pr, comment):
        t = {"id": "PRRT_kwDOstub%08d" % comment["id"], "isResolved": False,
             "comments": [comment["id"]]}
        pr["threads"].append(t)
        self.server.state.threads[t["id"]] = t

    def graphql(self, body):
        """The GraphQL endpoint: (status, obj, headers)."""
        st = self.server.state
        if self.auth_state() != "ok":
            return 401, {"message": "Bad credentials", "documentation_url": GQL_DOCS}, {}
        body = body if isinstance(body, dict) else {}
        query, var = body.get("query"), body.get("variables")
        if not isinstance(query, str) or not isinstance(var, dict):
            return 200, {"errors": [{"message": "A query attribute must be specified and "
                                                "must be a string."}]}, {}
        m = re.fullmatch(r"mutation\(\$threadId: ID!\) \{ (resolveReviewThread|unresolveReviewThread)"
                         r"\(input: \{threadId: \$threadId\}\) \{ thread \{ id isResolved \} \} \}",
                         query)
        if m:
            t = st.threads.get(var.get("threadId"))
            if not t:
                return 200, {"data": {m.group(1): None}, "errors": [{
                    "type": "NOT_FOUND", "path": [m.group(1)],
                    "locations": [{"line": 1, "column": 25}],
                    "message": "Could not resolve to a node with the global id of '%s'."
                               % var.get("threadId")}]}, {}
            t["isResolved"] = m.group(1) == "resolveReviewThread"
            return 200, {"data": {m.group(1): {"thread": {
                "id": t["id"], "isResolved": t["isResolved"]}}}}, {}
        if "reviewThreads(first: 100, after: $after)" in query and query.startswith(
                "query($owner: String!, $name: String!, $number: Int!, $after: String)"):
            if not isinstance(var.get("number"), int) or not var.get("owner") or \
                    not var.get("name"):
                return 200, {"errors": [{"message": "Variable $number of type Int! was "
                                                    "provided invalid value"}]}, {}
            threads = self.pr(var["owner"], var["name"], var["number"])["threads"]
            start = int(var["after"].split(":")[1]) if var.get("after") else 0
            part = threads[start:start + st.args.page_size]
            end = start + len(part)
            nodes = [{"id": t["id"], "isResolved": t["isResolved"],
                      "comments": {"nodes": [{"databaseId": t["comments"][0]}]}} for t in part]
            return 200, {"data": {"repository": {"pullRequest": {"reviewThreads": {
                "pageInfo": {"hasNextPage": end < len(threads), "endCursor": "cursor:%d" % end},
                "nodes": nodes}}}}}, {}
        return 200, {"errors": [{"message": "Parse error on the query (unknown to the stand-in)",
                                 "locations": [{"line": 1, "column": 1}]}]}, {}

    def listing(self, items, path, query):
        part, page, last = self.page(items, query)
        links = []
        if page < last:
            links.append('<%s>; rel="next"' % self.page_url(path, query, page + 1))
            links.append('<%s>; rel="last"' % self.page_url(path, query, last))
        return 200, part, ({"Link": ", ".join(links)} if links else {})

    def route(self, method, path, query, body):
        st = self.server.state
        if path == "/graphql" and method == "POST":
            return self.graphql(body)
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
                rc = {"id": st.new_id(), "pull_request_review_id": rid,
                      "path": c["path"], "line": c["line"], "side": "RIGHT",
                      "body": c.get("body", ""), "commit_id": body.get("commit_id"),
                      "user": {"login": "escape-review[bot]"}}
                pr["review_comments"].append(rc)
                self.new_thread(pr, rc)
            return 200, {"id": rid, "state": "COMMENTED",
                         "commit_id": body.get("commit_id")}, {}
        m = re.fullmatch(r"pulls/(\d+)/comments/(\d+)/replies", rest)
        if m and method == "POST":
            pr = self.pr(owner, repo, m.group(1))
            to = int(m.group(2))
            thread = next((t for t in pr["threads"] if to in t["comments"]), None)
            if thread is None:
                return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
            if not (body or {}).get("body"):
                return 422, {"message": "Validation Failed", "errors": [
                    {"resource": "PullRequestReviewComment", "code": "missing_field",
                     "field": "body"}], "documentation_url": DOCS}, {}
            parent = next(c for c in pr["review_comments"] if c["id"] == to)
            rc = {"id": st.new_id(), "in_reply_to_id": to, "path": parent["path"],
                  "line": parent["line"], "side": "RIGHT", "body": body["body"],
                  "user": {"login": "escape-review[bot]"}}
            pr["review_comments"].append(rc)
            thread["comments"].append(rc["id"])
            return 201, rc, {}
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
    state.threads = {}
    state.statuses = []
    sc.serve(GitHubHandler, state)


if __name__ == "__main__":
    main()
