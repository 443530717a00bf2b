#!/usr/bin/env python3
"""Read the stand-ins' request records for tests/http/run.sh (test code).

  records.py count FILE              number of requests recorded
  records.py lines FILE FROM         one line per request after the first FROM:
                                     "METHOD PATH[?QUERY] auth=A ua=UA [fault=F]"
  records.py hdrs FILE N             Accept, Content-Type, X-GitHub-Api-Version of N
  records.py body FILE N             body of request N (1-based), canonical JSON
  records.py get FILE N KEY...       a value inside body N (keys / list indexes)
  records.py len FILE N KEY...       length of a list or string inside body N
  records.py resp FILE N KEY...      a value inside the answer to request N
  records.py find FILE N KEY VALUE   id of the item of answer N (a list) whose KEY is VALUE
  records.py gap FILE N              seconds between request N and N+1
  records.py utf8 FILE N KEY...      "len=BYTES valid" for a string value
"""

import json
import sys


def load(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def canon(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dig(v, keys):
    for k in keys:
        v = v[int(k)] if isinstance(v, list) else v[k]
    return v


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    recs = load(path)
    if cmd == "count":
        print(len(recs))
    elif cmd == "lines":
        for r in recs[int(sys.argv[3]):]:
            s = "%s %s%s auth=%s ua=%s" % (r["method"], r["path"],
                                            "?" + r["query"] if r["query"] else "",
                                            r["auth"], r["user_agent"])
            if r.get("fault"):
                s += " fault=" + r["fault"]
            print(s)
    elif cmd == "hdrs":
        r = recs[int(sys.argv[3]) - 1]
        print("accept=%s content_type=%s api_version=%s"
              % (r["accept"], r["content_type"], r.get("api_version")))
    elif cmd == "body":
        print(canon(recs[int(sys.argv[3]) - 1]["body"]))
    elif cmd == "get":
        v = dig(recs[int(sys.argv[3]) - 1]["body"], sys.argv[4:])
        print(v if isinstance(v, str) else canon(v))
    elif cmd == "resp":
        v = dig(recs[int(sys.argv[3]) - 1].get("response"), sys.argv[4:])
        print(v if isinstance(v, str) else canon(v))
    elif cmd == "find":
        items = recs[int(sys.argv[3]) - 1].get("response") or []
        print(" ".join(str(i["id"]) for i in items if i.get(sys.argv[4]) == sys.argv[5]))
    elif cmd == "len":
        print(len(dig(recs[int(sys.argv[3]) - 1]["body"], sys.argv[4:])))
    elif cmd == "gap":
        n = int(sys.argv[3])
        print("%.1f" % (recs[n]["t"] - recs[n - 1]["t"]))
    elif cmd == "utf8":
        v = dig(recs[int(sys.argv[3]) - 1]["body"], sys.argv[4:])
        b = v.encode("utf-8")
        b.decode("utf-8")
        print("len=%d valid" % len(b))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
