#!/usr/bin/env python3
"""A minimal Pi-hole v6 API for benchmarks: login, session check, session list, version, Teleporter export, logout.
It has a password (any is accepted), so a client configured without one is told 401 by the session check, as a real one is.
Serves the archive file given on the command line. Usage: fake_pihole.py PORT ARCHIVE
GET /bench/served answers the fake's own time so far, in ms: from each request's first line read
to its answer written (the time a Pi-hole would spend; bench/backup-overhead.sh subtracts it).
FAKE_LATENCY_MS=N makes each API request take N ms more before its answer (default 0), as a real Pi-hole's
requests take time of their own (~40 ms each by curl in issue 13's measurement): what our side overlaps
with those waits shows in the client time only then.
FAKE_CIVETWEB=1 answers as FTL's web server does on the wire (shared/pihole-api.md, "Connections"): Nagle's
algorithm left on, so an answer on a kept-open connection waits ~40 ms for the client's delayed ACK between
its headers and its body. Off by default: the figures of earlier rounds were taken without it.
A request's "Connection: close" is answered with one, as CivetWeb does, so that the client does not keep a
connection the fake has closed."""
import http.server, json, os, shutil, sys, threading, time

ARCHIVE = sys.argv[2]
LATENCY = float(os.environ.get("FAKE_LATENCY_MS", "0")) / 1000
CIVETWEB = os.environ.get("FAKE_CIVETWEB", "0") == "1"
served = [0.0]
served_lock = threading.Lock()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body are two writes: with Nagle's algorithm the body waits for the client's
    # delayed ACK (40 ms on Linux) on a kept-open connection, as a real Pi-hole's does (FAKE_CIVETWEB)
    disable_nagle_algorithm = not CIVETWEB

    def end_headers(self):
        if self.headers.get("Connection", "").lower() == "close":
            self.send_header("Connection", "close")  # CivetWeb says it closes; Python closes without saying
        super().end_headers()

    def parse_request(self):
        # starts once a request line has arrived: a kept-alive connection's idle wait is not served time
        self.started = time.perf_counter()
        ok = super().parse_request()
        if ok and LATENCY > 0 and not self.path.startswith("/bench/"):
            time.sleep(LATENCY)  # a Pi-hole's own time for the request, counted as served
        return ok

    def handle_one_request(self):
        self.started = None
        super().handle_one_request()
        if self.started is not None and not self.path.startswith("/bench/"):
            with served_lock:
                served[0] += (time.perf_counter() - self.started) * 1000

    def log_message(self, *args):
        pass

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/api/auth":
            self.send_json(200, {"session": {"valid": True, "totp": False, "sid": "benchsid", "csrf": "c",
                                             "validity": 1800, "message": "password correct"}, "took": 0.001})
        else:
            self.send_json(404, {"error": {"key": "not_found", "message": "Not found", "hint": self.path}})

    def do_GET(self):
        if self.path == "/bench/served":
            with served_lock:
                self.send_json(200, {"ms": served[0]})
        elif self.path == "/api/auth":
            if self.headers.get("X-FTL-SID") == "benchsid":
                self.send_json(200, {"session": {"valid": True, "totp": False, "sid": "benchsid", "csrf": "c",
                                                 "validity": 1800, "message": "correct password"}, "took": 0.001})
            else:
                self.send_json(401, {"session": {"valid": False, "totp": False, "sid": None, "validity": -1,
                                                 "message": "no SID provided"}, "took": 0.001})
        elif self.path == "/api/auth/sessions":
            self.send_json(200, {"sessions": [], "took": 0.001})
        elif self.path == "/api/info/version":
            self.send_json(200, {"version": {"core": {"local": {"version": "v6.2.2"}}, "ftl": {"local": {"version": "v6.4.1"}},
                                             "web": {"local": {"version": "v6.3"}}}, "took": 0.001})
        elif self.path == "/api/teleporter":
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(os.path.getsize(ARCHIVE)))
            self.end_headers()
            with open(ARCHIVE, "rb") as f:
                shutil.copyfileobj(f, self.wfile, 1024 * 1024)
        else:
            self.send_json(404, {"error": {"key": "not_found", "message": "Not found", "hint": self.path}})

    def do_DELETE(self):
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
