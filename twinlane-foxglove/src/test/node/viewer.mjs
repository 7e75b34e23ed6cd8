// An independent viewer written against the protocol's own client library: FoxgloveClient from
// @foxglove/ws-protocol over the ws package. Prints one tab-separated line per event for twinlane's tests,
// and reads commands from standard input, one per line.
// Usage: node viewer.mjs URL [--token T] [--stall-after-ms N --stall-ms M]
//   events:   open / serverInfo CAPS / advertise TOPIC SCHEMA / unadvertise TOPIC / first TOPIC SUMMARY /
//             invalid TOPIC WHY / status LEVEL MESSAGE / counts JSON / closed CODE REASON / error MESSAGE
//   commands: subscribe-all | unsubscribe TOPIC | counts | publish TOPIC SCHEMA JSON | close
import pkg from "@foxglove/ws-protocol";
import WebSocket from "ws";
import Ajv2020 from "ajv/dist/2020.js";
import readline from "node:readline";

const { FoxgloveClient } = pkg;
const args = process.argv.slice(2);
let url = args[0];
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
if (opt("--token")) url += "/?token=" + encodeURIComponent(opt("--token"));
const out = (...f) => console.log(f.map(String).join("\t"));

const ws = new WebSocket(url, [FoxgloveClient.SUPPORTED_SUBPROTOCOL]);
const client = new FoxgloveClient({ ws });
const ajv = new Ajv2020({ allErrors: true });
const channels = new Map(); // id -> { topic, schemaName, validate }
const subs = new Map(); // subscription id -> topic
const byTopic = new Map(); // topic -> subscription id
const counts = {}; // topic -> messages received
const marks = {}; // topic -> count when the last "mark" status arrived
let stalled = false;

function jpegSize(b) {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) return null;
  for (let i = 2; i + 9 < b.length; ) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    const len = (b[i + 2] << 8) | b[i + 3];
    if (marker >= 0xc0 && marker <= 0xc3) return [(b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]];
    i += 2 + len;
  }
  return null;
}

client.on("open", () => out("open"));
client.on("serverInfo", (info) => out("serverInfo", info.capabilities.join(","), info.name));
client.on("status", (s) => {
  out("status", s.level, s.message);
  if (s.message === "mark") for (const t of Object.keys(counts)) marks[t] = counts[t];
  if (s.message === "report") out("since-mark", JSON.stringify(Object.fromEntries(Object.keys(counts).map((t) => [t, counts[t] - (marks[t] ?? 0)]))));
});
client.on("advertise", (list) => {
  for (const c of list) {
    let validate = null;
    try {
      validate = ajv.compile(JSON.parse(c.schema));
    } catch (e) {
      out("invalid", c.topic, "schema does not compile: " + e.message);
    }
    channels.set(c.id, { topic: c.topic, schemaName: c.schemaName, validate });
    out("advertise", c.topic, c.schemaName, c.encoding, c.schemaEncoding);
  }
});
client.on("unadvertise", (ids) => {
  for (const id of ids) {
    const c = channels.get(id);
    channels.delete(id);
    out("unadvertise", c ? c.topic : "?" + id);
  }
});
client.on("message", ({ subscriptionId, timestamp, data }) => {
  const topic = subs.get(subscriptionId);
  if (topic === undefined) {
    out("invalid", "?", "message for unknown subscription " + subscriptionId);
    return;
  }
  counts[topic] = (counts[topic] ?? 0) + 1;
  if (counts[topic] > 1) return; // the first message of each topic is checked in depth
  const c = [...channels.values()].find((x) => x.topic === topic);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let msg;
  try {
    msg = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    out("invalid", topic, "not JSON");
    return;
  }
  if (c && c.validate && !c.validate(msg)) {
    out("invalid", topic, JSON.stringify(c.validate.errors));
    return;
  }
  let summary = "json " + Object.keys(msg).join(",");
  if (c && c.schemaName === "foxglove.CompressedImage") {
    const size = jpegSize(Buffer.from(msg.data, "base64"));
    summary = "jpeg " + (size ? size.join("x") : "broken");
  }
  out("first", topic, summary, typeof timestamp === "bigint" ? "ts" : "no-ts");
});
client.on("close", (e) => {
  out("closed", e.code, e.reason);
  setTimeout(() => process.exit(0), 50);
});
client.on("error", (e) => out("error", e?.message ?? e));

function subscribeAll() {
  for (const [id, c] of channels) {
    if (byTopic.has(c.topic)) continue;
    const sub = client.subscribe(id);
    subs.set(sub, c.topic);
    byTopic.set(c.topic, sub);
  }
  out("subscribed", byTopic.size);
}

const stallAfter = opt("--stall-after-ms");
if (stallAfter) {
  setTimeout(() => {
    ws._socket.pause(); // stop reading: the server's queue for this client fills up
    stalled = true;
    out("stalled");
    setTimeout(() => {
      ws._socket.resume();
      stalled = false;
      out("resumed", JSON.stringify(counts));
    }, Number(opt("--stall-ms")));
  }, Number(stallAfter));
}

const clientChannels = new Map();
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const [cmd, ...rest] = line.split("\t");
  if (cmd === "subscribe-all") subscribeAll();
  else if (cmd === "unsubscribe") {
    const sub = byTopic.get(rest[0]);
    if (sub !== undefined) {
      client.unsubscribe(sub);
      byTopic.delete(rest[0]);
      out("unsubscribed", rest[0]);
    }
  } else if (cmd === "counts") out("counts", JSON.stringify(counts));
  else if (cmd === "advertise") {
    const id = client.advertise({ topic: rest[0], encoding: "json", schemaName: rest[1] });
    clientChannels.set(rest[0], id);
    out("advertised", rest[0]);
  } else if (cmd === "publish") {
    client.sendMessage(clientChannels.get(rest[0]), new TextEncoder().encode(rest[1]));
  } else if (cmd === "close") client.close();
});
