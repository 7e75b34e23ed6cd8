// Reads an MCAP file with the format's own TypeScript library and prints what it found, one record per
// line, every text and byte field base64-encoded, so that twinlane's tests can compare it with their own.
// Usage: node mcap-read.mjs FILE indexed|stream
import { McapIndexedReader, McapStreamReader } from "@mcap/core";
import { loadDecompressHandlers } from "@mcap/support";
import { open, readFile } from "node:fs/promises";

const [file, mode] = process.argv.slice(2);
const b64 = (x) => Buffer.from(typeof x === "string" ? Buffer.from(x, "utf8") : x).toString("base64");
const map = (m) => b64(JSON.stringify([...m.entries()]));
const out = [];
const decompressHandlers = await loadDecompressHandlers();

if (mode === "indexed") {
  const handle = await open(file, "r");
  const readable = {
    size: async () => BigInt((await handle.stat()).size),
    read: async (offset, size) => {
      const buf = Buffer.alloc(Number(size));
      await handle.read(buf, 0, Number(size), Number(offset));
      return buf;
    },
  };
  const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers });
  for (const s of reader.schemasById.values()) out.push(["schema", s.id, b64(s.name), b64(s.encoding), b64(s.data)]);
  for (const c of reader.channelsById.values())
    out.push(["channel", c.id, c.schemaId, b64(c.topic), b64(c.messageEncoding), map(c.metadata)]);
  for await (const m of reader.readMessages())
    out.push(["message", m.channelId, m.sequence, m.logTime, m.publishTime, b64(m.data)]);
  for await (const m of reader.readMetadata()) out.push(["metadata", b64(m.name), map(m.metadata)]);
  for await (const a of reader.readAttachments())
    out.push(["attachment", b64(a.name), b64(a.mediaType), a.logTime, a.createTime, b64(a.data)]);
  const st = reader.statistics;
  if (st) out.push(["statistics", st.messageCount, st.schemaCount, st.channelCount, st.chunkCount]);
  out.push(["chunks", reader.chunkIndexes.length]);
  await handle.close();
} else {
  const reader = new McapStreamReader({ decompressHandlers, validateCrcs: true });
  reader.append(await readFile(file));
  let summary = false; // after the data-end record the stream reader goes on through the summary's copies
  for (let r; (r = reader.nextRecord()); ) {
    if (r.type === "DataEnd") summary = true;
    if (summary) continue;
    if (r.type === "Schema") out.push(["schema", r.id, b64(r.name), b64(r.encoding), b64(r.data)]);
    else if (r.type === "Channel")
      out.push(["channel", r.id, r.schemaId, b64(r.topic), b64(r.messageEncoding), map(r.metadata)]);
    else if (r.type === "Message")
      out.push(["message", r.channelId, r.sequence, r.logTime, r.publishTime, b64(r.data)]);
    else if (r.type === "Metadata") out.push(["metadata", b64(r.name), map(r.metadata)]);
    else if (r.type === "Attachment")
      out.push(["attachment", b64(r.name), b64(r.mediaType), r.logTime, r.createTime, b64(r.data)]);
  }
  out.push(["done", reader.done()]);
}
for (const line of out) console.log(line.map(String).join("\t"));
