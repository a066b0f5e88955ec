const http = require("node:http");
const kleur = require("kleur");
const { greet } = require("greet");

const port = Number(process.env.PORT || 3001);

http
  .createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<p>hello from node-npm-workspaces web; ${greet("web")}</p>\n`);
  })
  .listen(port, "0.0.0.0", () => console.log(kleur.green(`web listening on ${port}`)));
