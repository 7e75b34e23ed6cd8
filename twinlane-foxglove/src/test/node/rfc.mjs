// A WebSocket client written on a bare TCP socket, to send what no WebSocket library would: an invalid close
// code, a message in many fragments, an oversized request header. Prints every frame the server sends back
// (a close frame as "close CODE REASON") and, when the connection ends, how many close frames came.
// Usage: node rfc.mjs URL MODE [ARG...]
//   closecode N            a close frame with status code N (the client answers nothing more)
//   fragments TOTAL SIZE   a text message of TOTAL bytes in fragments of SIZE bytes
//   text TEXT              one text message (answers the server's close with a close frame, as clients do)
//   header BYTES           an upgrade request with one header of BYTES bytes; prints the HTTP answer
import net from "node:net";
import crypto from "node:crypto";

const [url, mode, a1, a2] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const out = (...f) => console.log(f.map(String).join("\t"));
const sock = net.connect(Number(port), hostname);
let closes = 0;
let upgraded = false;
let buf = Buffer.alloc(0);

function frame(opcode, payload, fin = true) {
  const mask = crypto.randomBytes(4);
  const n = payload.length;
  const head = n < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | n])
    : n < 65536 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, n >> 8, n & 255])
    : Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; })()]);
  const body = Buffer.from(payload);
  for (let i = 0; i < n; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([head, mask, body]);
}
const close = (code, reason = "") => {
  const p = Buffer.alloc(2 + Buffer.byteLength(reason));
  p.writeUInt16BE(code);
  p.write(reason, 2);
  return frame(0x8, p);
};

sock.on("connect", () => {
  const extra = mode === "header" ? "X-Filler: " + "a".repeat(Number(a1)) + "\r\n" : "";
  sock.write("GET / HTTP/1.1\r\nHost: " + hostname + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    + "Sec-WebSocket-Key: " + crypto.randomBytes(16).toString("base64") + "\r\nSec-WebSocket-Version: 13\r\n"
    + "Sec-WebSocket-Protocol: foxglove.websocket.v1\r\n" + extra + "\r\n");
});

function onOpen() {
  out("open");
  if (mode === "closecode") sock.write(close(Number(a1)));
  else if (mode === "text") sock.write(frame(0x1, Buffer.from(a1)));
  else if (mode === "fragments") {
    const total = Number(a1), size = Number(a2);
    for (let sent = 0; sent < total; sent += size) {
      const n = Math.min(size, total - sent);
      sock.write(frame(sent === 0 ? 0x1 : 0x0, Buffer.alloc(n, 0x78), sent + n >= total));
    }
    out("sent", total);
  }
}

sock.on("data", (d) => {
  buf = Buffer.concat([buf, d]);
  if (!upgraded) {
    const end = buf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = buf.subarray(0, end).toString();
    const status = Number(head.split(" ")[1]);
    if (status !== 101) {
      out("refused", status, buf.subarray(end + 4).toString().trim());
      return;
    }
    upgraded = true;
    buf = buf.subarray(end + 4);
    onOpen();
  }
  while (buf.length >= 2) {
    const opcode = buf[0] & 0x0f;
    let n = buf[1] & 0x7f, off = 2;
    if (n === 126) { if (buf.length < 4) return; n = buf.readUInt16BE(2); off = 4; }
    else if (n === 127) { if (buf.length < 10) return; n = Number(buf.readBigUInt64BE(2)); off = 10; }
    if (buf.length < off + n) return;
    const p = buf.subarray(off, off + n);
    buf = buf.subarray(off + n);
    if (opcode === 0x8) {
      closes++;
      const code = p.length >= 2 ? p.readUInt16BE(0) : 1005;
      out("close", code, p.subarray(2).toString());
      if (mode === "text" && closes === 1) sock.write(close(code)); // the client's answer to the server's close
    }
  }
});
sock.on("error", (e) => out("error", e.message));
sock.on("close", () => {
  out("end", closes);
  process.exit(0);
});
