import Fastify from "fastify";

const app = Fastify();

app.get("/", async () => "hello from node-fastify\n");

// Fastify listens on localhost unless told otherwise: HOST decides (the image sets 0.0.0.0).
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "localhost" });
