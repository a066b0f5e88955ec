const ms = require("ms");

// Shared by the apps of this workspace.
exports.greet = (who) => `greetings to ${who} from packages/greet (${ms(60000)})`;
