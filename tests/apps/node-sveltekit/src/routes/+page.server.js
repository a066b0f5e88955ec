// Runs on the server for every request: the Node server answers, not a prebuilt file.
export function load() {
  return { greeting: "hello from node-sveltekit" };
}
