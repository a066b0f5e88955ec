import adapter from "@sveltejs/adapter-node";
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

// SvelteKit 3: the configuration (adapter included) goes to the sveltekit() plugin.
export default defineConfig({ plugins: [sveltekit({ adapter: adapter() })] });
