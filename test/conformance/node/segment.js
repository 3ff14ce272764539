'use strict'
// Sends the test's events with Segment's Node library, @segment/analytics-node,
// one client per write key, on its default settings (batches of 15, up to 10
// retries with backoff, a 10 s request timeout); see delivery.js for what
// the test passes. It logs every
// answer other than 2xx and every retry.
const { Analytics } = require('@segment/analytics-node')
const { read, send, finish } = require('./delivery')

async function main () {
  const { host, events } = read()
  const clients = new Map()
  const client = (writeKey) => {
    const analytics = new Analytics({ writeKey, host })
    analytics.on('http_request', ({ headers }) => {
      if (headers['X-Retry-Count']) console.error(`analytics-node: retry ${headers['X-Retry-Count']}`)
    })
    analytics.on('http_response', ({ status, headers }) => {
      if (status >= 300) console.error(`analytics-node: answer ${status}, Retry-After ${headers['retry-after']}`)
    })
    return analytics
  }
  const delivered = events.map(({ writeKey, msg }) => {
    if (!clients.has(writeKey)) clients.set(writeKey, client(writeKey))
    return new Promise((resolve) => send(clients.get(writeKey), msg, (err) => resolve(err)))
  })
  await Promise.all([...clients.values()].map((analytics) => analytics.closeAndFlush()))
  finish(await Promise.all(delivered))
}

main().catch((err) => { console.error(err); process.exit(2) })
