'use strict'
// Sends the test's events with RudderStack's Node SDK, @rudderstack/rudder-sdk-node,
// one client per write key, on its default settings: gzip on (a gzipped JSON
// body, sent as application/x-www-form-urlencoded), batches of 20, 3 retries
// that honour Retry-After, no request timeout. It logs every answer other
// than 2xx. See delivery.js for what the test passes.
const Analytics = require('@rudderstack/rudder-sdk-node')
const { read, send, finish } = require('./delivery')

async function main () {
  const { host, events } = read()
  const clients = new Map()
  const delivered = events.map(({ writeKey, msg }) => {
    if (!clients.has(writeKey)) clients.set(writeKey, new Analytics(writeKey, { dataPlaneUrl: host, gzip: true, logLevel: 'error' }))
    return new Promise((resolve) => send(clients.get(writeKey), msg, (err) => resolve(err || undefined)))
  })
  // flush sends one batch (flushAt events) after the one in flight; call it
  // until the queue is empty. A batch it gives up rejects, and its events'
  // callbacks carry the error.
  for (const client of clients.values()) {
    while (client.queue.length > 0) await client.flush().catch(() => {})
    await client.pendingFlush?.catch(() => {})
  }
  finish(await Promise.all(delivered))
}

main().catch((err) => { console.error(err); process.exit(2) })
