// Plain TCP connections that never complete a WebSocket handshake: half of them send nothing, the others
// half a request. Prints "opened N" once all are connected and "ended I" as the server closes each.
// Usage: node pending.mjs URL N
import net from "node:net";

const [url, n] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const out = (...f) => console.log(f.map(String).join("\t"));
let opened = 0;
let ended = 0;
for (let i = 0; i < Number(n); i++) {
  const s = net.connect(Number(port), hostname, () => {
    if (i % 2 === 1) s.write("GET / HTTP/1.1\r\nHost: " + hostname + "\r\nUpgrade: webs");
    if (++opened === Number(n)) out("opened", opened);
  });
  s.on("error", () => {});
  s.on("close", () => out("ended", i, ++ended));
}
