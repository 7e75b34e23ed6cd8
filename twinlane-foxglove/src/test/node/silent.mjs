// A viewer that completes the handshake and then says nothing at all: it never answers a ping (ws's autoPong
// off). Prints "open", "ping" for each ping, and "closed CODE REASON", or "refused STATUS" at the handshake.
// Usage: node silent.mjs URL
import WebSocket from "ws";

const [url] = process.argv.slice(2);
const out = (...f) => console.log(f.map(String).join("\t"));
const ws = new WebSocket(url, ["foxglove.websocket.v1"], { autoPong: false });
ws.on("unexpected-response", (req, res) => {
  out("refused", res.statusCode);
  process.exit(0);
});
ws.on("open", () => out("open"));
ws.on("ping", () => out("ping"));
ws.on("close", (code, reason) => {
  out("closed", code, reason.toString());
  process.exit(0);
});
ws.on("error", (e) => out("error", e.message));
