// Tests are not shipped (.dockerignore).
Deno.test("nothing", () => {});
