// A tiny Deno server: one npm dependency (ms), the port from PORT.
import ms from "ms";

const port = Number(Deno.env.get("PORT") ?? "8000");
const started = Date.now();

Deno.serve({ port, hostname: "0.0.0.0" }, (_req: Request): Response => {
  const up = ms(Date.now() - started);
  return new Response(`hello from deno (up ${up})\n`);
});
