"use strict";
// Lands a batch of the events stream in the raw zone of the data lake: one newline-delimited JSON
// object per batch, keyed by day, shard and first sequence number, so a retried batch overwrites
// its own object instead of adding a duplicate.
const { PutObjectCommand, S3Client } = require("@aws-sdk/client-s3");

const s3 = new S3Client({});

/** The object a batch of Kinesis records becomes: its key and newline-delimited body. */
function objectFor(records, prefix) {
  if (records.length === 0) return undefined;
  const first = records[0];
  const day = new Date(first.kinesis.approximateArrivalTimestamp * 1000).toISOString().slice(0, 10);
  const shard = first.eventID.split(":")[0];
  const lines = records.map((r) => Buffer.from(r.kinesis.data, "base64").toString("utf8").trim()).filter((l) => l.length > 0);
  return { key: `${prefix}dt=${day}/${shard}-${first.kinesis.sequenceNumber}.jsonl`, body: lines.map((l) => `${l}\n`).join(""), count: lines.length };
}

async function handler(event) {
  const object = objectFor(event.Records || [], process.env.RAW_PREFIX || "events/");
  if (!object) return { written: 0 };
  await s3.send(new PutObjectCommand({ Bucket: process.env.RAW_BUCKET, Key: object.key, Body: object.body, ContentType: "application/x-ndjson" }));
  return { written: object.count, key: object.key };
}

module.exports = { handler, objectFor };
