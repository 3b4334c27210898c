#!/usr/bin/env python3
"""A minimal Pi-hole v6 API for benchmarks: login, session list, version, Teleporter export, logout.
Serves the archive file given on the command line. Usage: fake_pihole.py PORT ARCHIVE"""
import http.server, json, os, shutil, sys

ARCHIVE = sys.argv[2]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

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
        if self.path == "/api/auth/sessions":
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
