const { rmSync } = require("node:fs");

module.exports = async () => {
  const dir = process.env.PLATFORM_UNIT_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
