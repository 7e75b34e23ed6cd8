// Writes an MCAP file with the format's own TypeScript writer, for twinlane's reader to read back, and
// prints what it wrote in mcap-read.mjs's line format.
// Usage: node mcap-write.mjs FILE none|zstd|lz4 chunked|unchunked MESSAGES
import { McapWriter } from "@mcap/core";
import { open } from "node:fs/promises";
import * as zstd from "@foxglove/wasm-zstd";
import lz4 from "lz4js";

const [file, compression, chunking, count] = process.argv.slice(2);
await zstd.isLoaded;
const b64 = (x) => Buffer.from(typeof x === "string" ? Buffer.from(x, "utf8") : x).toString("base64");
const map = (m) => b64(JSON.stringify([...m.entries()]));
const handle = await open(file, "w");
let position = 0n;
const writable = {
  position: () => position,
  write: async (buf) => {
    await handle.write(buf);
    position += BigInt(buf.byteLength);
  },
};
const compressChunk =
  compression === "zstd"
    ? (data) => ({ compression: "zstd", compressedData: zstd.compress(data) })
    : compression === "lz4"
      ? (data) => ({ compression: "lz4", compressedData: Uint8Array.from(lz4.compress(data)) })
      : undefined;
const writer = new McapWriter({ writable, useChunks: chunking === "chunked", chunkSize: 4096, compressChunk });
const out = [];
await writer.start({ profile: "", library: "mcap-write.mjs" });
const schemaData = new TextEncoder().encode('{"type":"object","properties":{"v":{"type":"number"}}}');
const schemaId = await writer.registerSchema({ name: "test.Value", encoding: "jsonschema", data: schemaData });
out.push(["schema", schemaId, b64("test.Value"), b64("jsonschema"), b64(schemaData)]);
const channels = [];
for (const topic of ["/a", "/b/ünïcode", "/c"]) {
  const metadata = new Map([["origin", "node"], ["topic", topic]]);
  const id = await writer.registerChannel({ topic, schemaId, messageEncoding: "json", metadata });
  channels.push(id);
  out.push(["channel", id, schemaId, b64(topic), b64("json"), map(metadata)]);
}
for (let i = 0; i < Number(count); i++) {
  const channelId = channels[i % channels.length];
  const data = new TextEncoder().encode(JSON.stringify({ v: i * 1.5, pad: "x".repeat(i % 97) }));
  const logTime = 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n;
  await writer.addMessage({ channelId, sequence: i, logTime, publishTime: logTime - 7n, data });
  out.push(["message", channelId, i, logTime, logTime - 7n, b64(data)]);
}
const md = new Map([["robot", "test-bot"], ["run", "42"]]);
await writer.addMetadata({ name: "run-info", metadata: md });
out.push(["metadata", b64("run-info"), map(md)]);
const att = new TextEncoder().encode("calibration: 1.0\n");
await writer.addAttachment({ name: "calib.yaml", mediaType: "text/yaml", logTime: 5n, createTime: 3n, data: att });
out.push(["attachment", b64("calib.yaml"), b64("text/yaml"), 5n, 3n, b64(att)]);
await writer.end();
await handle.close();
for (const line of out) console.log(line.map(String).join("\t"));
