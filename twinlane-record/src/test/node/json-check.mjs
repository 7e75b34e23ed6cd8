// Reads an MCAP file with the format's own TypeScript library and checks every JSON message against its
// channel's JSON Schema with Ajv (draft 2020-12), then looks inside Foxglove's image messages: a JPEG's
// markers and the dimensions in its frame header, a raw image's size. One line per finding, tab-separated.
// Usage: node json-check.mjs FILE
import { McapIndexedReader } from "@mcap/core";
import { loadDecompressHandlers } from "@mcap/support";
import Ajv2020 from "ajv/dist/2020.js";
import { open } from "node:fs/promises";

const [file] = process.argv.slice(2);
const handle = await open(file, "r");
const readable = {
  size: async () => BigInt((await handle.stat()).size),
  read: async (offset, size) => {
    const buf = Buffer.alloc(Number(size));
    await handle.read(buf, 0, Number(size), Number(offset));
    return buf;
  },
};
const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: await loadDecompressHandlers() });
const ajv = new Ajv2020({ allErrors: true });
const validators = new Map();
for (const c of reader.channelsById.values()) {
  const s = reader.schemasById.get(c.schemaId);
  if (c.messageEncoding === "json" && s && s.encoding === "jsonschema") {
    validators.set(c.id, { topic: c.topic, schema: s.name, validate: ajv.compile(JSON.parse(new TextDecoder().decode(s.data))) });
  }
}

// the width and height in a JPEG's start-of-frame segment, or null when the bytes are not a whole JPEG
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

let checked = 0;
for await (const m of reader.readMessages()) {
  const v = validators.get(m.channelId);
  if (!v) continue;
  checked++;
  let msg;
  try {
    msg = JSON.parse(new TextDecoder().decode(m.data));
  } catch (e) {
    console.log(["invalid", v.topic, "not JSON: " + e.message].join("\t"));
    continue;
  }
  if (!v.validate(msg)) {
    console.log(["invalid", v.topic, JSON.stringify(v.validate.errors)].join("\t"));
    continue;
  }
  if (v.schema === "foxglove.CompressedImage") {
    const data = Buffer.from(msg.data, "base64");
    const size = msg.format === "jpeg" ? jpegSize(data) : null;
    console.log(["image", v.topic, msg.format, size ? size[0] : -1, size ? size[1] : -1, data.length].join("\t"));
  } else if (v.schema === "foxglove.CompressedVideo") {
    const data = Buffer.from(msg.data, "base64");
    console.log(["video", v.topic, msg.format, data.subarray(0, 5).toString("hex"), data.length].join("\t"));
  } else if (v.schema === "foxglove.RawImage") {
    const data = Buffer.from(msg.data, "base64");
    const whole = data.length === msg.step * msg.height;
    console.log(["raw", v.topic, msg.encoding, msg.width, msg.height, msg.step, whole].join("\t"));
  }
}
console.log(["checked", checked].join("\t"));
await handle.close();
