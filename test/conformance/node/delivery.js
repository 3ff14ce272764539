'use strict'
// What the Go test (test/conformance) asks a Node SDK to send, read from the
// environment: IDGRAPH_HOST (idgraph's base URL), IDGRAPH_RUN_ID (put in
// front of every messageId) and IDGRAPH_EVENTS (a file of Segment messages,
// one a line, each with the writeKey of its source).
const fs = require('node:fs')

function need (name) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

// read returns the host and the events, each as { writeKey, msg } with the run id in the messageId and
// the timestamp as a Date, as an app passes it.
exports.read = function read () {
  const run = need('IDGRAPH_RUN_ID')
  const events = fs.readFileSync(need('IDGRAPH_EVENTS'), 'utf8').split('\n').filter(Boolean).map((line) => {
    const { writeKey, ...msg } = JSON.parse(line)
    msg.messageId = `${run}-${msg.messageId}`
    msg.timestamp = new Date(msg.timestamp)
    return { writeKey, msg }
  })
  return { host: need('IDGRAPH_HOST'), events }
}

// fields picks the fields a message has, of those every call takes and
// names.
function fields (msg, ...names) {
  const out = {}
  for (const name of ['messageId', 'timestamp', 'userId', 'anonymousId', 'context', ...names]) {
    if (msg[name] !== undefined) out[name] = msg[name]
  }
  return out
}

// send makes the SDK call of msg's type. Both Node SDKs have one method per
// type that takes the message as an object, with the Tracking API's field
// names, and a callback that gets an error when the event is given up.
exports.send = function send (client, msg, done) {
  switch (msg.type) {
    case 'identify': return client.identify(fields(msg, 'traits'), done)
    case 'track': return client.track(fields(msg, 'event', 'properties'), done)
    case 'page': return client.page(fields(msg, 'name', 'properties'), done)
    case 'screen': return client.screen(fields(msg, 'name', 'properties'), done)
    case 'alias': return client.alias(fields(msg, 'previousId'), done)
  }
  throw new Error(`no call for type ${msg.type}`)
}

// finish reports how many events the SDK delivered and exits 1 if it gave
// any up. errors holds one entry per event: undefined when delivered.
exports.finish = function finish (errors) {
  const failed = errors.filter((err) => err !== undefined)
  for (const err of failed.slice(0, 5)) console.error('not delivered:', err)
  console.log(JSON.stringify({ delivered: errors.length - failed.length, failed: failed.length }))
  process.exit(failed.length ? 1 : 0)
}
