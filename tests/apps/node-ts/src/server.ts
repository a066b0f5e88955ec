import http from "node:http";
import ms from "ms";

const port = Number(process.env.PORT ?? 4000);
const started = Date.now();

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(`hello from node-ts (up ${ms(Date.now() - started)})\n`);
});

server.listen(port, () => console.log(`listening on ${port}`));
