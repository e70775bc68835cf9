#!/usr/bin/env python3
"""The demo service (the "parent"): receives login proofs on POST /callback and checks each one
with `userwallet-cli verify-proof --mark`, exactly as docs/PROTOCOL.md says a service may.

  demo_service.py --cli build/app/cli/userwallet-cli --data-dir DIR [--port 0]

Prints {"listening": "http://127.0.0.1:PORT/callback"} once ready, then one JSON line per proof.
"""
import argparse
import http.server
import json
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = min(int(self.headers.get("Content-Length", "0")), 256 * 1024)
            body = self.rfile.read(length)
            check = subprocess.run([args.cli, "--data-dir", args.data_dir, "verify-proof", "-", "--mark"],
                                   input=body, capture_output=True)
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
    print(json.dumps({"listening": "http://127.0.0.1:%d/callback" % server.server_port}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
