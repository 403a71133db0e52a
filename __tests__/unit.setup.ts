// cdktf's Testing helpers write each synth into a fresh directory under os.tmpdir() and never remove
// it. The unit tier points TMPDIR at one directory per run (workers inherit it) and removes it after.
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), "cdktf-platform-unit-"));
  process.env.PLATFORM_UNIT_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
