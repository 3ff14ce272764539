"""Sends the test's events with Segment's Python library (segment-analytics-python).

One client per write key, on its default settings (batches of up to 100, a
15 s request timeout; a 503 with Retry-After puts the batch back and waits as
long as asked). The Go test (test/conformance) passes IDGRAPH_HOST,
IDGRAPH_RUN_ID (put in front of every messageId) and IDGRAPH_EVENTS (a file of
Segment messages, one a line, each with the writeKey of its source). The library's
errors and retries are logged. Exits 1 if the library gave any event up.
"""

import json
import logging
import os
import sys
from datetime import datetime

from segment.analytics import Client


def send(client, m, run):
    common = {
        "message_id": f"{run}-{m['messageId']}",
        "timestamp": datetime.fromisoformat(m["timestamp"].replace("Z", "+00:00")),
        "context": m.get("context"),
    }
    kind = m["type"]
    if kind == "alias":
        return client.alias(m["previousId"], m["userId"], **common)
    common["anonymous_id"] = m.get("anonymousId")
    if kind == "identify":
        return client.identify(m.get("userId"), m.get("traits"), **common)
    if kind == "track":
        return client.track(m.get("userId"), m["event"], m.get("properties"), **common)
    if kind == "page":
        return client.page(m.get("userId"), name=m.get("name"), properties=m.get("properties"), **common)
    if kind == "screen":
        return client.screen(m.get("userId"), name=m.get("name"), properties=m.get("properties"), **common)
    raise ValueError(f"no segment-analytics-python call for type {kind}")


def retries_and_errors(record):
    """Keeps the library's errors and its lines about retries, not the bodies it logs."""
    message = record.getMessage()
    return record.levelno >= logging.ERROR or "etry" in message or "Rate-limited" in message


def main():
    handler = logging.StreamHandler()
    handler.addFilter(retries_and_errors)
    handler.setFormatter(logging.Formatter("segment-analytics-python %(levelname)s %(message)s"))
    log = logging.getLogger("segment")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)

    host, run = os.environ["IDGRAPH_HOST"], os.environ["IDGRAPH_RUN_ID"]
    options = {"host": host}
    failed = []

    def on_error(err, batch):
        failed.extend((m.get("messageId"), str(err)) for m in batch)

    clients, total = {}, 0
    with open(os.environ["IDGRAPH_EVENTS"], encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            key = m.pop("writeKey")
            if key not in clients:
                clients[key] = Client(key, on_error=on_error, **options)
            total += 1
            ok, _ = send(clients[key], m, run)
            if not ok:
                failed.append((m["messageId"], "not queued"))
    for client in clients.values():
        client.shutdown()
    for message_id, err in failed[:5]:
        print("not delivered:", message_id, err, file=sys.stderr)
    print(json.dumps({"delivered": total - len(failed), "failed": len(failed)}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
