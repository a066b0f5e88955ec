const http = require("node:http");
const { greet } = require("greet");

const port = Number(process.env.PORT || 3000);

http
  .createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`hello from node-npm-workspaces api; ${greet("api")}\n`);
  })
  .listen(port, "0.0.0.0", () => console.log(`api listening on ${port}`));
