const http = require("node:http");
const fs = require("node:fs");
const ms = require("ms");

// Built by `npm run css` (chained in the start script): it must be in the image.
const css = fs.readFileSync(`${__dirname}/public/style.css`, "utf8");
const port = Number(process.env.PORT) || 3000;

http
  .createServer((req, res) => {
    res.setHeader("content-type", "text/plain");
    res.end(`hello from node-chained-start (css ${css.length} bytes, ${ms(60000)})\n`);
  })
  .listen(port, "0.0.0.0");
