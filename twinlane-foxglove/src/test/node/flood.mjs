// A viewer that subscribes to every topic, stops reading its socket and floods the server with subscribe
// requests for channels that do not exist (each request one status reply). Commands on standard input:
//   flood N K   N requests of K unknown ids each; prints "flooded N" once they are written to the socket
//   pings N     N pings (each one pong, if the server has room for it)
//   resume      reads the socket again (prints "closed CODE REASON" when the connection has ended)
import WebSocket from "ws";
import readline from "node:readline";

const [url] = process.argv.slice(2);
const out = (...f) => console.log(f.map(String).join("\t"));
const ws = new WebSocket(url, ["foxglove.websocket.v1"]);
let subscribed = false;
let requests = 0;
let nextId = 1000;
ws.on("message", (data, isBinary) => {
  if (isBinary || subscribed) return;
  const m = JSON.parse(data.toString());
  if (m.op === "advertise") {
    subscribed = true;
    ws.send(JSON.stringify({ op: "subscribe", subscriptions: m.channels.map((c, k) => ({ id: k, channelId: c.id })) }));
    ws._socket.pause(); // stop reading: everything the server sends from now on waits in its queue
    out("stalled", m.channels.length, ws._socket.localPort);
  }
});
ws.on("close", (code, reason) => {
  out("closed", code, reason.toString());
  process.exit(0);
});
ws.on("error", (e) => out("error", e.message));
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const [cmd, a, b] = line.split("\t");
  if (cmd === "flood") {
    const n = Number(a), k = Number(b);
    for (let i = 0; i < n; i++) {
      const subs = [];
      for (let j = 0; j < k; j++) subs.push({ id: nextId++, channelId: 900000 + j });
      ws.send(JSON.stringify({ op: "subscribe", subscriptions: subs }), i === n - 1 ? () => out("flooded", requests += n) : undefined);
    }
  } else if (cmd === "pings") {
    for (let i = 0; i < Number(a); i++) ws.ping(Buffer.from("p" + i), undefined, i === Number(a) - 1 ? () => out("pinged", a) : undefined);
  } else if (cmd === "resume") ws._socket.resume();
});
