# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""slicepathd's REST API, as the runner uses it."""

import http.client
import json
import time

from .common import TOKEN


class Api:
    """slicepathd's REST API.  GETs share one kept-alive connection (the
    stats are read many times a second); every other request, some of
    which build tables for a long time, has a connection of its own: the
    daemon closes a connection idle for 30 s."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def __call__(self, method, path, body=None, timeout=900):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        if method != "GET":
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                conn.request(method, path, body=data, headers=headers)
                r = conn.getresponse()
                text = r.read()
            finally:
                conn.close()
        else:
            for attempt in (0, 1):
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                           timeout=timeout)
                try:
                    self.conn.request(method, path, headers=headers)
                    r = self.conn.getresponse()
                    text = r.read()
                    break
                except (http.client.HTTPException, OSError):
                    # The daemon closed the kept-alive connection: again.
                    self.close()
                    if attempt:
                        raise
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {text[:300]!r}")
        return json.loads(text) if text else None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


def wait_up(api, proc, timeout=120):
    """Waits until slicepathd ('proc') answers GET /v1/node; raises
    RuntimeError if it exits or does not answer within 'timeout' s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            api("GET", "/v1/node", timeout=5)
            return
        except (OSError, RuntimeError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("slicepathd did not start") from None
            time.sleep(0.1)
