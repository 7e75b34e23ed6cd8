// A misbehaving client with the ws package alone: sends what the test asks and prints how the server answered.
// Usage: node raw.mjs URL MODE [ARG]  (MODE: text TEXT | big BYTES | binary HEX | noproto | token T | churn N)
import WebSocket from "ws";

const [url, mode, arg] = process.argv.slice(2);
const out = (...f) => console.log(f.map(String).join("\t"));

// churn: N times connect, subscribe to every advertised channel, wait for one message, disconnect
if (mode === "churn") {
  for (let i = 0; i < Number(arg); i++) {
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ["foxglove.websocket.v1"]);
      let subscribed = false;
      ws.on("message", (data, isBinary) => {
        if (!isBinary) {
          const m = JSON.parse(data.toString());
          if (m.op === "advertise" && !subscribed) {
            subscribed = true;
            ws.send(JSON.stringify({ op: "subscribe", subscriptions: m.channels.map((c, k) => ({ id: k, channelId: c.id })) }));
          }
        } else if (data[0] === 0x01) {
          ws.close(1000, "cycle done");
        }
      });
      ws.on("close", () => resolve());
      ws.on("error", reject);
    });
    out("cycle", i + 1);
  }
  process.exit(0);
}
const protocols = mode === "noproto" ? [] : ["foxglove.websocket.v1"];
const target = mode === "token" ? url + "/?token=" + encodeURIComponent(arg) : url;
const ws = new WebSocket(target, protocols, { maxPayload: 64 << 20 });
ws.on("unexpected-response", (req, res) => {
  let body = "";
  res.on("data", (d) => (body += d));
  res.on("end", () => {
    out("refused", res.statusCode, body.trim());
    process.exit(0);
  });
});
ws.on("open", () => {
  out("open");
  if (mode === "text") ws.send(arg);
  else if (mode === "big") ws.send("x".repeat(Number(arg)));
  else if (mode === "binary") ws.send(Buffer.from(arg, "hex"));
  else if (mode === "token") setTimeout(() => ws.close(1000, "done"), 200);
});
ws.on("message", (data, isBinary) => {
  if (!isBinary) {
    const m = JSON.parse(data.toString());
    if (m.op === "status") out("status", m.level, m.message);
  }
});
ws.on("close", (code, reason) => {
  out("closed", code, reason.toString());
  process.exit(0);
});
ws.on("error", (e) => out("error", e.message));
