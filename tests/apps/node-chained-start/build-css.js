// A stand-in for a Sass/Tailwind step: writes public/style.css from styles/.
const fs = require("node:fs");
fs.mkdirSync("public", { recursive: true });
const css = fs.readFileSync("styles/main.css", "utf8");
fs.writeFileSync("public/style.css", `/* built */\n${css}`);
