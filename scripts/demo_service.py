#!/usr/bin/env python3
"""The demo service (the "parent"): receives login proofs on POST /callback and checks each one
with `userwallet-cli verify-proof --mark`, exactly as docs/PROTOCOL.md says a service may.

  demo_service.py --cli build/app/cli/userwallet-cli --data-dir DIR [--port 0] [--member-file FILE]

With --member-file (a wallet profile's member.json), it also serves its login request on
GET /login-request (docs/PROTOCOL.md, "Login requests"): service "demo", this callback, and that
member with its devices as the file lists them when the request is fetched; each proof is then
checked against that request too (verify-proof --expect).

Prints {"listening": "http://127.0.0.1:PORT/callback", "request": URL} once ready, then one JSON line
per proof.
"""
import argparse
import http.server
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--member-file")
    args = ap.parse_args()
    os.makedirs(args.data_dir, exist_ok=True)
    record = os.path.join(args.data_dir, "login-request.json")

    def login_request():
        """The service's login request, from the member's document as it is now."""
        with open(args.member_file, encoding="utf-8") as f:
            member = json.load(f)
        return {"v": 1, "type": "login-request", "service": "demo", "callback": callback,
                "members": [{"id": member["id"], "cardinalite_minimale": member["cardinalite_minimale"],
                             "depends_on": [],
                             "pairs": [{"pair": p["pair"], "pubkey": p["pubkey"]} for p in member["pairs"]]}],
                "strict": True, "ttl": 300}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/login-request" or not args.member_file:
                self.send_error(404)
                return
            body = json.dumps(login_request()).encode()
            with open(record, "wb") as f:  # the record each proof is checked against
                f.write(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = min(int(self.headers.get("Content-Length", "0")), 256 * 1024)
            body = self.rfile.read(length)
            verify = [args.cli, "--data-dir", args.data_dir, "verify-proof", "-", "--mark"]
            if args.member_file and os.path.exists(record):
                verify += ["--expect", record]
            check = subprocess.run(verify, input=body, capture_output=True)
            verdict = check.stdout.decode().strip().splitlines()[-1] if check.stdout else '{"valid":false}'
            status = 200 if check.returncode == 0 else 403
            try:
                proof = json.loads(body)
                who = [s["member"] + "/" + s["pair"][:8] for s in proof.get("signatures", [])]
            except ValueError:
                who = []
            print(json.dumps({"proof": verdict, "status": status, "signatures": who}), flush=True)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(verdict.encode())

        def log_message(self, *a):
            pass

    server = http.server.HTTPServer(("127.0.0.1", args.port), Handler)
    callback = "http://127.0.0.1:%d/callback" % server.server_port
    ready = {"listening": callback}
    if args.member_file:
        ready["request"] = "http://127.0.0.1:%d/login-request" % server.server_port
    print(json.dumps(ready), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
