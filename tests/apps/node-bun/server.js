// Installed with Bun (bun.lock), run by node.
const http = require("node:http");
const ms = require("ms");

const port = Number(process.env.PORT) || 3000;
http
  .createServer((req, res) => res.end(`hello from node-bun (${ms(3000)})\n`))
  .listen(port, "0.0.0.0");
